using System.Security.Claims;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering.Invoices;

/// <summary><c>GET /invoices/{id}/html</c>: the printable invoice, the same page the customer is emailed.</summary>
internal static class GetInvoiceHtml
{
    public static async Task<ContentHttpResult> Handle(
        Guid id, ClaimsPrincipal caller, MeteringDbContext db, IOptions<InvoiceOptions> options, HttpContext context, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var invoice = await db.Set<Invoice>().AsNoTracking().Include(i => i.Lines)
            .FindOwnedAsync(id, organizationId, cancellationToken);

        // The page needs no script, no frame and nothing from elsewhere; say so, in case a name slips through encoding.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Content(InvoiceDocument.Html(invoice, options.Value.GracePeriod), "text/html; charset=utf-8");
    }
}
