using System.Globalization;
using System.Threading.RateLimiting;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace FluxSuite.Reseller.Security;

/// <summary>
/// The reference's limits per API key: <see cref="RateLimitOptions.PermitsPerWindow"/> requests per
/// fixed window (100 a minute) and <see cref="RateLimitOptions.ConcurrentRequests"/> in flight (20).
/// The window's count lives in PostgreSQL (<c>reseller.key_rate_windows</c>, one row per key), so every instance counts
/// against the same limit. An instance claims the window's permits from that row in blocks, with the statement that looks
/// the key up (<see cref="FindKeyAndCountAsync"/>), and counts them down in memory (<see cref="HeldPermits"/>): a request
/// that finds one held looks its key up without writing. A block is never more than a quarter of what the window has left,
/// nor more than <see cref="RateLimitOptions.PermitBlock"/>, and is one permit at a time near the limit, so the claims add up
/// to the limit at most and instances taking turns on a key each get what they use (docs/reseller.md, "Rate limits").
/// Windows follow the injected <see cref="TimeProvider"/>. The in-flight limit is System.Threading.RateLimiting's
/// concurrency limiter, per instance: a request in flight belongs to the instance serving it.
/// </summary>
internal sealed class KeyRateLimiter : IDisposable
{
    // The active key of that hash and mode with its reseller. An unknown, revoked or other-mode key matches no row.
    private const string FindSql = """
        SELECT k.id, k.reseller_id, r.status, k.last_used_at
        FROM reseller.reseller_keys k JOIN reseller.resellers r ON r.id = k.reseller_id
        WHERE k.key_hash = $1 AND k.mode = $2 AND k.revoked_at IS NULL
        """;

    // Whether the claim starts a new window ($3 is now, $4 the window's length): the old one has ended, or the clock went
    // back more than a window behind its start. A request whose clock read is a little behind the window's start (it
    // read the clock before the request that started the window, and reached the row after it) counts in that window:
    // starting a new one would hand out the limit again. HeldPermits keeps windows by the same rule.
    private const string NewWindow = "$3 >= w.window_start + $4 OR $3 < w.window_start - $4";

    // The window's count before this claim.
    private const string CountBefore = $"CASE WHEN {NewWindow} THEN 0 ELSE w.count END";

    // What a claim grants when the window has handed out {0} of its $5 permits: none once they are all out, else a
    // quarter of what is left, at least one and at most $6.
    private const string GrantAfter = "CASE WHEN {0} >= $5 THEN 0 ELSE LEAST($6, GREATEST(1, ($5 - {0}) / 4)) END";

    // The key found as FindSql finds it, and a block of its window's permits claimed under the row's lock. The row keeps
    // the grant, since RETURNING sees only the new count. Nothing is claimed for an unknown key.
    private static readonly string FindAndClaimSql = $"""
        WITH k AS ({FindSql}),
        w AS (
            INSERT INTO reseller.key_rate_windows AS w (key_id, window_start, count, granted)
            SELECT id, $3, {Grant("0")}, {Grant("0")} FROM k
            ON CONFLICT (key_id) DO UPDATE SET
                window_start = CASE WHEN {NewWindow} THEN $3 ELSE w.window_start END,
                count = {CountBefore} + {Grant(CountBefore)},
                granted = {Grant(CountBefore)}
            RETURNING window_start, count, granted)
        SELECT k.id, k.reseller_id, k.status, k.last_used_at, w.window_start, w.count, w.granted FROM k CROSS JOIN w
        """;

    private readonly PartitionedRateLimiter<Guid> _inFlight;
    private readonly PooledStatements _statements;
    private readonly TimeProvider _clock;
    private readonly RateLimitOptions _options;
    private readonly HeldPermits _held;

    public KeyRateLimiter(PooledStatements statements, TimeProvider clock, IOptions<ResellerOptions> options)
    {
        _statements = statements;
        _clock = clock;
        _options = options.Value.RateLimit;
        _held = new HeldPermits(_options.Window, _options.PermitsPerWindow);
        var concurrent = _options.ConcurrentRequests;
        _inFlight = PartitionedRateLimiter.Create<Guid, Guid>(key => RateLimitPartition.GetConcurrencyLimiter(key, _ =>
            new ConcurrencyLimiterOptions { PermitLimit = concurrent, QueueLimit = 0 }));
    }

    public RateLimitOptions Options => _options;

