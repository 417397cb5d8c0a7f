using Microsoft.EntityFrameworkCore;

namespace FluxSuite.BuildingBlocks.Security;

/// <summary>
/// The one way an API key's last use is recorded, so operators can see an unused or stale key in each
/// module's key list. The time is kept to the minute: a key's row is written at most once a minute
/// however busy the key, and not at all while the stored time is recent.
/// </summary>
public static class KeyLastUse
{
    public static TimeSpan Resolution { get; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether a key last used at <paramref name="lastUsedAt"/> should be written as used <paramref name="now"/>.</summary>
    public static bool IsStale(DateTimeOffset? lastUsedAt, DateTimeOffset now) => lastUsedAt is null || lastUsedAt < now - Resolution;

    /// <summary>
    /// Writes <paramref name="now"/> as the key's last use when the stored time is older than <see cref="Resolution"/>;
    /// the condition is in the statement, so concurrent requests write it once.
    /// </summary>
    /// <param name="db">The module's context.</param>
    /// <param name="table">The schema-qualified key table (a constant of the module), with <c>id</c> and <c>last_used_at</c> columns.</param>
    /// <param name="keyId">The key.</param>
    /// <param name="now">The time of the use.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    public static Task RecordAsync(DbContext db, string table, Guid keyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sql = "UPDATE " + table + " SET last_used_at = {0} WHERE id = {1} AND (last_used_at IS NULL OR last_used_at < {2})";
        return db.Database.ExecuteSqlRawAsync(sql, [now, keyId, now - Resolution], cancellationToken);
    }
}
