using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering.Invoices;

/// <summary>
/// <c>POST /invoices/{id}/finalize</c>: DRAFT → OPEN now, without waiting for the grace period;
/// recomputed, numbered, issued, its email queued. An OPEN invoice is answered as it is.
/// </summary>
internal static class FinalizeInvoice
{
    public static Task<ApiOk<InvoiceResponse>> Handle(
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
