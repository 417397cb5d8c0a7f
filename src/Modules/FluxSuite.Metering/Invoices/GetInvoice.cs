using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering.Invoices;

/// <summary><c>GET /invoices/{id}</c>.</summary>
internal static class GetInvoice
{
    public static async Task<ApiOk<InvoiceResponse>> Handle(
        Guid id, ClaimsPrincipal caller, MeteringDbContext db, IOptions<InvoiceOptions> options, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var invoice = await db.Set<Invoice>().AsNoTracking().Include(i => i.Lines)
            .FindOwnedAsync(id, organizationId, cancellationToken);
        return ApiResults.Ok(await InvoiceReads.ResponseAsync(db, invoice, options.Value.GracePeriod, cancellationToken));
    }
}
