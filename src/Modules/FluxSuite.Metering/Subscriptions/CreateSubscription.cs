using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Plans;
using FluxSuite.Metering.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Subscriptions;

/// <summary>
/// <c>POST /subscriptions</c>: a customer on a plan from <c>start_date</c> (default now). The interval
/// defaults to the plan's. A customer holds one running subscription per plan.
/// </summary>
internal static class CreateSubscription
{
    internal sealed class Request
    {
        [JsonPropertyName("customer_id")]
        [Required]
        public Guid? CustomerId { get; init; }

        [JsonPropertyName("plan_id")]
        [Required]
        public Guid? PlanId { get; init; }

        [JsonPropertyName("billing_interval")]
        public string? BillingInterval { get; init; }

        [JsonPropertyName("start_date")]
        public DateTimeOffset? StartDate { get; init; }
    }

    public static async Task<ApiCreated<SubscriptionResponse>> Handle(Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.CustomerId is null)
        {
            errors.Add("customer_id", "is required.");
        }

        if (request.PlanId is null)
        {
            errors.Add("plan_id", "is required.");
        }

        if (request.BillingInterval is { } interval && !BillingIntervals.All.Contains(interval, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add("billing_interval", "must be month or year.");
        }

        errors.ThrowIfAny();

        var organizationId = caller.OrganizationId();
        var customer = await db.Set<Customer>().AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == request.CustomerId && c.OrganizationId == organizationId, cancellationToken);
        if (customer is null)
        {
            throw new ApiErrorException(ApiError.NotFound($"customer_id: no customer with id {request.CustomerId} in your organization."));
        }

        var plan = await db.Set<Plan>().AsNoTracking()
            .FirstOrDefaultAsync(p => p.Id == request.PlanId && p.OrganizationId == organizationId, cancellationToken);
        if (plan is null)
        {
            throw new ApiErrorException(ApiError.NotFound($"plan_id: no plan with id {request.PlanId} in your organization."));
        }

        if (plan.ArchivedAt is not null)
        {
            throw Problems.Conflict($"Plan '{plan.LookupId}' is archived: it takes no new subscriptions.");
        }

        var now = clock.GetUtcNow();
        if (await db.Set<Subscription>().AnyAsync(
                s => s.CustomerId == customer.Id && s.PlanId == plan.Id && (s.EndsAt == null || s.EndsAt > now), cancellationToken))
        {
            throw Problems.Conflict($"Customer '{customer.ExternalId}' already has a running subscription to plan '{plan.LookupId}'.");
        }

        var subscription = new Subscription
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            CustomerId = customer.Id,
            PlanId = plan.Id,
            BillingInterval = request.BillingInterval?.ToLowerInvariant() ?? plan.BillingInterval,
            StartDate = (request.StartDate ?? now).ToUniversalTime(),
            CreatedAt = now,
        };
        subscription.NextCloseAt = Invoices.ClosingSchedule.FirstCloseAt(subscription);
        db.Add(subscription);
        await MeteringWebhookEvents.AddSubscriptionAsync(db, MeteringWebhookEvents.SubscriptionCreated, subscription, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created($"{MeteringModule.ApiBase}/subscriptions/{subscription.Id}", SubscriptionResponse.From(subscription, now));
    }
}
