namespace FluxSuite.BuildingBlocks.Persistence;

/// <summary>Patterns for SQL <c>LIKE</c>/<c>ILIKE</c> built from what a user typed.</summary>
public static class LikePattern
{
    /// <summary>
    /// "Contains <paramref name="text"/>": <c>%</c> and <c>_</c> in it are literal, escaped with a
    /// backslash (PostgreSQL's default escape character).
    /// </summary>
    public static string Containing(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal) + "%";
    }
}
