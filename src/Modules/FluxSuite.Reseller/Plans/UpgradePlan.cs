using System.ComponentModel.DataAnnotations;
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
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace FluxSuite.Reseller.Plans;

/// <summary>
/// <c>POST /plans/{planId}/upgrade</c>: a higher bandwidth cap for an unlimited residential plan, charged as a
/// <c>purchase</c> ledger entry for the time the plan has left (the plan changes through <see cref="ChangePlan"/>).
/// </summary>
internal static class UpgradePlan
{
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow), SchemaId("ChangePlanUpgradeRequest")]
    internal sealed record Request : IIdempotentRequest
    {
        [JsonPropertyName("bandwidth_mbps"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
        [Required]
        public int? BandwidthMbps { get; init; }
    }

    public static Task<ApiOk<Envelope<PlanResponse>>> Handle(
        ResellerCaller caller, Guid planId, Request request, HttpContext http, ResellerDbContext db, PriceBook prices,
        UpstreamSelector upstreams, TimeProvider clock, IOptions<ResellerOptions> options, IOptions<HttpJsonOptions> json,
        CancellationToken cancellationToken) =>
        ChangePlan.ChangeAsync(caller, planId, http, db, prices, upstreams, clock, options, json, (plan, priceList, now) =>
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
}
