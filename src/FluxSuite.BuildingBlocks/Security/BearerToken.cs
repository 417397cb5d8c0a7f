namespace FluxSuite.BuildingBlocks.Security;

/// <summary>The one reader of <c>Authorization: Bearer &lt;token&gt;</c>, for every scheme that takes a bearer key or token.</summary>
public static class BearerToken
{
    private const string Prefix = "Bearer ";

    /// <summary>
    /// The token of a single <c>Authorization: Bearer …</c> header, trimmed (possibly empty); null when the
    /// header is missing, sent more than once, or names another scheme.
    /// </summary>
    public static string? From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization;
        return header.Count == 1 && header[0] is { } value && value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            ? value[Prefix.Length..].Trim()
            : null;
    }
}
