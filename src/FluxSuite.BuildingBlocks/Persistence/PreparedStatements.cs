using System.Data.Common;
using Npgsql;

namespace FluxSuite.BuildingBlocks.Persistence;

/// <summary>
/// How the shared connection pool uses its PostgreSQL sessions when they are its own, that is when
/// <c>ConnectionStrings:Default</c> goes straight to PostgreSQL (no <c>ConnectionStrings:Direct</c> is set,
/// which is how a deployment says that <c>Default</c> goes through a transaction-mode pooler):
/// <list type="bullet">
/// <item>Statements run often are prepared on each connection (Npgsql's automatic preparation, the
/// <see cref="MaxAutoPrepare"/> most used per connection), so PostgreSQL parses and plans a key lookup, a
/// rate-limit count or a plan read once per connection instead of once per request.</item>
/// <item>A connection going back to the pool is not reset (<c>DISCARD ALL</c> before its next use would
/// also drop those prepared statements). Nothing the modules run leaves session state behind: their
/// settings are <c>SET LOCAL</c> and their advisory locks transaction-scoped; the start-up step's
/// session-level lock is unlocked in a <c>finally</c>; an open transaction is rolled back whenever a
/// connection is returned.</item>
/// </list>
/// Behind PgBouncer in transaction mode a session is not the client's between transactions, so neither
/// applies there. A value the connection string sets itself (<c>Max Auto Prepare</c>,
/// <c>No Reset On Close</c>) is kept.
/// </summary>
public static class PreparedStatements
{
    public const int MaxAutoPrepare = 100;

    /// <summary>Applies the above to <paramref name="builder"/>, built from <paramref name="connectionString"/>.</summary>
    public static void UseOwnSessions(NpgsqlConnectionStringBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = MaxAutoPrepare;
        }

        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
    }
}
