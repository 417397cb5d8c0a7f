using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Paging;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Plans;

/// <summary><c>GET /plans</c>: only the caller's own plans, in the caller's mode, newest first, a page at a time.</summary>
internal static class ListPlans
{
    [SchemaId("ReadPlansListResponse")]
    internal sealed record ListResponse(
        [property: JsonPropertyName("plans")] IReadOnlyList<PlanResponse> Plans,
        [property: JsonPropertyName("pagination")] Pagination Pagination);

    public static async Task<ApiOk<Envelope<ListResponse>>> Handle(
        ResellerCaller caller, ResellerDbContext db, TimeProvider clock, IOptions<ResellerOptions> options,
        [FromQuery] int? page, [FromQuery(Name = "per_page")] int? perPage, [FromQuery] string? status, [FromQuery] string? product,
        [FromQuery(Name = "sub_user_id")] string? subUserId, CancellationToken cancellationToken)
    {
        var paging = Paging.Parse(page, perPage);
        var now = clock.GetUtcNow();
        var query = db.Plans.AsNoTracking().Where(p => p.ResellerId == caller.ResellerId && p.Mode == caller.Mode);
        query = status switch
        {
            null or "all" => query,
            PlanStatus.Active => PlanQueries.Active(query, now),
            PlanStatus.Expired => PlanQueries.Expired(query, now),
            PlanStatus.Cancelled => query.Where(p => p.Status == PlanStatus.Cancelled),
            _ => throw new ApiErrorException(ApiError.InvalidField("status", "must be one of active, expired, cancelled, all.")),
        };
        if (product is not null)
        {
            if (!Products.TryParse(product, out var parsed))
            {
                throw new ApiErrorException(ApiError.InvalidField("product", $"'{product}' is not a product; one of {Products.AllNames}."));
            }

            query = query.Where(p => p.Product == parsed);
        }

        if (subUserId is not null)
        {
            if (!Guid.TryParse(subUserId, out var subUser))
            {
                throw new ApiErrorException(ApiError.InvalidField("sub_user_id", "must be a sub-user id (a UUID)."));
            }

            query = query.Where(p => p.SubUserId == subUser);
        }

        var plans = await query.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).ToPageAsync(paging, cancellationToken);
        return ApiResults.Ok(Envelope.Of(new ListResponse(
            [.. plans.Items.Select(p => PlanResponse.From(p, options.Value.ConnectionFor(p.Product), now))], Pagination.For(plans))));
    }
}
