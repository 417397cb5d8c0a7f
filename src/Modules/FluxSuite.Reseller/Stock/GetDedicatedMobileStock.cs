using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Accounts;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Pricing;
using FluxSuite.Reseller.Security;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Stock;

/// <summary><c>GET /servers/stock/dedicated-mobile</c>: dedicated mobile stock per location.</summary>
internal static class GetDedicatedMobileStock
{
    [SchemaId("StockEndpointsLocationStock")]
    internal sealed record LocationStock(
        [property: JsonPropertyName("location")] string Location,
        [property: JsonPropertyName("stock")] int Stock,
        [property: JsonPropertyName("in_stock")] bool InStock);

    [SchemaId("StockEndpointsDedicatedMobileStockResponse")]
    internal sealed record DedicatedMobileStockResponse(
        [property: JsonPropertyName("locations")] IReadOnlyList<LocationStock> Locations,
        [property: JsonPropertyName("total_stock")] int TotalStock);

    public static async Task<ApiOk<Envelope<DedicatedMobileStockResponse>>> Handle(
        ResellerCaller caller, ResellerDbContext db, CancellationToken cancellationToken)
    {
        await ProductAccess.RequireEnabledAsync(db, caller.ResellerId, Product.DedicatedMobile, cancellationToken);
        var stock = await db.DedicatedMobileStock.AsNoTracking().Where(s => s.Mode == caller.Mode)
            .ToDictionaryAsync(s => s.Location, s => s.Stock, cancellationToken);
        var locations = DedicatedMobileLocations.All.Select(l => new LocationStock(l, stock.GetValueOrDefault(l), stock.GetValueOrDefault(l) > 0)).ToList();
        return ApiResults.Ok(Envelope.Of(new DedicatedMobileStockResponse(locations, locations.Sum(l => l.Stock))));
    }
}
