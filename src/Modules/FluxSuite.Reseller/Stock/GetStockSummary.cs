using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Accounts;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Stock;

/// <summary><c>GET /proxies/stock</c>: pool statistics, overall, per type and per country.</summary>
internal static class GetStockSummary
{
    [SchemaId("StockEndpointsStockSummary")]
    internal sealed record StockSummary(
        [property: JsonPropertyName("pools")] int Pools,
        [property: JsonPropertyName("in_stock_pools")] int InStockPools,
        [property: JsonPropertyName("stock")] int Stock);

    [SchemaId("StockEndpointsStockResponse")]
    internal sealed record StockResponse(
        [property: JsonPropertyName("total")] StockSummary Total,
        [property: JsonPropertyName("isp")] StockSummary Isp,
        [property: JsonPropertyName("subnet")] StockSummary Subnet,
        [property: JsonPropertyName("countries")] IReadOnlyDictionary<string, StockSummary> Countries);

    public static async Task<ApiOk<Envelope<StockResponse>>> Handle(ResellerCaller caller, ResellerDbContext db, CancellationToken cancellationToken)
    {
        await ProductAccess.RequireEnabledAsync(db, caller.ResellerId, Product.DedicatedIsp, cancellationToken);
        var pools = await db.Pools.AsNoTracking().Where(p => p.Mode == caller.Mode).ToListAsync(cancellationToken);
        static StockSummary Sum(IEnumerable<ProxyPool> pools)
        {
            var list = pools.ToList();
            return new StockSummary(list.Count, list.Count(p => p.Stock > 0), list.Sum(p => p.Stock));
        }

        return ApiResults.Ok(Envelope.Of(new StockResponse(
            Sum(pools), Sum(pools.Where(p => !p.IsSubnet)), Sum(pools.Where(p => p.IsSubnet)),
            pools.GroupBy(p => p.Country).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, Sum))));
    }
}
