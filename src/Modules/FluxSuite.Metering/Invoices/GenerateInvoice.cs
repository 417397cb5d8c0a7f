using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering.Invoices;

/// <summary>
/// <c>POST /subscriptions/{id}/generate-invoice</c>: a DRAFT for the usage from the end of the last
/// invoiced range up to now. Periods that have ended and are not closed yet are closed first (their
/// invoices are the ones the period-close job would have made); the answer is the newest invoice.
/// Fixed charges wait for the invoice that closes their period; tiered, volume and package prices are
/// counted on the period's cumulative usage, less what earlier invoices of the period billed.
/// </summary>
internal static class GenerateInvoice
{
    public static async Task<ApiCreated<InvoiceResponse>> Handle(
        Guid id, ClaimsPrincipal caller, InvoiceDrafting drafting, TimeProvider clock, IOptions<InvoiceOptions> options, CancellationToken cancellationToken)
    {
        var outcome = await drafting.GenerateAsync(id, caller.OrganizationId(), cancellationToken);
        if (outcome is not var (subscription, result))
        {
            throw Problems.NotFound("subscription", id);
        }

        if (result.Failed.Count > 0)
        {
            throw AmountTooLarge.Refusal();
        }

        var now = clock.GetUtcNow();
        if (result.Created.Count == 0)
        {
            var why = subscription.StartDate > now
                ? $"the subscription starts at {subscription.StartDate:O}."
                : subscription.EndsAt <= now
                    ? $"the subscription ended at {subscription.EndsAt:O} and all its periods are invoiced."
                    : "the usage up to now is already invoiced.";
            throw Problems.Conflict(Problems.NothingToInvoice, "Nothing to invoice: " + why);
        }

        var invoice = result.Created[^1];
        return ApiResults.Created($"{MeteringModule.ApiBase}/invoices/{invoice.Id}", InvoiceResponse.From(invoice, null, options.Value.GracePeriod));
    }
}
