using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace FluxSuite.Reseller.Idempotency;

/// <summary>A request body that <c>X-Idempotency-Key</c> protects; its bound value is what "same body" compares.</summary>
internal interface IIdempotentRequest;

/// <summary>
/// A request's hold on an idempotency key. The handler completes it inside its own transaction, so the
/// stored response commits together with the charge or not at all; a claim lost to a takeover makes
/// that transaction roll back.
/// </summary>
internal sealed class IdempotencyClaim(Guid resellerId, Mode mode, string key, Guid token)
{
    public bool Completed { get; private set; }

    public Guid ResellerId { get; } = resellerId;

    public Mode Mode { get; } = mode;

    public string Key { get; } = key;

    public Guid Token { get; } = token;

    /// <summary>The SQLSTATE <c>reseller.refuse_lost_claim()</c> raises (migration <c>CompleteIdempotencyWithPurchase</c>).</summary>
    public const string LostState = "RS002";

    // Stores the answer while the claim holds, as CompleteAsync does; when it does not, raises LostState, which skips the
    // statements after it in its batch (the charge and the COMMIT among them).
    private const string CompleteOrRefuseSql = """
        WITH done AS (
            UPDATE reseller.idempotency_keys
            SET status = 'completed', response_status = $1, response_body = $2, response_location = $3
            WHERE reseller_id = $4 AND mode = $5 AND key = $6 AND lock_token = $7 AND status = 'in_progress'
            RETURNING 1 AS stored)
        SELECT COALESCE((SELECT stored FROM done), reseller.refuse_lost_claim())
        """;

    /// <summary>
    /// The answer's store as a statement for the request's write batch, before its commit (a fixed text, prepared with the
    /// batch): it raises <see cref="LostState"/> when the claim was lost, so that nothing of the batch commits. Once the
    /// batch has committed, <see cref="MarkCompleted"/>.
    /// </summary>
    public NpgsqlBatchCommand CompletionCommand<T>(int status, T body, string? location, JsonSerializerOptions json) => new(CompleteOrRefuseSql)
    {
        Parameters =
        {
            new NpgsqlParameter<int> { TypedValue = status, NpgsqlDbType = NpgsqlDbType.Integer },
            new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(body, json), NpgsqlDbType = NpgsqlDbType.Text },
            new NpgsqlParameter { Value = (object?)location ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar },
            new NpgsqlParameter<Guid> { TypedValue = ResellerId, NpgsqlDbType = NpgsqlDbType.Uuid },
            new NpgsqlParameter<string> { TypedValue = Mode.WireName(), NpgsqlDbType = NpgsqlDbType.Varchar },
            new NpgsqlParameter<string> { TypedValue = Key, NpgsqlDbType = NpgsqlDbType.Varchar },
            new NpgsqlParameter<Guid> { TypedValue = Token, NpgsqlDbType = NpgsqlDbType.Uuid },
        },
    };

    /// <summary>Records that the <see cref="CompletionCommand{T}"/> committed, so the key is not released.</summary>
    public void MarkCompleted() => Completed = true;

    public async Task CompleteAsync<T>(ResellerDbContext db, int status, T body, string? location, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var text = JsonSerializer.Serialize(body, json);
        var mode = Mode.WireName();
        var updated = await db.Database.ExecuteSqlAsync($"""
            UPDATE reseller.idempotency_keys
            SET status = 'completed', response_status = {status}, response_body = {text}, response_location = {location}
            WHERE reseller_id = {ResellerId} AND mode = {mode} AND key = {Key} AND lock_token = {Token} AND status = 'in_progress'
            """, cancellationToken);
        if (updated == 0)
        {
            throw new ApiErrorException(ResellerErrors.IdempotencyInProgress());
        }

        Completed = true;
    }
}

/// <summary>
/// <c>X-Idempotency-Key</c> on the POSTs that charge: the first request with a key runs; a retry with
/// the same key and body gets the first (successful) response again without running; the same key with
/// another body is 422; a retry while the first still runs is 409. Keys are kept per reseller and mode
/// for <see cref="ResellerOptions.IdempotencyKeyLifetime"/>. A request that fails keeps nothing, so the
/// key may be retried once the problem (a low balance, say) is fixed.
/// </summary>
internal sealed class IdempotencyFilter : IEndpointFilter
{
    public const string Header = "X-Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var values = http.Request.Headers[Header];
        if (values.Count == 0)
        {
            return await next(context);
        }

