using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Accounts;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Pricing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Stock;

/// <summary>
/// <c>PUT /admin/stock/dedicated-mobile</c> <c>{"NL": n, "UK": n}</c>: sets the locations given. Stock is per mode:
/// <c>?mode=test</c> sets the sandbox's (default <c>live</c>).
/// </summary>
internal static class PutDedicatedMobileStock
{
    [SchemaId("AdminStockDedicatedMobileStockAdminResponse")]
    internal sealed record DedicatedMobileStockAdminResponse(
        [property: JsonPropertyName("mode")] string Mode,
        [property: JsonPropertyName("stock")] IReadOnlyDictionary<string, int> Stock);

    public static async Task<ApiOk<Envelope<DedicatedMobileStockAdminResponse>>> Handle(
        Dictionary<string, int> request, [FromQuery] string? mode, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var parsedMode = mode is null ? Mode.Live : AdminLookup.ParseMode(mode, "mode");
        var errors = new FieldErrors();
        if (request.Count == 0)
        {
            errors.Add("body", "must set at least one location: {\"NL\": n, \"UK\": n}.");
        }

        foreach (var (location, stock) in request)
        {
            if (!DedicatedMobileLocations.All.Contains(location))
            {
                errors.Add(location, "is not a location; NL or UK.");
            }
            else if (stock is < 0 or > AdminStock.MaxStock)
            {
                errors.Add(location, $"must be between 0 and {AdminStock.MaxStock}.");
            }
        }

        errors.ThrowIfAny();
        var now = clock.GetUtcNow();
        var modeName = parsedMode.WireName();
        foreach (var (location, stock) in request)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO reseller.dedicated_mobile_stock (mode, location, stock, updated_at) VALUES ({modeName}, {location}, {stock}, {now})
                ON CONFLICT (mode, location) DO UPDATE SET stock = EXCLUDED.stock, updated_at = EXCLUDED.updated_at
                """, cancellationToken);
        }

        var current = await db.DedicatedMobileStock.AsNoTracking().Where(s => s.Mode == parsedMode)
            .ToDictionaryAsync(s => s.Location, s => s.Stock, cancellationToken);
        return ApiResults.Ok(Envelope.Of(new DedicatedMobileStockAdminResponse(modeName,
            DedicatedMobileLocations.All.ToDictionary(l => l, l => current.GetValueOrDefault(l)))));
    }
}
