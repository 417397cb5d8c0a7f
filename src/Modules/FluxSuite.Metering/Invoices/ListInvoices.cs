using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Paging;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering.Invoices;

/// <summary><c>GET /invoices?status=&amp;customer_id=&amp;subscription_id=&amp;page=&amp;page_size=</c>: newest first, with lines.</summary>
internal static class ListInvoices
{
    public static async Task<ApiOk<ListResponse<InvoiceResponse>>> Handle(
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
        return ApiResults.Ok(ListResponse<InvoiceResponse>.From(invoices.Map(i => InvoiceResponse.From(i, emails.GetValueOrDefault(i.Id), grace))));
    }
}
