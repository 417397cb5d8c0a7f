using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Subscriptions;

/// <summary><c>GET /subscriptions/{id}</c>.</summary>
internal static class GetSubscription
{
    public static async Task<ApiOk<SubscriptionResponse>> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var subscription = await db.Set<Subscription>().AsNoTracking().FindOwnedAsync(id, organizationId, cancellationToken);
        return ApiResults.Ok(SubscriptionResponse.From(subscription, clock.GetUtcNow()));
    }
}
