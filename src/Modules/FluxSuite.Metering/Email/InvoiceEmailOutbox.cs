using System.Net.Mail;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Invoices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FluxSuite.Metering.Email;

/// <summary>
/// Sends the queued invoice emails. A row is claimed with <c>FOR UPDATE SKIP LOCKED</c> and a lease, so
/// one instance at a time holds it. Just before the final dot commits the message, the row moves from
/// <c>pending</c> to <c>sending</c> under a guard (still pending, still our lease): a voided invoice or a
/// lost lease withdraws the message, and once <c>sending</c> it is never sent again. So an email goes
/// out at most once: a host that dies after the last byte but before recording the answer leaves it
/// <c>sending</c>, and it is recorded as failed with "outcome unknown" rather than risk a second copy.
/// Refusals with 4xx and network trouble before that point are retried with exponential backoff.
/// </summary>
internal sealed partial class InvoiceEmailOutbox(
    NpgsqlDataSource dataSource,
    IServiceScopeFactory scopes,
    SmtpSender sender,
    IOptions<SmtpOptions> smtp,
    IOptions<InvoiceOptions> options,
    TimeProvider clock,
    ILogger<InvoiceEmailOutbox> logger)
{
    private const int BatchSize = 20;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(6);

    private sealed record Claimed(Guid Id, Guid InvoiceId, string Recipient, int Attempts, DateTimeOffset LockedUntil);

    /// <summary>Sends every email that is due; returns how many were tried.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        if (!smtp.Value.IsConfigured)
        {
            return 0;
        }

        await RecordInterruptedAsync(cancellationToken);
        var tried = 0;
        while (true)
        {
            var claimed = await ClaimAsync(cancellationToken);
            if (claimed.Count == 0)
            {
                return tried;
            }

            foreach (var email in claimed)
            {
                await DeliverAsync(email, cancellationToken);
                tried++;
            }
        }
    }

    private async Task DeliverAsync(Claimed email, CancellationToken cancellationToken)
    {
        Invoice invoice;
        await using (var scope = scopes.CreateAsyncScope())
        {
            invoice = await scope.ServiceProvider.GetRequiredService<MeteringDbContext>().Set<Invoice>().AsNoTracking().Include(i => i.Lines)
                .FirstAsync(i => i.Id == email.InvoiceId, cancellationToken);
        }

        DeliveryResult result;
        if (!MailAddress.TryCreate(email.Recipient, invoice.CustomerName, out var to))
        {
            result = new DeliveryResult(DeliveryOutcome.Failed, $"'{email.Recipient}' is not an email address.");
        }
        else
        {
            var from = new MailAddress(smtp.Value.From!);
            var grace = options.Value.GracePeriod;
            var message = new OutgoingEmail(from, to, InvoiceDocument.Subject(invoice), InvoiceDocument.Text(invoice, grace),
                InvoiceDocument.Html(invoice, grace), $"invoice-{invoice.Id:N}@{from.Host}", clock.GetUtcNow());
            result = await sender.SendAsync(message, token => MarkSendingAsync(email, token), cancellationToken);
        }

        await RecordAsync(email, invoice, result, cancellationToken);
    }

    private async Task<List<Claimed>> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Long enough for a delivery to finish: past it, another instance may take the row (if nothing went out yet).
        var until = now + (smtp.Value.Timeout * 2) + TimeSpan.FromMinutes(1);
        await using var command = dataSource.CreateCommand(
            """
            UPDATE metering.invoice_emails e
            SET locked_until = $2, attempts = e.attempts + 1, updated_at = $1
            FROM (SELECT id FROM metering.invoice_emails
                  WHERE status = 'pending' AND next_attempt_at <= $1 AND (locked_until IS NULL OR locked_until <= $1)
                  ORDER BY next_attempt_at, id
                  LIMIT $3
                  FOR UPDATE SKIP LOCKED) c
            WHERE e.id = c.id
            RETURNING e.id, e.invoice_id, e.recipient, e.attempts, e.locked_until
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = until });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BatchSize });
        var claimed = new List<Claimed>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            claimed.Add(new Claimed(reader.GetGuid(0), reader.GetGuid(1), reader.IsDBNull(2) ? string.Empty : reader.GetString(2),
                reader.GetInt32(3), reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return claimed;
    }

    /// <summary>The point of no return: only a row still pending and still ours becomes <c>sending</c>.</summary>
    private async Task<bool> MarkSendingAsync(Claimed email, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "UPDATE metering.invoice_emails SET status = 'sending', updated_at = $3 WHERE id = $1 AND status = 'pending' AND locked_until = $2",
            email, null, cancellationToken) == 1;

    private async Task RecordAsync(Claimed email, Invoice invoice, DeliveryResult result, CancellationToken cancellationToken)
    {
        switch (result.Outcome)
        {
            case DeliveryOutcome.Sent:
                await ExecuteAsync(
                    """
                    UPDATE metering.invoice_emails SET status = 'sent', sent_at = $3, updated_at = $3, last_response = $4, locked_until = NULL
                    WHERE id = $1 AND status = 'sending' AND locked_until = $2
                    """, email, result.Response, cancellationToken);
                LogSent(logger, invoice.Number, result.Response);
                break;
            case DeliveryOutcome.Withdrawn:
                LogWithdrawn(logger, invoice.Number);
                break;
            case DeliveryOutcome.Retry when !result.Uncertain && email.Attempts < options.Value.EmailMaxAttempts:
                var delay = options.Value.EmailRetryDelay * Math.Pow(2, Math.Min(email.Attempts - 1, 20));
                var next = clock.GetUtcNow() + (delay < MaxRetryDelay ? delay : MaxRetryDelay);
                // The server refused it (or nothing went out): safe to send again, unless the invoice was voided meanwhile.
                await ExecuteAsync(
                    """
                    UPDATE metering.invoice_emails e
                    SET status = CASE WHEN i.status = 'VOID' THEN 'canceled' ELSE 'pending' END,
                        next_attempt_at = $5, updated_at = $3, last_response = $4, locked_until = NULL
                    FROM metering.invoices i
                    WHERE e.id = $1 AND i.id = e.invoice_id AND e.status IN ('pending', 'sending') AND e.locked_until = $2
                    """, email, result.Response, cancellationToken, next);
                LogRetry(logger, invoice.Number, email.Attempts, next, result.Response);
                break;
            default:
                var response = result.Uncertain
                    ? $"No answer after the message went out ({result.Response}); it may have been delivered, so it is not sent again."
                    : email.Attempts >= options.Value.EmailMaxAttempts && result.Outcome == DeliveryOutcome.Retry
                        ? $"Gave up after {email.Attempts} attempts: {result.Response}"
                        : result.Response;
                await ExecuteAsync(
                    """
                    UPDATE metering.invoice_emails SET status = 'failed', updated_at = $3, last_response = $4, locked_until = NULL
                    WHERE id = $1 AND status IN ('pending', 'sending') AND locked_until = $2
                    """, email, Truncate(response), cancellationToken);
                LogFailed(logger, invoice.Number, response);
                break;
        }
    }

    /// <summary>Rows left <c>sending</c> by an instance that stopped after the last byte: recorded as failed, never sent again.</summary>
    private async Task RecordInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            UPDATE metering.invoice_emails
            SET status = 'failed', locked_until = NULL, updated_at = $1,
                last_response = 'Outcome unknown: the sending instance stopped after the message went out, so it may have been delivered; it is not sent again.'
            WHERE status = 'sending' AND locked_until <= $1
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Runs an update of one claimed row: $1 its id, $2 our lease, $3 now, $4 the answer, $5 the next attempt.</summary>
    private async Task<int> ExecuteAsync(string sql, Claimed email, string? response, CancellationToken cancellationToken, DateTimeOffset? next = null)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = email.Id });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = email.LockedUntil });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Truncate(response ?? string.Empty) });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = next ?? now });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Truncate(string text) => text.Length <= 1000 ? text : text[..1000];

    [LoggerMessage(LogLevel.Information, "Invoice {Number} emailed: {Response}")]
    private static partial void LogSent(ILogger logger, string? number, string response);

    [LoggerMessage(LogLevel.Information, "Invoice {Number}: email withdrawn before it was committed (voided, or another instance took it over)")]
    private static partial void LogWithdrawn(ILogger logger, string? number);

    [LoggerMessage(LogLevel.Warning, "Invoice {Number}: email attempt {Attempt} failed, next at {NextAttemptAt}: {Response}")]
    private static partial void LogRetry(ILogger logger, string? number, int attempt, DateTimeOffset nextAttemptAt, string response);

    [LoggerMessage(LogLevel.Error, "Invoice {Number}: email not sent: {Response}")]
    private static partial void LogFailed(ILogger logger, string? number, string response);
}
