using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering.Invoices;

/// <summary>
/// <c>POST /invoices/{id}/void</c>: a DRAFT or OPEN invoice is canceled (it keeps its number); its
/// email is not sent if it has not gone yet. What it covered is written off, not billed again.
/// </summary>
internal static class VoidInvoice
{
    public static Task<ApiOk<InvoiceResponse>> Handle(
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
                if (await MeteringWebhookEvents.AddInvoiceAsync(db, MeteringWebhookEvents.InvoiceVoided, invoice, options.Value.GracePeriod, now,
                        cancellationToken) > 0)
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
            }
        }, cancellationToken);
}
