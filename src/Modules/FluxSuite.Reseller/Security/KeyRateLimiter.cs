using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Security;

/// <summary>
/// The reference's limits per API key: <see cref="RateLimitOptions.PermitsPerWindow"/> requests per
/// fixed window (100 a minute) and <see cref="RateLimitOptions.ConcurrentRequests"/> in flight (20).
/// Windows follow the injected <see cref="TimeProvider"/> so the remaining count and reset time the
/// headers report are exact; the in-flight limit is System.Threading.RateLimiting's concurrency limiter.
/// The counts live in this instance's memory: with several instances each enforces them on its own.
/// </summary>
internal sealed class KeyRateLimiter : IDisposable
{
    private const int SweepEvery = 4096;

    private readonly ConcurrentDictionary<Guid, Window> _windows = new();
    private readonly PartitionedRateLimiter<Guid> _inFlight;
    private readonly TimeProvider _clock;
    private readonly RateLimitOptions _options;
    private int _calls;

    public KeyRateLimiter(TimeProvider clock, IOptions<ResellerOptions> options)
    {
        _clock = clock;
        _options = options.Value.RateLimit;
        var concurrent = _options.ConcurrentRequests;
        _inFlight = PartitionedRateLimiter.Create<Guid, Guid>(key => RateLimitPartition.GetConcurrencyLimiter(key, _ =>
            new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = 0 }));
    }

    public RateLimitOptions Options => _options;

    /// <summary>Counts one request against the key's window.</summary>
    public WindowState Count(Guid key)
    {
        var now = _clock.GetUtcNow();
        if (Interlocked.Increment(ref _calls) % SweepEvery == 0)
        {
            Sweep(now);
        }

        var window = _windows.GetOrAdd(key, _ => new Window(now));
        lock (window)
        {
            if (now >= window.Start + _options.Window || now < window.Start)
            {
                window.Start = now;
                window.Count = 0;
            }

            var allowed = window.Count < _options.PermitsPerWindow;
            if (allowed)
            {
                window.Count++;
            }

            var reset = window.Start + _options.Window - now;
            return new WindowState(allowed, _options.PermitsPerWindow - window.Count, reset);
        }
    }

    public RateLimitLease EnterFlight(Guid key) => _inFlight.AttemptAcquire(key);

    public void Dispose() => _inFlight.Dispose();

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, window) in _windows)
        {
            if (now >= window.Start + _options.Window + _options.Window)
            {
                _windows.TryRemove(key, out _);
            }
        }
    }

    private sealed class Window(DateTimeOffset start)
    {
        public DateTimeOffset Start { get; set; } = start;

        public int Count { get; set; }
    }
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
        var window = limiter.Count(caller.KeyId);
        var headers = http.Response.Headers;
        var windowSeconds = (int)Math.Ceiling(options.Window.TotalSeconds);
        headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"\"default\";q={options.PermitsPerWindow};w={windowSeconds}");
        headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture, $"\"default\";r={window.Remaining};t={window.ResetSeconds}");
        if (!window.Allowed)
        {
            headers.RetryAfter = window.ResetSeconds.ToString(CultureInfo.InvariantCulture);
            return new ApiErrorResult(ResellerErrors.RateLimited(
                $"Too many requests: this key may make {options.PermitsPerWindow} requests per {windowSeconds} seconds; retry in {window.ResetSeconds} s."));
        }

        using var flight = limiter.EnterFlight(caller.KeyId);
        if (!flight.IsAcquired)
        {
            headers.RetryAfter = "1";
            return new ApiErrorResult(ResellerErrors.RateLimited(
                $"Too many concurrent requests: this key may have {options.ConcurrentRequests} requests in flight at once."));
        }

        return await next(context);
    }
}
