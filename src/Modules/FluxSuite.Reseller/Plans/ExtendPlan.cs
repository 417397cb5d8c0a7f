using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Idempotency;
using FluxSuite.Reseller.Pricing;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Upstream;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace FluxSuite.Reseller.Plans;

/// <summary>
/// <c>POST /plans/{planId}/extend</c>: more bandwidth for a bandwidth-billed plan, more days for a time-billed one,
/// 30 more days for dedicated ISP IPs; charged as an <c>extend</c> ledger entry at the reseller's current prices
/// (the plan changes through <see cref="ChangePlan"/>).
/// </summary>
internal static class ExtendPlan
{
    public static IReadOnlyList<int> UnlimitedExtensionDays { get; } = [1, 7, 30, 60];
    public static IReadOnlyList<int> DedicatedMobileExtensionDays { get; } = [7, 14, 30];
    public const int MaxHybridExtensionDays = 365;

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow), SchemaId("ChangePlanExtendRequest")]
    internal sealed record Request : IIdempotentRequest
    {
        [JsonPropertyName("add_bandwidth_gb"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
        public decimal? AddBandwidthGb { get; init; }

        [JsonPropertyName("add_days"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
        public int? AddDays { get; init; }

        [JsonPropertyName("extend_30_days"), JsonConverter(typeof(LenientBooleanConverter))]
        public bool? Extend30Days { get; init; }
    }

    public static Task<ApiOk<Envelope<PlanResponse>>> Handle(
        ResellerCaller caller, Guid planId, Request request, HttpContext http, ResellerDbContext db, PriceBook prices,
        UpstreamSelector upstreams, TimeProvider clock, IOptions<ResellerOptions> options, IOptions<HttpJsonOptions> json,
        CancellationToken cancellationToken) =>
        ChangePlan.ChangeAsync(caller, planId, http, db, prices, upstreams, clock, options, json, (plan, priceList, now) =>
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
}
