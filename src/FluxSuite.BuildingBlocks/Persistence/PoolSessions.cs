using System.Data.Common;
using Npgsql;

namespace FluxSuite.BuildingBlocks.Persistence;

/// <summary>
/// How the shared connection pool treats its PostgreSQL sessions when they are its own, that is when
/// <c>ConnectionStrings:Default</c> goes straight to PostgreSQL (no <c>ConnectionStrings:Direct</c> is set,
/// which is how a deployment says that <c>Default</c> goes through a transaction-mode pooler): a connection
/// going back to the pool is not reset. Npgsql would otherwise send <c>DISCARD ALL</c> before the
/// connection's next use, about three times per request here (a statement PostgreSQL parses and runs each
/// time). Nothing the modules run leaves session state behind: their settings are <c>SET LOCAL</c> and
/// their advisory locks transaction-scoped; the start-up step's session-level lock is unlocked in a
/// <c>finally</c>; an open transaction is rolled back whenever a connection is returned.
/// A <c>No Reset On Close</c> the connection string sets itself is kept.
/// </summary>
/// <remarks>
/// Npgsql's automatic statement preparation (<c>Max Auto Prepare</c>) is not turned on, although it cut
/// PostgreSQL's CPU per plan read by more than half: in the full benchmark one pooled connection lost track
/// of a statement it had prepared, after clients gave up on usage reports in flight, and every later report
/// it served failed with <c>26000 prepared statement "_auto18" does not exist</c> (docs/performance.md).
/// </remarks>
public static class PoolSessions
{
    /// <summary>Applies the above to <paramref name="builder"/>, built from <paramref name="connectionString"/>.</summary>
    public static void UseOwnSessions(NpgsqlConnectionStringBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
    }
}

/// <summary>
/// Whether the shared pool's sessions are its own (<c>ConnectionStrings:Default</c> is direct; see
/// <see cref="PoolSessions"/>). Only then may a statement be prepared explicitly on a pooled connection:
/// a named prepared statement lives in one server session, which a transaction-mode pooler does not keep
/// for a client. Explicit preparation (<c>NpgsqlCommand.PrepareAsync</c>) is kept per physical connection
/// and costs a round trip only the first time on each; it is for single statements run on every request.
/// </summary>
public sealed record PooledSessions(bool Owned);
