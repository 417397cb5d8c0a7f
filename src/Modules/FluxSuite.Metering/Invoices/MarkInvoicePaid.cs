using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Webhooks;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering.Invoices;

/// <summary><c>POST /invoices/{id}/mark-paid</c>: OPEN → PAID.</summary>
internal static class MarkInvoicePaid
{
    public static Task<ApiOk<InvoiceResponse>> Handle(
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
                    await MeteringWebhookEvents.AddInvoiceAsync(db, MeteringWebhookEvents.InvoicePaid, invoice, options.Value.GracePeriod, invoice.PaidAt.Value,
                        cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                    break;
            }
        }, cancellationToken);
}
