using System.Security.Claims;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Paging;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Plans;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Subscriptions;

internal sealed record SubscriptionResponse(
    Guid Id,
    [property: JsonPropertyName("customer_id")] Guid CustomerId,
    [property: JsonPropertyName("plan_id")] Guid PlanId,
    [property: JsonPropertyName("billing_interval")] string BillingInterval,
    [property: JsonPropertyName("start_date")] DateTimeOffset StartDate,
    string Status,
    [property: JsonPropertyName("current_period_start")] DateTimeOffset? CurrentPeriodStart,
    [property: JsonPropertyName("current_period_end")] DateTimeOffset? CurrentPeriodEnd,
    [property: JsonPropertyName("cancel_at_period_end")] bool CancelAtPeriodEnd,
    [property: JsonPropertyName("canceled_at")] DateTimeOffset? CanceledAt,
    [property: JsonPropertyName("ends_at")] DateTimeOffset? EndsAt,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt)
{
    /// <summary>
    /// scheduled (before its start), active, or canceled (ended). While it runs, the current period is
    /// the one containing now; a canceled subscription has none.
    /// </summary>
    public static SubscriptionResponse From(Subscription s, DateTimeOffset now)
    {
        var status = StatusAt(s, now);
        BillingPeriod? period = status == "canceled" ? null : BillingPeriods.Containing(s.StartDate, s.BillingInterval, now);
        return new SubscriptionResponse(
            s.Id, s.CustomerId, s.PlanId, s.BillingInterval, s.StartDate, status, period?.Start, period?.End,
            s.EndsAt is not null && status != "canceled", s.CanceledAt, s.EndsAt, s.CreatedAt);
    }

    public static string StatusAt(Subscription s, DateTimeOffset now) =>
        s.EndsAt <= now ? "canceled" : s.StartDate > now ? "scheduled" : "active";
}

/// <summary>
/// <c>POST /subscriptions</c>: a customer on a plan from <c>start_date</c> (default now). The interval
/// defaults to the plan's. A customer holds one running subscription per plan.
/// </summary>
internal static class CreateSubscription
{
    internal sealed class Request
    {
        [JsonPropertyName("customer_id")]
        public Guid? CustomerId { get; init; }

        [JsonPropertyName("plan_id")]
        public Guid? PlanId { get; init; }

        [JsonPropertyName("billing_interval")]
        public string? BillingInterval { get; init; }

        [JsonPropertyName("start_date")]
        public DateTimeOffset? StartDate { get; init; }
    }

    public static async Task<IResult> Handle(Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
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
        await db.SaveChangesAsync(cancellationToken);
        return MeteringResults.Created($"{MeteringModule.ApiBase}/subscriptions/{subscription.Id}", SubscriptionResponse.From(subscription, now));
    }
}

/// <summary><c>GET /subscriptions?customer_id=&amp;plan_id=&amp;status=</c>, newest first.</summary>
internal static class ListSubscriptions
{
    public static async Task<IResult> Handle(
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
        return MeteringResults.Ok(ListResponse<SubscriptionResponse>.From(subscriptions.Map(s => SubscriptionResponse.From(s, now))));
    }
}

/// <summary><c>GET /subscriptions/{id}</c>.</summary>
internal static class GetSubscription
{
    public static async Task<IResult> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var subscription = await db.Set<Subscription>().AsNoTracking()
            .FirstOrDefaultAsync(s => s.Id == id && s.OrganizationId == organizationId, cancellationToken);
        return subscription is null ? throw Problems.NotFound("subscription", id) : MeteringResults.Ok(SubscriptionResponse.From(subscription, clock.GetUtcNow()));
    }
}

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

    public static async Task<IResult> Handle(
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

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return MeteringResults.Ok(SubscriptionResponse.From(subscription, now));
    }
}
