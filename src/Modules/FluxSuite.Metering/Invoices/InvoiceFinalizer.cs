using FluxSuite.Metering.Data;
using FluxSuite.Metering.Email;
using FluxSuite.Metering.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FluxSuite.Metering.Invoices;

/// <summary>What one finalizing transaction did.</summary>
/// <param name="Claimed">The subscriptions it held locked.</param>
/// <param name="Finalized">The invoices it finalized.</param>
/// <param name="Failed">Subscriptions with a draft that could not be recomputed (an amount too large to keep).</param>
/// <param name="Waiting">Subscriptions whose due drafts wait for an earlier draft of their period.</param>
internal sealed record FinalizingResult(int Claimed, IReadOnlyList<Invoice> Finalized, IReadOnlyList<Guid> Failed, IReadOnlyList<Guid> Waiting);

/// <summary>
/// DRAFT → OPEN. The invoice is recomputed first (events that arrived late for its range count), then
/// numbered (gap-free per organization: the counter row is updated in the same transaction), issued,
/// given its due date and, when SMTP is configured, its email is queued in the same transaction.
/// Callers hold the row locks of the invoices' subscriptions, and the status update only changes rows
/// still DRAFT (a batch that finds one changed fails whole), so an invoice is finalized once.
/// </summary>
internal sealed partial class InvoiceFinalizer(
    MeteringDbContext db,
    TimeProvider clock,
    IOptions<InvoiceOptions> options,
    IOptions<SmtpOptions> smtp,
    ILogger<InvoiceFinalizer> logger)
{
    public const string NumberPrefix = "INV-";

    /// <summary>Finalizes the drafts whose grace period is over, for up to <paramref name="batchSize"/> subscriptions claimed with SKIP LOCKED.</summary>
    public async Task<FinalizingResult> FinalizeDueAsync(int batchSize, IReadOnlyCollection<Guid> skip, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var cutoff = now - options.Value.GracePeriod;
        var skipped = skip.ToArray();
        var subscriptionIds = await db.Database.SqlQuery<Guid>(
                $"""
                 SELECT s.id AS "Value" FROM metering.subscriptions s
                 WHERE s.id IN (SELECT i.subscription_id FROM metering.invoices i WHERE i.status = 'DRAFT' AND i.created_at <= {cutoff})
                   AND NOT (s.id = ANY({skipped}))
                 ORDER BY s.id
                 LIMIT {batchSize}
                 FOR UPDATE OF s SKIP LOCKED
                 """)
            .ToListAsync(cancellationToken);
        if (subscriptionIds.Count == 0)
        {
            return new FinalizingResult(0, [], [], []);
        }

        var drafts = await db.Set<Invoice>().AsNoTracking().Include(i => i.Lines)
            .Where(i => subscriptionIds.Contains(i.SubscriptionId) && i.Status == InvoiceStatuses.Draft)
            .OrderBy(i => i.SubscriptionId).ThenBy(i => i.RangeStart)
            .ToListAsync(cancellationToken);
        // A draft waits while an earlier draft of its period is still in its grace period: it takes off what that one bills.
        var waiting = drafts.Where(d => d.CreatedAt > cutoff).ToList();
        var due = drafts.Where(d => d.CreatedAt <= cutoff && !waiting.Any(w => EarlierInSamePeriod(w, d))).ToList();
        var result = await FinalizeAsync(due, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var finalized = result.Finalized.Select(i => i.SubscriptionId).ToHashSet();
        return result with { Claimed = subscriptionIds.Count, Waiting = [.. subscriptionIds.Where(id => !finalized.Contains(id))] };
    }

    /// <summary>True when <paramref name="earlier"/> is an earlier invoice of <paramref name="invoice"/>'s subscription period.</summary>
    public static bool EarlierInSamePeriod(Invoice earlier, Invoice invoice) =>
        earlier.SubscriptionId == invoice.SubscriptionId && earlier.PeriodStart == invoice.PeriodStart && earlier.RangeStart < invoice.RangeStart;

    /// <summary>
    /// Recomputes, numbers and issues DRAFT invoices (loaded with their lines, untracked: they are written
    /// set-based) whose subscriptions the caller holds locked; the caller commits. Earlier drafts of a
    /// period must be in the list too.
    /// </summary>
    public async Task<FinalizingResult> FinalizeAsync(IReadOnlyList<Invoice> drafts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (drafts.Count == 0)
        {
            return new FinalizingResult(0, [], [], []);
        }

        var ordered = drafts.OrderBy(d => d.SubscriptionId).ThenBy(d => d.RangeStart).ToList();
        var subscriptionIds = ordered.Select(d => d.SubscriptionId).Distinct().ToList();
        var subscriptions = await db.Set<Subscription>().AsNoTracking().Where(s => subscriptionIds.Contains(s.Id)).ToListAsync(cancellationToken);
        var catalog = await BillingCatalog.LoadAsync(db, subscriptions, cancellationToken);
        var periodStarts = ordered.Select(d => d.PeriodStart).Distinct().ToList();
        var draftIds = ordered.Select(d => d.Id).ToList();
        var siblings = await db.Set<Invoice>().AsNoTracking().Include(i => i.Lines)
            .Where(i => subscriptionIds.Contains(i.SubscriptionId) && periodStarts.Contains(i.PeriodStart) && !draftIds.Contains(i.Id))
            .ToListAsync(cancellationToken);
        var usage = await catalog.PeriodUsageAsync(db, ordered, cancellationToken);

        // In range order, so that each draft takes off what the period's earlier invoices bill as recomputed here.
        var failed = new HashSet<Guid>();
        var finalized = new List<Invoice>();
        var recomputed = new List<Invoice>();
        foreach (var draft in ordered)
        {
            if (failed.Contains(draft.SubscriptionId))
            {
                continue;
            }

            try
            {
                var earlier = siblings.Concat(finalized).Where(i => EarlierInSamePeriod(i, draft));
                var lines = catalog.Lines(draft, usage[draft.Id], earlier);
                if (!InvoiceCalculator.SameAs(draft.Lines, lines))
                {
                    draft.Lines = lines;
                    recomputed.Add(draft);
                }

                catalog.Describe(draft);
                draft.Total = draft.Lines.Sum(l => l.Amount);
                finalized.Add(draft);
            }
            catch (OverflowException ex)
            {
                failed.Add(draft.SubscriptionId);
                LogFinalizeFailed(logger, draft.Id, ex);
            }
        }

        finalized.RemoveAll(d => failed.Contains(d.SubscriptionId));
        recomputed.RemoveAll(d => failed.Contains(d.SubscriptionId));
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        // The lines change while the invoice is still DRAFT (the database refuses it afterwards).
        await InvoiceRows.ReplaceLinesAsync(connection, recomputed, cancellationToken);

        var numbers = await TakeNumbersAsync(finalized, cancellationToken);
        var emails = new List<InvoiceEmail>();
        foreach (var invoice in finalized)
        {
            invoice.Number = numbers[invoice.Id];
            invoice.Status = InvoiceStatuses.Open;
            invoice.IssuedAt = invoice.UpdatedAt = now;
            invoice.DueAt = now + options.Value.PaymentTerms;
            if (smtp.Value.IsConfigured)
            {
                emails.Add(new InvoiceEmail
                {
                    Id = Guid.CreateVersion7(),
                    InvoiceId = invoice.Id,
                    OrganizationId = invoice.OrganizationId,
                    Recipient = invoice.CustomerEmail,
                    Status = invoice.CustomerEmail is null ? InvoiceEmailStatuses.Skipped : InvoiceEmailStatuses.Pending,
                    LastResponse = invoice.CustomerEmail is null ? "Not sent: the customer has no email address." : null,
                    NextAttemptAt = now,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            }
        }

        await InvoiceRows.IssueAsync(connection, finalized, cancellationToken);
        await InvoiceRows.InsertEmailsAsync(connection, emails, cancellationToken);
        if (await MeteringWebhookEvents.AddInvoicesAsync(db, MeteringWebhookEvents.InvoiceFinalized, finalized, emails.ToDictionary(e => e.InvoiceId),
                options.Value.GracePeriod, now, cancellationToken) > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        if (finalized.Count > 0)
        {
            LogFinalized(logger, finalized.Count);
        }

        return new FinalizingResult(subscriptionIds.Count, finalized, [.. failed], []);
    }

    /// <summary>
    /// Reserves the next numbers of each organization, in finalization order. The counter rows stay
    /// locked until the transaction ends, so numbers are consecutive, and a rollback gives them back.
    /// </summary>
    private async Task<Dictionary<Guid, string>> TakeNumbersAsync(List<Invoice> invoices, CancellationToken cancellationToken)
    {
        var numbers = new Dictionary<Guid, string>();
        if (invoices.Count == 0)
        {
            return numbers;
        }

        var byOrganization = invoices.GroupBy(i => i.OrganizationId).OrderBy(g => g.Key).ToList();
        var last = new Dictionary<Guid, long>();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var command = new NpgsqlCommand(
                         """
                         INSERT INTO metering.invoice_counters AS c (organization_id, last_number)
                         SELECT o, n FROM unnest($1::uuid[], $2::bigint[]) AS t(o, n) ORDER BY o
                         ON CONFLICT (organization_id) DO UPDATE SET last_number = c.last_number + EXCLUDED.last_number
                         RETURNING organization_id, last_number
                         """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. byOrganization.Select(g => g.Key)] });
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. byOrganization.Select(g => (long)g.Count())] });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                last[reader.GetGuid(0)] = reader.GetInt64(1);
            }
        }

        foreach (var group in byOrganization)
        {
            var next = last[group.Key] - group.Count() + 1;
            foreach (var invoice in group.OrderBy(i => i.CreatedAt).ThenBy(i => i.RangeStart).ThenBy(i => i.Id))
            {
                numbers[invoice.Id] = Format(next++);
            }
        }

        return numbers;
    }

    public static string Format(long number) => NumberPrefix + number.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(LogLevel.Information, "Finalized {Count} invoice(s)")]
    private static partial void LogFinalized(ILogger logger, int count);

    [LoggerMessage(LogLevel.Error, "Invoice {InvoiceId} cannot be recomputed for finalization; it stays DRAFT and is retried on every run")]
    private static partial void LogFinalizeFailed(ILogger logger, Guid invoiceId, Exception exception);
}
