using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Accounts;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Stock;

/// <summary><c>GET /servers/stock/unlimited-residential-trial</c>: trial servers not taken by running trials.</summary>
internal static class GetUnlimitedTrialStock
{
    [SchemaId("StockEndpointsTrialStockResponse")]
    internal sealed record TrialStockResponse(
        [property: JsonPropertyName("available")] bool Available,
        [property: JsonPropertyName("servers_available")] int ServersAvailable,
        [property: JsonPropertyName("servers_total")] int ServersTotal,
        [property: JsonPropertyName("trial_duration_minutes")] int TrialDurationMinutes,
        [property: JsonPropertyName("bandwidth_mbps")] int BandwidthMbps);

    public static async Task<ApiOk<Envelope<TrialStockResponse>>> Handle(
        ResellerCaller caller, ResellerDbContext db, TimeProvider clock, IOptions<ResellerOptions> options, CancellationToken cancellationToken)
    {
        await ProductAccess.RequireEnabledAsync(db, caller.ResellerId, Product.UnlimitedResidential, cancellationToken);
        var trial = options.Value.UnlimitedResidentialTrial;
        var running = await PlanPurchase.RunningTrialsAsync(db, caller.Mode, clock.GetUtcNow(), cancellationToken);
        var available = Math.Max(0, trial.Servers - running);
        return ApiResults.Ok(Envelope.Of(new TrialStockResponse(
            available > 0, available, trial.Servers, (int)trial.Duration.TotalMinutes, trial.BandwidthMbps)));
    }
}
