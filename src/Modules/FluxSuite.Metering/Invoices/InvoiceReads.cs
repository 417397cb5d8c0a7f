using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

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
    public static async Task<ApiOk<InvoiceResponse>> ChangeAsync(
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
        return ApiResults.Ok(await ResponseAsync(db, invoice, gracePeriod, cancellationToken));
    }

    public static ApiErrorException WrongState(Invoice invoice, string wanted) =>
        Problems.Conflict(Problems.InvoiceState, $"Invoice {invoice.Number ?? invoice.Id.ToString()} is {invoice.Status}: {wanted}");
}
