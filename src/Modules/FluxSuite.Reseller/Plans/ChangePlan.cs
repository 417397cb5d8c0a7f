using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Accounts;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Idempotency;
using FluxSuite.Reseller.Pricing;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Upstream;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace FluxSuite.Reseller.Plans;

/// <summary>
/// <c>POST /plans/{planId}/extend</c> and <c>POST /plans/{planId}/upgrade</c>. The plan row is locked for
/// the transaction, so concurrent changes of one plan apply one after the other; each charge is a
/// ledger entry (<c>extend</c> for extensions, <c>purchase</c> for upgrades) at the reseller's current prices.
/// Only active plans change: an expired or cancelled plan is a 400 (buy a new plan instead).
/// </summary>
internal static partial class ChangePlan
{
    public static IReadOnlyList<int> UnlimitedExtensionDays { get; } = [1, 7, 30, 60];
    public static IReadOnlyList<int> DedicatedMobileExtensionDays { get; } = [7, 14, 30];
    public const int MaxHybridExtensionDays = 365;

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record ExtendRequest : IIdempotentRequest
    {
        [JsonPropertyName("add_bandwidth_gb"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
        public decimal? AddBandwidthGb { get; init; }

        [JsonPropertyName("add_days"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
        public int? AddDays { get; init; }

        [JsonPropertyName("extend_30_days"), JsonConverter(typeof(LenientBooleanConverter))]
        public bool? Extend30Days { get; init; }
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record UpgradeRequest : IIdempotentRequest
    {
        [JsonPropertyName("bandwidth_mbps"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
        [Required]
        public int? BandwidthMbps { get; init; }
    }

    public static Task<ApiOk<Envelope<PlanResponse>>> Extend(
        ResellerCaller caller, Guid planId, ExtendRequest request, HttpContext http, ResellerDbContext db, PriceBook prices,
        UpstreamSelector upstreams, TimeProvider clock, IOptions<ResellerOptions> options, IOptions<HttpJsonOptions> json,
        CancellationToken cancellationToken) =>
        ChangeAsync(caller, planId, http, db, prices, upstreams, clock, options, json, (plan, priceList, now) =>
        {
            var errors = new FieldErrors();
            var product = plan.Product.WireName();
            long cost;
            string description;
            switch (plan.Product.Billing())
            {
                case var _ when plan.BillingType == BillingType.Bandwidth:
                    errors.NotApplicable($"to bandwidth-billed {product} plans", ("add_days", request.AddDays), ("extend_30_days", request.Extend30Days));
                    CreatePlan.Bandwidth(errors, request.AddBandwidthGb, "add_bandwidth_gb");
                    errors.ThrowIfAny();
                    var gb = request.AddBandwidthGb!.Value;
                    cost = Cost.Bandwidth(gb, priceList.PerGb(plan.Product));
                    plan.MaxBytes = (plan.MaxBytes ?? 0) + (long)(gb * Cost.BytesPerGb);
                    description = $"Extend: {product} +{gb} GB";
                    break;

                case BillingModel.DedicatedIsp:
                    errors.NotApplicable("to dedicated_isp plans (send extend_30_days: true)", ("add_bandwidth_gb", request.AddBandwidthGb), ("add_days", request.AddDays));
                    if (request.Extend30Days is not true)
                    {
                        errors.Add("extend_30_days", "must be true to extend a dedicated_isp plan by 30 days.");
                    }

                    errors.ThrowIfAny();
                    cost = plan.Quantity!.Value * priceList.Get(plan.Product, PriceComponent.PerIp30Days);
                    plan.ExpiresAt = plan.ExpiresAt!.Value.AddDays(30);
                    description = $"Extend: dedicated_isp {plan.Quantity} IP(s) +30 days";
                    break;

                default:
                    errors.NotApplicable($"to time-billed {product} plans", ("add_bandwidth_gb", request.AddBandwidthGb), ("extend_30_days", request.Extend30Days));
                    if (plan.Duration == PlanDuration.Trial)
                    {
                        errors.Add("add_days", "a trial cannot be extended; buy an unlimited_residential plan.");
                    }
                    else
                    {
                        Days(errors, plan.Product, request.AddDays);
                    }

                    errors.ThrowIfAny();
                    var days = request.AddDays!.Value;
                    cost = plan.Product == Product.DedicatedMobile
                        ? days * priceList.Get(plan.Product, PriceComponent.LocationPerDay(plan.Location!))
                        : Cost.Days(days, plan.BandwidthMbps!.Value, priceList.PerDay(plan.Product));
                    plan.ExpiresAt = plan.ExpiresAt!.Value.AddDays(days);
                    description = $"Extend: {product} +{days} day(s)";
                    break;
            }

            return (LedgerType.Extend, cost, description);
        }, cancellationToken);

    public static Task<ApiOk<Envelope<PlanResponse>>> Upgrade(
        ResellerCaller caller, Guid planId, UpgradeRequest request, HttpContext http, ResellerDbContext db, PriceBook prices,
        UpstreamSelector upstreams, TimeProvider clock, IOptions<ResellerOptions> options, IOptions<HttpJsonOptions> json,
        CancellationToken cancellationToken) =>
        ChangeAsync(caller, planId, http, db, prices, upstreams, clock, options, json, (plan, priceList, now) =>
        {
            var errors = new FieldErrors();
            if (plan.Product != Product.UnlimitedResidential)
            {
                errors.Add("bandwidth_mbps", $"Invalid upgrade: only unlimited_residential plans can be upgraded; this plan is {plan.Product.WireName()}.");
            }
            else if (plan.Duration == PlanDuration.Trial)
            {
                errors.Add("bandwidth_mbps", "Invalid upgrade: a trial cannot be upgraded; buy an unlimited_residential plan.");
            }
            else if (request.BandwidthMbps is not { } wanted)
            {
                errors.Add("bandwidth_mbps", $"is required: the new cap, above {plan.BandwidthMbps} and at most {CreatePlan.MaxUnlimitedMbps}.");
            }
            else if (wanted <= plan.BandwidthMbps || wanted > CreatePlan.MaxUnlimitedMbps)
            {
                errors.Add("bandwidth_mbps", $"Invalid upgrade: must be above the current {plan.BandwidthMbps} Mbps and at most {CreatePlan.MaxUnlimitedMbps}.");
            }

            errors.ThrowIfAny();
            var to = request.BandwidthMbps!.Value;
            var cost = Cost.Upgrade(plan.ExpiresAt!.Value - now, plan.BandwidthMbps!.Value, to, priceList.PerDay(plan.Product));
            var description = $"Upgrade: unlimited_residential {plan.BandwidthMbps} → {to} Mbps for the time left";
            plan.BandwidthMbps = to;
            return (LedgerType.Purchase, cost, description);
        }, cancellationToken);

    private static void Days(FieldErrors errors, Product product, int? days)
    {
        IReadOnlyList<int>? allowed = product switch
        {
            Product.UnlimitedResidential => UnlimitedExtensionDays,
            Product.DedicatedMobile => DedicatedMobileExtensionDays,
            _ => null,
        };
        if (days is null)
        {
            errors.Add("add_days", allowed is null
                ? $"is required: the days to add (1–{MaxHybridExtensionDays})."
                : $"is required: one of {string.Join(", ", allowed)}.");
        }
        else if (allowed is not null && !allowed.Contains(days.Value))
        {
            errors.Add("add_days", $"must be one of {string.Join(", ", allowed)} for {product.WireName()}.");
        }
        else if (allowed is null && days is < 1 or > MaxHybridExtensionDays)
        {
            errors.Add("add_days", $"must be between 1 and {MaxHybridExtensionDays}.");
        }
    }

    /// <summary>Locks the plan, applies <paramref name="change"/>, charges it and tells the upstream, in one transaction.</summary>
    private static async Task<ApiOk<Envelope<PlanResponse>>> ChangeAsync(
        ResellerCaller caller, Guid planId, HttpContext http, ResellerDbContext db, PriceBook prices, UpstreamSelector upstreams,
        TimeProvider clock, IOptions<ResellerOptions> options, IOptions<HttpJsonOptions> json,
        Func<Plan, PriceList, DateTimeOffset, (string Type, long Cost, string Description)> change, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var priceList = await prices.ForAsync(db, caller.ResellerId, cancellationToken);
        var mode = caller.Mode.WireName();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var plan = await db.Plans
                       .FromSql($"SELECT * FROM reseller.plans WHERE id = {planId} AND reseller_id = {caller.ResellerId} AND mode = {mode} FOR UPDATE")
                       .FirstOrDefaultAsync(cancellationToken)
                   ?? throw ReadPlans.NotFound(planId);
        await ProductAccess.RequireEnabledAsync(db, caller.ResellerId, plan.Product, cancellationToken);
        var status = PlanQueries.StatusAt(plan, now);
        if (status != PlanStatus.Active)
        {
            throw new ApiErrorException(ApiError.InvalidField("plan_id", $"the plan is {status}; only active plans can be changed. Buy a new plan instead."));
        }

        var (type, cost, description) = change(plan, priceList, now);
        await Ledger.ChargeAsync(db, caller.ResellerId, caller.Mode, type, cost, plan.Id, description, now, cancellationToken);
        plan.CostCents += cost;
        plan.UpdatedAt = now;
        try
        {
            await upstreams.For(caller.Mode).ChangeAsync(
                new PlanChange(plan.UpstreamReference, plan.Product, plan.MaxBytes, plan.ExpiresAt, plan.BandwidthMbps), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ApiErrorException)
        {
            // The transaction is not committed: nothing is charged and the plan keeps its limits.
            LogUpstreamFailed(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ChangePlan).FullName!), plan.Id, ex);
            throw new ApiErrorException(ResellerErrors.UpstreamFailed());
        }
        await db.SaveChangesAsync(cancellationToken);
        var response = Envelope.Of(PlanResponse.From(plan, options.Value.ConnectionFor(plan.Product), now));
        if (http.Features.Get<IdempotencyClaim>() is { } claim)
        {
            await claim.CompleteAsync(db, StatusCodes.Status200OK, response, null, json.Value.SerializerOptions, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return ApiResults.Ok(response);
    }

    [LoggerMessage(LogLevel.Error, "Upstream failed to change plan {PlanId}; the change was rolled back")]
    private static partial void LogUpstreamFailed(ILogger logger, Guid planId, Exception exception);
}
