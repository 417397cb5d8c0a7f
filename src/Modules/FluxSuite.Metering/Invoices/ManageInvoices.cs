using System.Security.Claims;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Paging;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering.Invoices;

/// <summary>Reading invoices with their lines and email, as the routes answer them.</summary>
internal static class InvoiceReads
{
    public static async Task<InvoiceResponse> ResponseAsync(MeteringDbContext db, Invoice invoice, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var email = await db.Set<InvoiceEmail>().AsNoTracking().FirstOrDefaultAsync(e => e.InvoiceId == invoice.Id, cancellationToken);
        return InvoiceResponse.From(invoice, email, gracePeriod);
    }

    /// <summary>
    /// A state change of the organization's invoice: in one transaction that holds the lock of the
    /// invoice's subscription (every change to a subscription's invoices holds it), <paramref name="change"/>
    /// gets the invoice with its lines (tracked unless <paramref name="tracked"/> is false) and answers a
    /// refusal, or null to commit and answer the invoice as it now is. 404 when the organization has no such invoice.
    /// </summary>
    public static async Task<IResult> ChangeAsync(
        MeteringDbContext db, Guid id, Guid organizationId, TimeSpan gracePeriod, bool tracked, Func<Invoice, Task> change,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var subscriptionId = await db.Set<Invoice>().Where(i => i.Id == id && i.OrganizationId == organizationId)
            .Select(i => (Guid?)i.SubscriptionId).FirstOrDefaultAsync(cancellationToken);
        if (subscriptionId is null)
        {
            throw Problems.NotFound("invoice", id);
        }

        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM metering.subscriptions WHERE id = {subscriptionId} FOR UPDATE", cancellationToken);
        var invoices = tracked ? db.Set<Invoice>() : db.Set<Invoice>().AsNoTracking();
        var invoice = await invoices.Include(i => i.Lines).FirstAsync(i => i.Id == id, cancellationToken);
        await change(invoice);

        await transaction.CommitAsync(cancellationToken);
        return MeteringResults.Ok(await ResponseAsync(db, invoice, gracePeriod, cancellationToken));
    }

    public static ApiErrorException WrongState(Invoice invoice, string wanted) =>
        Problems.Conflict(Problems.InvoiceState, $"Invoice {invoice.Number ?? invoice.Id.ToString()} is {invoice.Status}: {wanted}");
}

/// <summary><c>GET /invoices?status=&amp;customer_id=&amp;subscription_id=&amp;page=&amp;page_size=</c>: newest first, with lines.</summary>
internal static class ListInvoices
{
    public static async Task<IResult> Handle(
        ClaimsPrincipal caller, MeteringDbContext db, IOptions<InvoiceOptions> options, CancellationToken cancellationToken,
        [FromQuery] string? status, [FromQuery(Name = "customer_id")] Guid? customerId, [FromQuery(Name = "subscription_id")] Guid? subscriptionId,
        [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize)
    {
        var request = Paging.Read(page, pageSize);

        var wanted = status?.ToUpperInvariant();
        if (wanted is not null && !InvoiceStatuses.All.Contains(wanted))
        {
            throw Problems.Invalid("status", "must be DRAFT, OPEN, PAID or VOID.");
        }

        var organizationId = caller.OrganizationId();
        var query = db.Set<Invoice>().AsNoTracking().Where(i => i.OrganizationId == organizationId);
        query = wanted is null ? query : query.Where(i => i.Status == wanted);
        query = customerId is null ? query : query.Where(i => i.CustomerId == customerId);
        query = subscriptionId is null ? query : query.Where(i => i.SubscriptionId == subscriptionId);
        var invoices = await query.Include(i => i.Lines)
            .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.RangeStart).ThenByDescending(i => i.Id)
            .ToPageAsync(request, cancellationToken);
        var ids = invoices.Items.Select(i => i.Id).ToList();
        var emails = await db.Set<InvoiceEmail>().AsNoTracking().Where(e => ids.Contains(e.InvoiceId)).ToDictionaryAsync(e => e.InvoiceId, cancellationToken);
        var grace = options.Value.GracePeriod;
        return MeteringResults.Ok(ListResponse<InvoiceResponse>.From(invoices.Map(i => InvoiceResponse.From(i, emails.GetValueOrDefault(i.Id), grace))));
    }
}

/// <summary><c>GET /invoices/{id}</c>.</summary>
internal static class GetInvoice
{
    public static async Task<IResult> Handle(
        Guid id, ClaimsPrincipal caller, MeteringDbContext db, IOptions<InvoiceOptions> options, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var invoice = await db.Set<Invoice>().AsNoTracking().Include(i => i.Lines)
            .FirstOrDefaultAsync(i => i.Id == id && i.OrganizationId == organizationId, cancellationToken);
        return invoice is null
            ? throw Problems.NotFound("invoice", id)
            : MeteringResults.Ok(await InvoiceReads.ResponseAsync(db, invoice, options.Value.GracePeriod, cancellationToken));
    }
}

