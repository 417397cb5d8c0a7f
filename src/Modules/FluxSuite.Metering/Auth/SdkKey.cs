using FluxSuite.BuildingBlocks.Errors;

namespace FluxSuite.Metering.Auth;

/// <summary>
/// The API key a request presents in <c>X-API-Key</c>. This is the one reader of that header: the
/// authentication handler of the usage routes calls <see cref="From"/>, and the SDK handlers take the key
/// as a parameter (<see cref="BindAsync"/>), which answers 401 before anything else when it is missing.
/// Whether the key may write is then decided by <see cref="ApiKeyLookup.KeyCte"/>, inside the statement
/// that writes the events (one round trip), and answered by <c>SdkAccess</c>.
/// </summary>
internal sealed record SdkKey(string Value)
{
    public static SdkKey? From(HttpRequest request) =>
        request.Headers[MeteringAuthentication.ApiKeyHeader].ToString() is { Length: > 0 } value ? new SdkKey(value) : null;

    public static ValueTask<SdkKey?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<SdkKey?>(From(context.Request) ?? throw new ApiErrorException(ApiError.Unauthorized(ApiKeyLookup.MissingKeyMessage)));
}