    /// <summary>
    /// The active key with this SHA-256 hex digest in <paramref name="mode"/>, its request counted; null when there is none.
    /// The request takes a permit this instance holds for the key, or the lookup claims a block of them; while a claim of the key is
    /// in flight in this instance, the key's other requests wait for it rather than claim too.
    /// With <paramref name="read"/>, the endpoint's read goes in the same round trip, for the reseller the key names
    /// (<see cref="KeyedRead"/>). It goes first: the batch is one implicit transaction, and a claimed window's row stays locked
    /// from its upsert to the commit, so with the read after it a key's concurrent claims would wait for each other's reads.
    /// </summary>
    /// <remarks>Every reseller request runs one of the two statements: parsed and planned once per connection (<see cref="PooledStatements"/>).</remarks>
    public async Task<CountedKey?> FindKeyAndCountAsync(string keyHash, Mode mode, KeyedRead? read, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        var held = await _held.TakeOrClaimAsync(keyHash, now, cancellationToken);
        try
        {
            return await FindAsync(keyHash, mode, read, now, held, cancellationToken);
        }
        finally
        {
            if (held is null)
            {
                _held.EndClaim(keyHash);
            }
        }
    }

    // The lookup with a permit held (FindSql), or the lookup that claims (FindAndClaimSql), with the read before it.
    private async Task<CountedKey?> FindAsync(string keyHash, Mode mode, KeyedRead? read, DateTimeOffset now, WindowState? held, CancellationToken cancellationToken)
    {
        var lookup = new NpgsqlBatchCommand(held is null ? FindAndClaimSql : FindSql)
        {
            Parameters =
            {
                new NpgsqlParameter { Value = keyHash, NpgsqlDbType = NpgsqlDbType.Varchar },
                new NpgsqlParameter { Value = mode.WireName(), NpgsqlDbType = NpgsqlDbType.Varchar },
            },
        };
        if (held is null)
        {
            lookup.Parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            lookup.Parameters.Add(new NpgsqlParameter { Value = _options.Window, NpgsqlDbType = NpgsqlDbType.Interval });
            lookup.Parameters.Add(new NpgsqlParameter { Value = _options.PermitsPerWindow, NpgsqlDbType = NpgsqlDbType.Integer });
            lookup.Parameters.Add(new NpgsqlParameter { Value = _options.PermitBlock, NpgsqlDbType = NpgsqlDbType.Integer });
        }

        await using var reader = await _statements.ExecuteReaderAsync(
            read is null ? [lookup] : [.. read.Commands(ReadOwner.ByKey(keyHash, mode)), lookup], cancellationToken);
        if (read is not null)
        {
            await read.ReadAsync(reader, cancellationToken);
            await reader.NextResultAsync(cancellationToken);
        }

        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var window = held ?? _held.Claimed(keyHash, now, reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt32(5), reader.GetInt32(6));
        return new CountedKey(
            reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2),
            await reader.IsDBNullAsync(3, cancellationToken) ? null : reader.GetFieldValue<DateTimeOffset>(3), window);
    }

    private static string Grant(string countBefore) => string.Format(CultureInfo.InvariantCulture, GrantAfter, countBefore);

    public RateLimitLease EnterFlight(Guid key) => _inFlight.AttemptAcquire(key);

    public void Dispose() => _inFlight.Dispose();
}

/// <summary>An active key, its owner, and its window after counting the request.</summary>
internal sealed record CountedKey(Guid KeyId, Guid ResellerId, string Status, DateTimeOffset? LastUsedAt, WindowState Window);

internal readonly record struct WindowState(bool Allowed, int Remaining, TimeSpan ResetIn)
{
    public int ResetSeconds => Math.Max(1, (int)Math.Ceiling(ResetIn.TotalSeconds));
}

/// <summary>
/// Applies <see cref="KeyRateLimiter"/> to every authenticated reseller request and reports the quota in
/// <c>RateLimit-Policy</c> / <c>RateLimit</c> (the IETF RateLimit header fields); a refusal is 429
/// <c>RATE_LIMITED</c> with <c>Retry-After</c>. The window was counted when the key was looked up
/// (<see cref="ResellerKeyHandler"/> leaves it in <see cref="CountedWindow"/>).
/// </summary>
internal sealed class RateLimitFilter(KeyRateLimiter limiter) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var caller = ResellerCaller.From(http.User);
        if (caller is null || http.Features.Get<CountedWindow>() is not { } counted)
        {
            return await next(context);
        }

        var options = limiter.Options;
        var window = counted.Window;
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

/// <summary>The request's window, counted by the authentication that found its key.</summary>
internal sealed record CountedWindow(WindowState Window);