/// <summary>
/// <c>POST /invoices/{id}/finalize</c>: DRAFT → OPEN now, without waiting for the grace period;
/// recomputed, numbered, issued, its email queued. An OPEN invoice is answered as it is.
/// </summary>
internal static class FinalizeInvoice
{
    public static Task<IResult> Handle(
        Guid id, ClaimsPrincipal caller, MeteringDbContext db, InvoiceFinalizer finalizer, TimeProvider clock, IOptions<InvoiceOptions> options,
        CancellationToken cancellationToken) =>
        // Untracked: the finalizer writes set-based.
        InvoiceReads.ChangeAsync(db, id, caller.OrganizationId(), options.Value.GracePeriod, tracked: false, async invoice =>
        {
            if (invoice.Status is InvoiceStatuses.Paid or InvoiceStatuses.Void)
            {
                throw InvoiceReads.WrongState(invoice, "only a DRAFT can be finalized.");
            }

            if (invoice.Status == InvoiceStatuses.Open)
            {
                return;
            }

            var earlier = await db.Set<Invoice>().AsNoTracking()
                .Where(i => i.SubscriptionId == invoice.SubscriptionId && i.PeriodStart == invoice.PeriodStart
                            && i.RangeStart < invoice.RangeStart && i.Status == InvoiceStatuses.Draft)
                .Select(i => (Guid?)i.Id).FirstOrDefaultAsync(cancellationToken);
            if (earlier is not null)
            {
                throw Problems.Conflict(Problems.InvoiceState,
                    $"Invoice {earlier} is an earlier DRAFT of the same period, and this invoice takes off what that one bills: finalize or void it first.");
            }

            var result = await finalizer.FinalizeAsync([invoice], clock.GetUtcNow(), cancellationToken);
            if (result.Failed.Count > 0)
            {
                throw AmountTooLarge.Refusal();
            }
        }, cancellationToken);
}

/// <summary>
/// <c>POST /invoices/{id}/void</c>: a DRAFT or OPEN invoice is canceled (it keeps its number); its
/// email is not sent if it has not gone yet. What it covered is written off, not billed again.
/// </summary>
internal static class VoidInvoice
{
    public static Task<IResult> Handle(
        Guid id, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, IOptions<InvoiceOptions> options, CancellationToken cancellationToken) =>
        InvoiceReads.ChangeAsync(db, id, caller.OrganizationId(), options.Value.GracePeriod, tracked: true, async invoice =>
        {
            if (invoice.Status == InvoiceStatuses.Paid)
            {
                throw InvoiceReads.WrongState(invoice, "a paid invoice cannot be voided.");
            }

            if (invoice.Status != InvoiceStatuses.Void)
            {
                var now = clock.GetUtcNow();
                invoice.Status = InvoiceStatuses.Void;
                invoice.VoidedAt = invoice.UpdatedAt = now;
                await db.SaveChangesAsync(cancellationToken);
                await db.Set<InvoiceEmail>()
                    .Where(e => e.InvoiceId == invoice.Id && e.Status == InvoiceEmailStatuses.Pending)
                    .ExecuteUpdateAsync(
                        e => e.SetProperty(x => x.Status, InvoiceEmailStatuses.Canceled)
                            .SetProperty(x => x.LastResponse, "Not sent: the invoice was voided.")
                            .SetProperty(x => x.UpdatedAt, now),
                        cancellationToken);
            }
        }, cancellationToken);
}

/// <summary><c>POST /invoices/{id}/mark-paid</c>: OPEN → PAID.</summary>
internal static class MarkInvoicePaid
{
    public static Task<IResult> Handle(
        Guid id, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, IOptions<InvoiceOptions> options, CancellationToken cancellationToken) =>
        InvoiceReads.ChangeAsync(db, id, caller.OrganizationId(), options.Value.GracePeriod, tracked: true, async invoice =>
        {
            switch (invoice.Status)
            {
                case InvoiceStatuses.Draft:
                    throw InvoiceReads.WrongState(invoice, "finalize it before marking it paid.");
                case InvoiceStatuses.Void:
                    throw InvoiceReads.WrongState(invoice, "a voided invoice cannot be paid.");
                case InvoiceStatuses.Open:
                    invoice.Status = InvoiceStatuses.Paid;
                    invoice.PaidAt = invoice.UpdatedAt = clock.GetUtcNow();
                    await db.SaveChangesAsync(cancellationToken);
                    break;
            }
        }, cancellationToken);
}

internal static class AmountTooLarge
{
    public static ApiErrorException Refusal() => new(new ApiError(StatusCodes.Status422UnprocessableEntity, Problems.AmountTooLarge,
        "An amount on this invoice does not fit the 16 integer digits amounts are kept with: check the charge's prices and the usage."));
}
