using FluxSuite.BuildingBlocks.Persistence;
using HangfireLogLevel = Hangfire.Logging.LogLevel;
using IHangfireLog = Hangfire.Logging.ILog;
using IHangfireLogProvider = Hangfire.Logging.ILogProvider;

namespace FluxSuite.Host;

/// <summary>
/// Hangfire's logging is process-wide (one static log provider), while a process may hold several hosts
/// (the tests do) that start and stop at different times. Hangfire's loggers are routed, at each call,
/// to the logger factory of the newest host still running, so a host that stopped never leaves Hangfire
/// writing to a disposed factory. With one host per process this is plain Microsoft.Extensions.Logging.
/// </summary>
internal sealed class HangfireLogRouting(ILoggerFactory loggerFactory) : IHostedService
{
    private static readonly Lock Gate = new();
    private static readonly List<ILoggerFactory> Live = [];

    public static IHangfireLogProvider Provider { get; } = new RoutedProvider();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            Live.Add(loggerFactory);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            Live.Remove(loggerFactory);
        }

        return Task.CompletedTask;
    }

    private static ILogger? Current(string name)
    {
        ILoggerFactory? factory;
        lock (Gate)
        {
            factory = Live.Count > 0 ? Live[^1] : null;
        }

        try
        {
            return factory?.CreateLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
    }

    private sealed class RoutedProvider : IHangfireLogProvider
    {
        public IHangfireLog GetLogger(string name) => new RoutedLog(name);
    }

    private sealed class RoutedLog(string name) : IHangfireLog
    {
        public bool Log(HangfireLogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var logger = Current(name);
            var level = logLevel switch
            {
                HangfireLogLevel.Trace => LogLevel.Trace,
                HangfireLogLevel.Debug => LogLevel.Debug,
                HangfireLogLevel.Info => LogLevel.Information,
                HangfireLogLevel.Warn => LogLevel.Warning,
                HangfireLogLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            if (logger is null || !logger.IsEnabled(level))
            {
                return false;
            }

            if (messageFunc is not null)
            {
#pragma warning disable CA1848, CA2254 // Hangfire hands over finished messages, not templates.
                if (level >= LogLevel.Warning && DatabaseOutage.IsOutage(exception))
                {
                    // A job or poller that met a database outage: one line, not a stack trace each time (the
                    // outage itself is logged once, by DatabaseOutageLog); the job's next firing, or a requeue
                    // from the dashboard, redoes the work once the database is back.
                    logger.Log(LogLevel.Warning, "{Message} (no database connection: {Reason})", messageFunc(), exception!.GetBaseException().Message);
                }
                else
                {
                    logger.Log(level, exception, messageFunc());
                }
#pragma warning restore CA1848, CA2254
            }

            return true;
        }
    }
}