        var key = values.Count == 1 ? values[0]?.Trim() : null;
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength || key.Any(c => c < 0x21 || c > 0x7e))
        {
            throw new ApiErrorException(ApiError.InvalidField(Header,
                $"must be one value of 1 to {MaxKeyLength} visible ASCII characters (a UUID is a good choice)."));
        }

        var caller = ResellerCaller.From(http.User) ?? throw new InvalidOperationException("Idempotency needs an authenticated reseller.");
        var services = http.RequestServices;
        var db = services.GetRequiredService<ResellerDbContext>();
        var options = services.GetRequiredService<IOptions<ResellerOptions>>().Value;
        var clock = services.GetRequiredService<TimeProvider>();
        var json = services.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
        var hash = RequestHash(http.Request, context.Arguments.OfType<IIdempotentRequest>().FirstOrDefault(), json);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var now = clock.GetUtcNow();
            var token = Guid.NewGuid();
            var mode = caller.Mode.WireName();
            var expires = now + options.IdempotencyKeyLifetime;
            var staleBefore = now - options.IdempotencyLease;
            var won = await db.Database.SqlQuery<Guid>($"""
                INSERT INTO reseller.idempotency_keys AS k
                    (reseller_id, mode, key, request_hash, status, lock_token, locked_at, created_at, expires_at)
                VALUES ({caller.ResellerId}, {mode}, {key}, {hash}, 'in_progress', {token}, {now}, {now}, {expires})
                ON CONFLICT (reseller_id, mode, key) DO UPDATE
                SET request_hash = EXCLUDED.request_hash, status = 'in_progress', lock_token = EXCLUDED.lock_token,
                    locked_at = EXCLUDED.locked_at, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at,
                    response_status = NULL, response_body = NULL, response_location = NULL
                WHERE k.expires_at <= {now}
                   OR (k.status = 'in_progress' AND k.locked_at <= {staleBefore} AND k.request_hash = EXCLUDED.request_hash)
                RETURNING k.lock_token AS "Value"
                """).ToListAsync(http.RequestAborted);
            if (won.Count == 1 && won[0] == token)
            {
                return await RunAsync(context, next, db, new IdempotencyClaim(caller.ResellerId, caller.Mode, key, token));
            }

            var existing = await db.IdempotencyRecords.AsNoTracking()
                .FirstOrDefaultAsync(r => r.ResellerId == caller.ResellerId && r.Mode == caller.Mode && r.Key == key, http.RequestAborted);
            if (existing is null)
            {
                continue; // released between the two statements: try to claim it again
            }

            if (existing.RequestHash != hash)
            {
                throw new ApiErrorException(ResellerErrors.IdempotencyKeyReused());
            }

            return existing.Status == "completed"
                ? new ReplayResult(existing.ResponseStatus ?? StatusCodes.Status200OK, existing.ResponseBody ?? "{}", existing.ResponseLocation)
                : throw new ApiErrorException(ResellerErrors.IdempotencyInProgress());
        }

        throw new ApiErrorException(ResellerErrors.IdempotencyInProgress());
    }

    private static async Task<object?> RunAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, ResellerDbContext db, IdempotencyClaim claim)
    {
        context.HttpContext.Features.Set(claim);
        try
        {
            var result = await next(context);
            if (!claim.Completed)
            {
                await ReleaseAsync(db, claim);
            }

            return result;
        }
        catch
        {
            await ReleaseAsync(db, claim);
            throw;
        }
    }

    /// <summary>Forgets a key whose request did not succeed, so it may be used again.</summary>
    private static async Task ReleaseAsync(ResellerDbContext db, IdempotencyClaim claim)
    {
        var mode = claim.Mode.WireName();
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM reseller.idempotency_keys
            WHERE reseller_id = {claim.ResellerId} AND mode = {mode} AND key = {claim.Key} AND lock_token = {claim.Token} AND status = 'in_progress'
            """, CancellationToken.None);
    }

    /// <summary>The method, the path and the body as bound (so 5 and "5" are the same request).</summary>
    private static string RequestHash(HttpRequest request, IIdempotentRequest? body, JsonSerializerOptions json)
    {
        var text = $"{request.Method} {request.Path}\n{(body is null ? string.Empty : JsonSerializer.Serialize(body, body.GetType(), json))}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The stored first response, marked as a replay.</summary>
    private sealed class ReplayResult(int status, string body, string? location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "application/json; charset=utf-8";
            response.Headers[ReplayedHeader] = "true";
            if (location is not null)
            {
                response.Headers.Location = location;
            }

            return response.WriteAsync(body, httpContext.RequestAborted);
        }
    }
}
