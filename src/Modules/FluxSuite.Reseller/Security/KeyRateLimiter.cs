using System.Globalization;
using System.Threading.RateLimiting;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace FluxSuite.Reseller.Security;

/// <summary>
/// The reference's limits per API key: <see cref="RateLimitOptions.PermitsPerWindow"/> requests per
/// fixed window (100 a minute) and <see cref="RateLimitOptions.ConcurrentRequests"/> in flight (20).
/// The window count lives in PostgreSQL (<c>reseller.key_rate_windows</c>, one row per key, moved on by
/// one upsert per request), so every instance counts against the same limit; windows follow the
/// injected <see cref="TimeProvider"/>, so the remaining count and reset time the headers report are
/// exact. The in-flight limit is System.Threading.RateLimiting's concurrency limiter, per instance:
/// a request in flight belongs to the instance serving it.
/// </summary>
internal sealed class KeyRateLimiter : IDisposable
{
    // A new window starts when the old one has ended (or the clock went back behind its start); refused
    // requests count too, so "allowed" is simply "the count is within the limit".
    private const string CountSql = """
        INSERT INTO reseller.key_rate_windows AS w (key_id, window_start, count) VALUES ($1, $2, 1)
        ON CONFLICT (key_id) DO UPDATE SET
            window_start = CASE WHEN $2 >= w.window_start + $3 OR $2 < w.window_start THEN $2 ELSE w.window_start END,
            count = CASE WHEN $2 >= w.window_start + $3 OR $2 < w.window_start THEN 1 ELSE w.count + 1 END
        RETURNING window_start, count
        """;

    private readonly PartitionedRateLimiter<Guid> _inFlight;
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _clock;
    private readonly RateLimitOptions _options;

    public KeyRateLimiter(NpgsqlDataSource dataSource, TimeProvider clock, IOptions<ResellerOptions> options)
    {
        _dataSource = dataSource;
        _clock = clock;
        _options = options.Value.RateLimit;
        var concurrent = _options.ConcurrentRequests;
        _inFlight = PartitionedRateLimiter.Create<Guid, Guid>(key => RateLimitPartition.GetConcurrencyLimiter(key, _ =>
            new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = 0 }));
    }

    public RateLimitOptions Options => _options;

    /// <summary>Counts one request against the key's window.</summary>
    public async Task<WindowState> CountAsync(Guid key, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        await using var command = _dataSource.CreateCommand(CountSql);
        command.Parameters.Add(new NpgsqlParameter { Value = key, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = _options.Window, NpgsqlDbType = NpgsqlDbType.Interval });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var start = reader.GetFieldValue<DateTimeOffset>(0);
        var count = reader.GetInt32(1);
        return new WindowState(count <= _options.PermitsPerWindow, Math.Max(0, _options.PermitsPerWindow - count), start + _options.Window - now);
    }

    public RateLimitLease EnterFlight(Guid key) => _inFlight.AttemptAcquire(key);

    public void Dispose() => _inFlight.Dispose();
}

internal readonly record struct WindowState(bool Allowed, int Remaining, TimeSpan ResetIn)
{
    public int ResetSeconds => Math.Max(1, (int)Math.Ceiling(ResetIn.TotalSeconds));
}

/// <summary>
/// Applies <see cref="KeyRateLimiter"/> to every authenticated reseller request and reports the quota in
/// <c>RateLimit-Policy</c> / <c>RateLimit</c> (the IETF RateLimit header fields); a refusal is 429
/// <c>RATE_LIMITED</c> with <c>Retry-After</c>.
/// </summary>
internal sealed class RateLimitFilter(KeyRateLimiter limiter) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var caller = ResellerCaller.From(http.User);
        if (caller is null)
        {
            return await next(context);
        }

        var options = limiter.Options;
        var window = await limiter.CountAsync(caller.KeyId, http.RequestAborted);
        var windowSeconds = (int)Math.Ceiling(options.Window.TotalSeconds);
        var policy = string.Create(CultureInfo.InvariantCulture, $"\"default\";q={options.PermitsPerWindow};w={windowSeconds}");
        var quota = string.Create(CultureInfo.InvariantCulture, $"\"default\";r={window.Remaining};t={window.ResetSeconds}");
        // Written as the response starts, so a refusal the exception handler writes (it clears the headers first) keeps them too.
        http.Response.OnStarting(() =>
        {
            http.Response.Headers["RateLimit-Policy"] = policy;
            http.Response.Headers["RateLimit"] = quota;
            return Task.CompletedTask;
        });
        if (!window.Allowed)
        {
            throw new ApiErrorException(ResellerErrors.RateLimited(
                $"Too many requests: this key may make {options.PermitsPerWindow} requests per {windowSeconds} seconds; retry in {window.ResetSeconds} s.")
                .RetryAfter(window.ResetSeconds));
        }

        using var flight = limiter.EnterFlight(caller.KeyId);
        if (!flight.IsAcquired)
        {
            throw new ApiErrorException(ResellerErrors.RateLimited(
                $"Too many concurrent requests: this key may have {options.ConcurrentRequests} requests in flight at once.").RetryAfter(1));
        }

        return await next(context);
    }
}
