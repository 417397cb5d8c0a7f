using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Customers;

/// <summary><c>GET /customers/{id}</c>.</summary>
internal static class GetCustomer
{
    public static async Task<ApiOk<CustomerResponse>> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var customer = await db.Set<Customer>().AsNoTracking().FindOwnedAsync(id, organizationId, cancellationToken);
        return ApiResults.Ok(CustomerResponse.From(customer));
    }
}
