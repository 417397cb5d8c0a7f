using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Paging;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Subscriptions;

/// <summary><c>GET /subscriptions?customer_id=&amp;plan_id=&amp;status=</c>, newest first.</summary>
internal static class ListSubscriptions
{
    public static async Task<ApiOk<ListResponse<SubscriptionResponse>>> Handle(
        ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken,
        [FromQuery(Name = "customer_id")] Guid? customerId, [FromQuery(Name = "plan_id")] Guid? planId, [FromQuery] string? status,
        [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize)
    {
        var request = Paging.Read(page, pageSize);

        var now = clock.GetUtcNow();
        var organizationId = caller.OrganizationId();
        var query = db.Set<Subscription>().AsNoTracking().Where(s => s.OrganizationId == organizationId);
        query = customerId is null ? query : query.Where(s => s.CustomerId == customerId);
        query = planId is null ? query : query.Where(s => s.PlanId == planId);
        switch (status)
        {
            case null:
                break;
            case "active":
                query = query.Where(s => s.StartDate <= now && (s.EndsAt == null || s.EndsAt > now));
                break;
            case "scheduled":
                query = query.Where(s => s.StartDate > now && (s.EndsAt == null || s.EndsAt > now));
                break;
            case "canceled":
                query = query.Where(s => s.EndsAt <= now);
                break;
            default:
                throw Problems.Invalid("status", "must be active, scheduled or canceled.");
        }

        var subscriptions = await query.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).ToPageAsync(request, cancellationToken);
        return ApiResults.Ok(ListResponse<SubscriptionResponse>.From(subscriptions.Map(s => SubscriptionResponse.From(s, now))));
    }
}
