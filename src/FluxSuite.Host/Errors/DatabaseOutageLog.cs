using Npgsql;

namespace FluxSuite.Host.Errors;

/// <summary>
/// One warning per database outage instead of a stack trace per request: the first failure after a
/// quiet spell of <see cref="QuietSpell"/> starts an outage and is logged; the rest of it only at Debug.
/// Each failure also drops the shared pool's idle connections (at most once a second), so connections
/// broken by a database restart are not handed to a request once the database is back.
/// </summary>
internal sealed partial class DatabaseOutageLog(ILogger<DatabaseOutageLog> logger, TimeProvider clock, NpgsqlDataSource dataSource)
{
    public static readonly TimeSpan QuietSpell = TimeSpan.FromSeconds(30);

    /// <summary>What a client is told to wait before it retries.</summary>
    public const int RetryAfterSeconds = 5;

    private long _lastFailure = long.MinValue;
    private long _lastClear = long.MinValue;

    public void Failed(string method, string? path, Exception exception)
    {
        var now = clock.GetTimestamp();
        var previous = Interlocked.Exchange(ref _lastFailure, now);
        var reason = Reason(exception);
        if (previous == long.MinValue || clock.GetElapsedTime(previous, now) > QuietSpell)
        {
            LogOutage(logger, method, path, reason);
        }
        else
        {
            LogStillDown(logger, method, path, reason);
        }

        var cleared = Volatile.Read(ref _lastClear);
        if ((cleared == long.MinValue || clock.GetElapsedTime(cleared, now) > TimeSpan.FromSeconds(1))
            && Interlocked.CompareExchange(ref _lastClear, now, cleared) == cleared)
        {
            dataSource.Clear();
        }
    }

    private static string Reason(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null && innermost is not NpgsqlException)
        {
            innermost = innermost.InnerException;
        }

        return innermost.Message;
    }

    [LoggerMessage(LogLevel.Warning, "The database is unreachable ({Reason}), seen on {Method} {Path}; requests are answered 503 with Retry-After until it is back")]
    private static partial void LogOutage(ILogger logger, string method, string? path, string reason);

    [LoggerMessage(LogLevel.Debug, "Database still unreachable on {Method} {Path}: {Reason}")]
    private static partial void LogStillDown(ILogger logger, string method, string? path, string reason);
}
