using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Accounts;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Stock;

/// <summary><c>GET /proxies/pools?type=isp|subnet&amp;country=</c>: the dedicated ISP pools and their stock.</summary>
internal static class ListPools
{
    [SchemaId("StockEndpointsPoolList")]
    internal sealed record PoolList(
        [property: JsonPropertyName("pools")] IReadOnlyList<PoolResponse> Pools,
        [property: JsonPropertyName("total")] int Total,
        [property: JsonPropertyName("in_stock_count")] int InStockCount);

    public static async Task<ApiOk<Envelope<PoolList>>> Handle(
        ResellerCaller caller, ResellerDbContext db, [FromQuery] string? type, [FromQuery] string? country, CancellationToken cancellationToken)
    {
        await ProductAccess.RequireEnabledAsync(db, caller.ResellerId, Product.DedicatedIsp, cancellationToken);
        var query = db.Pools.AsNoTracking().Where(p => p.Mode == caller.Mode);
        query = type switch
        {
            null => query,
            "isp" => query.Where(p => !p.IsSubnet),
            "subnet" => query.Where(p => p.IsSubnet),
            _ => throw new ApiErrorException(ApiError.InvalidField("type", "must be isp or subnet.")),
        };
        if (!string.IsNullOrEmpty(country))
        {
            var code = country.Trim().ToUpperInvariant();
            query = query.Where(p => p.Country == code);
        }

        var pools = await query.OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return ApiResults.Ok(Envelope.Of(new PoolList([.. pools.Select(PoolResponse.From)], pools.Count, pools.Count(p => p.Stock > 0))));
    }
}
