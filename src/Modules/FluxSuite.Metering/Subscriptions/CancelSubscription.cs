using System.Security.Claims;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Webhooks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Subscriptions;

/// <summary>
/// <c>POST /subscriptions/{id}/cancel</c> <c>{"at_period_end": false}</c>: ends now (the default), or at
/// the end of the current period. Canceling again only moves an end at period end forward to now.
/// </summary>
internal static class CancelSubscription
{
    internal sealed class Request
    {
        [JsonPropertyName("at_period_end")]
        public bool? AtPeriodEnd { get; init; }
    }

    public static async Task<ApiOk<SubscriptionResponse>> Handle(
        Guid id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] Request? request,
        ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        // Under the row lock that invoicing takes too, so the period-close cursor moves with the end.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var subscription = await db.Set<Subscription>()
            .FromSql($"SELECT * FROM metering.subscriptions WHERE id = {id} AND organization_id = {organizationId} FOR UPDATE")
            .FirstOrDefaultAsync(cancellationToken);
        if (subscription is null)
        {
            throw Problems.NotFound("subscription", id);
        }

        var now = clock.GetUtcNow();
        if (subscription.EndsAt <= now)
        {
            throw Problems.Conflict($"The subscription already ended at {subscription.EndsAt:O}.");
        }

        var endsAt = request?.AtPeriodEnd == true
            ? BillingPeriods.Containing(subscription.StartDate, subscription.BillingInterval, now).End
            : now;
        if (subscription.EndsAt is null || endsAt < subscription.EndsAt)
        {
            subscription.EndsAt = endsAt;
            subscription.CanceledAt = now;
            // The last period now ends at endsAt (or there is none, and the close job finds nothing to do).
            if (subscription.NextCloseAt > endsAt)
            {
                subscription.NextCloseAt = endsAt;
            }

            await MeteringWebhookEvents.AddSubscriptionAsync(db, MeteringWebhookEvents.SubscriptionCanceled, subscription, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return ApiResults.Ok(SubscriptionResponse.From(subscription, now));
    }
}
