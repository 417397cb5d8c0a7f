using System.Security.Claims;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Paging;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Customers;

/// <summary><c>GET /customers?search=&amp;page=&amp;page_size=</c>: newest first; search matches name, email or external id.</summary>
internal static class ListCustomers
{
    public static async Task<ApiOk<ListResponse<CustomerResponse>>> Handle(
        ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken,
        [FromQuery] string? search, [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize)
    {
        var request = Paging.Read(page, pageSize);

        var organizationId = caller.OrganizationId();
        var query = db.Set<Customer>().AsNoTracking().Where(c => c.OrganizationId == organizationId);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePattern.Containing(search.Trim());
            query = query.Where(c => EF.Functions.ILike(c.Name, pattern, LikePattern.Escape)
                                     || EF.Functions.ILike(c.ExternalId, pattern, LikePattern.Escape)
                                     || (c.Email != null && EF.Functions.ILike(c.Email, pattern, LikePattern.Escape)));
        }

        var customers = await query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).ToPageAsync(request, cancellationToken);
        return ApiResults.Ok(ListResponse<CustomerResponse>.From(customers.Map(CustomerResponse.From)));
    }
}
