using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FluxSuite.BuildingBlocks.Webhooks;

/// <summary>
/// Delivers the due webhook deliveries of one module's schema. Deliveries are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c> and a lease, so two instances never hold one at once; the outcome is
/// recorded only while the lease is still ours. A failed attempt is retried with exponential backoff
/// (<see cref="WebhookOptions.RetryDelay"/>) until <see cref="WebhookOptions.GiveUpAfter"/> has passed
/// since the delivery became due, then the delivery is failed. An endpoint whose deliveries have all
/// failed for that long is disabled, with the reason kept for its owner, and its waiting deliveries are failed.
/// </summary>
public sealed partial class WebhookDispatcher(
    NpgsqlDataSource dataSource, WebhookSender sender, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookDispatcher> logger)
{
    private sealed record Claimed(
        Guid Id, Guid EventId, Guid EndpointId, int Attempts, DateTimeOffset LockedUntil, DateTimeOffset DueSince,
        string Payload, string Url, string Secret);

    /// <summary>Delivers every delivery due in <paramref name="schema"/>; returns how many attempts were made.</summary>
    public async Task<int> DeliverDueAsync(string schema, CancellationToken cancellationToken)
    {
        var attempts = 0;
        while (true)
        {
            var claimed = await ClaimAsync(schema, cancellationToken);
            if (claimed.Count == 0)
            {
                return attempts;
            }

            await Task.WhenAll(claimed.Select(c => AttemptAsync(schema, c, cancellationToken)));
            attempts += claimed.Count;
        }
    }

    private async Task<List<Claimed>> ClaimAsync(string schema, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Long enough for an attempt to finish: past it, another instance may take the delivery over.
        var until = now + (options.Value.Timeout * 2) + TimeSpan.FromMinutes(1);
        await using var command = dataSource.CreateCommand(
            $"""
             UPDATE {schema}.webhook_deliveries d
             SET locked_until = $2, attempts = d.attempts + 1, updated_at = $1
             FROM (SELECT x.id FROM {schema}.webhook_deliveries x
                   JOIN {schema}.webhook_endpoints en ON en.id = x.endpoint_id
                   WHERE x.status = 'pending' AND x.next_attempt_at <= $1 AND (x.locked_until IS NULL OR x.locked_until <= $1) AND en.enabled
                   ORDER BY x.next_attempt_at, x.id
                   LIMIT $3
                   FOR UPDATE OF x SKIP LOCKED) c,
                  {schema}.webhook_events ev, {schema}.webhook_endpoints e
             WHERE d.id = c.id AND ev.id = d.event_id AND e.id = d.endpoint_id
             RETURNING d.id, d.event_id, d.endpoint_id, d.attempts, d.locked_until, d.due_since, ev.payload, e.url, e.secret
             """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = until });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = options.Value.BatchSize });
        var claimed = new List<Claimed>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new Claimed(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5), reader.GetString(6), reader.GetString(7), reader.GetString(8)));
        }

        return claimed;
    }

    private async Task AttemptAsync(string schema, Claimed delivery, CancellationToken cancellationToken)
    {
        var attemptedAt = clock.GetUtcNow();
        var result = await sender.SendAsync(delivery.Url, WebhookMessages.MessageId(delivery.EventId), delivery.Payload, delivery.Secret, cancellationToken);
        var now = clock.GetUtcNow();
        var settings = options.Value;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection,
            $"""
             INSERT INTO {schema}.webhook_attempts (id, delivery_id, attempted_at, duration_ms, status_code, response, error)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             """, cancellationToken,
            Guid.CreateVersion7(attemptedAt), delivery.Id, attemptedAt, result.DurationMs, result.StatusCode, result.Response, Truncate(result.Error));
        if (result.Delivered)
        {
            await ExecuteAsync(connection,
                $"""
                 UPDATE {schema}.webhook_deliveries SET status = 'delivered', delivered_at = $3, updated_at = $3, locked_until = NULL,
                     last_status_code = $4, last_error = NULL
                 WHERE id = $1 AND locked_until = $2
                 """, cancellationToken, delivery.Id, delivery.LockedUntil, now, result.StatusCode);
            await ExecuteAsync(connection,
                $"""
                 UPDATE {schema}.webhook_endpoints SET consecutive_failures = 0, failing_since = NULL, last_success_at = $2, updated_at = $2
                 WHERE id = $1
                 """, cancellationToken, delivery.EndpointId, now);
            await transaction.CommitAsync(cancellationToken);
            return;
        }

        var giveUp = now >= delivery.DueSince + settings.GiveUpAfter;
        var error = giveUp
            ? $"Gave up after {delivery.Attempts} attempts over {(now - delivery.DueSince).TotalHours:0.#} h: {result.Error}"
            : result.Error;
        await ExecuteAsync(connection,
            $"""
             UPDATE {schema}.webhook_deliveries SET status = $5, next_attempt_at = $6, updated_at = $3, locked_until = NULL,
                 last_status_code = $4, last_error = $7
             WHERE id = $1 AND locked_until = $2
             """, cancellationToken,
            delivery.Id, delivery.LockedUntil, now, result.StatusCode, giveUp ? WebhookStatuses.Failed : WebhookStatuses.Pending,
            now + settings.RetryDelay(delivery.Attempts), Truncate(error));
        var failingSince = await ScalarAsync(connection,
            $"""
             UPDATE {schema}.webhook_endpoints SET consecutive_failures = consecutive_failures + 1, last_failure_at = $2,
                 failing_since = COALESCE(failing_since, $2), updated_at = $2
             WHERE id = $1
             RETURNING failing_since
             """, cancellationToken, delivery.EndpointId, now);
        if (failingSince is DateTimeOffset since && now - since >= settings.GiveUpAfter)
        {
            var reason = Truncate($"Disabled at {now:yyyy-MM-dd'T'HH:mm:ss'Z'}: every delivery has failed since {since:yyyy-MM-dd'T'HH:mm:ss'Z'} " +
                                  $"(the last: {result.Error}). Fix the receiver, then enable the endpoint again and redeliver what failed.");
            var disabled = await ExecuteAsync(connection,
                $"UPDATE {schema}.webhook_endpoints SET enabled = false, disabled_reason = $2, updated_at = $3 WHERE id = $1 AND enabled",
                cancellationToken, delivery.EndpointId, reason, now);
            if (disabled == 1)
            {
                await ExecuteAsync(connection,
                    $"""
                     UPDATE {schema}.webhook_deliveries SET status = 'failed', updated_at = $2, locked_until = NULL,
                         last_error = 'Not sent: the endpoint was disabled after failing for too long.'
                     WHERE endpoint_id = $1 AND status = 'pending' AND (locked_until IS NULL OR locked_until <= $2)
                     """, cancellationToken, delivery.EndpointId, now);
                LogDisabled(logger, delivery.EndpointId, reason);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        LogFailedAttempt(logger, WebhookMessages.MessageId(delivery.EventId), delivery.EndpointId, delivery.Attempts, giveUp, result.Error);
    }

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(text))]
    private static string? Truncate(string? text) => text is null || text.Length <= 1000 ? text : text[..1000];

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        await using var command = Command(connection, sql, values);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DateTime utc ? new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)) : value;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object?[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        return command;
    }

    [LoggerMessage(LogLevel.Warning, "Webhook {MessageId} to endpoint {EndpointId}: attempt {Attempt} failed (given up: {GaveUp}): {Error}")]
    private static partial void LogFailedAttempt(ILogger logger, string messageId, Guid endpointId, int attempt, bool gaveUp, string? error);

    [LoggerMessage(LogLevel.Warning, "Webhook endpoint {EndpointId} disabled: {Reason}")]
    private static partial void LogDisabled(ILogger logger, Guid endpointId, string reason);
}
