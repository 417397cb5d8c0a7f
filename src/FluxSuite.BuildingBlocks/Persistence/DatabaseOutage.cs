using Npgsql;

namespace FluxSuite.BuildingBlocks.Persistence;

/// <summary>
/// Tells a database that cannot be reached (refused or broken connections, a server shutting down or
/// starting, an exhausted pool) from any other failure: the first is a 503 with Retry-After that the
/// client should retry; the second is a bug.
/// </summary>
public static class DatabaseOutage
{
    public static bool IsOutage(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                // 08: connection exceptions; 57P01-57P03: admin or crash shutdown, cannot connect now; 53300: too many
                // connections; 55000 raised while a session starts: the database does not accept connections now
                // (ALTER DATABASE … ALLOW_CONNECTIONS false, as during maintenance).
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                           || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                               or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
                           || (postgres.SqlState == PostgresErrorCodes.ObjectNotInPrerequisiteState && postgres.Routine is "CheckMyDatabase" or "InitPostgres");
                case NpgsqlException { IsTransient: true }:
                    return true;
            }
        }

        return false;
    }
}

/// <summary>
/// The service cannot take the request now, for a reason that passes (a full queue, shutting down): a
/// 503 with <c>Retry-After</c> in the owning module's format.
/// </summary>
public sealed class ServiceUnavailableException(string message, int retryAfterSeconds) : Exception(message)
{
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}
