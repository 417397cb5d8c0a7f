namespace FluxSuite.BuildingBlocks.Persistence;

/// <summary>
/// Patterns for SQL <c>LIKE</c>/<c>ILIKE</c> built from what a user typed. Pass <see cref="Escape"/> to
/// <c>EF.Functions.ILike</c>: without an escape character Npgsql writes <c>ESCAPE ''</c>, and the
/// backslashes would then be matched literally.
/// </summary>
public static class LikePattern
{
    /// <summary>The escape character of the patterns <see cref="Containing"/> builds.</summary>
    public const string Escape = "\\";

    /// <summary>
    /// "Contains <paramref name="text"/>": <c>%</c>, <c>_</c> and <c>\</c> in it are literal, escaped with
    /// <see cref="Escape"/>.
    /// </summary>
    public static string Containing(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";
    }
}
