using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Accounts;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Pricing;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Stock;

/// <summary>A pool as the reference shows it (camelCase <c>inStock</c>/<c>isSubnet</c>, as the reference has them).</summary>
internal sealed record PoolResponse(
    [property: JsonPropertyName("pool")] string Pool,
    [property: JsonPropertyName("inStock")] bool InStock,
    [property: JsonPropertyName("stock")] int Stock,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("provider"), AllowedValues("ISP", "SN")] string Provider,
    [property: JsonPropertyName("isSubnet")] bool IsSubnet)
{
    public static PoolResponse From(ProxyPool p) => new(p.Name, p.Stock > 0, p.Stock, p.Title, p.Provider, p.IsSubnet);
}

/// <summary>The reseller's stock endpoints: dedicated ISP pools, dedicated mobile devices and unlimited trial servers.</summary>
internal static class StockEndpoints
{
    internal sealed record PoolList(
        [property: JsonPropertyName("pools")] IReadOnlyList<PoolResponse> Pools,
        [property: JsonPropertyName("total")] int Total,
        [property: JsonPropertyName("in_stock_count")] int InStockCount);

    internal sealed record StockSummary(
        [property: JsonPropertyName("pools")] int Pools,
        [property: JsonPropertyName("in_stock_pools")] int InStockPools,
        [property: JsonPropertyName("stock")] int Stock);

    internal sealed record StockResponse(
        [property: JsonPropertyName("total")] StockSummary Total,
        [property: JsonPropertyName("isp")] StockSummary Isp,
        [property: JsonPropertyName("subnet")] StockSummary Subnet,
        [property: JsonPropertyName("countries")] IReadOnlyDictionary<string, StockSummary> Countries);

    internal sealed record LocationStock(
        [property: JsonPropertyName("location")] string Location,
        [property: JsonPropertyName("stock")] int Stock,
        [property: JsonPropertyName("in_stock")] bool InStock);

    internal sealed record DedicatedMobileStockResponse(
        [property: JsonPropertyName("locations")] IReadOnlyList<LocationStock> Locations,
        [property: JsonPropertyName("total_stock")] int TotalStock);

    internal sealed record TrialStockResponse(
        [property: JsonPropertyName("available")] bool Available,
        [property: JsonPropertyName("servers_available")] int ServersAvailable,
        [property: JsonPropertyName("servers_total")] int ServersTotal,
        [property: JsonPropertyName("trial_duration_minutes")] int TrialDurationMinutes,
        [property: JsonPropertyName("bandwidth_mbps")] int BandwidthMbps);

    /// <summary><c>GET /proxies/pools?type=isp|subnet&amp;country=</c>.</summary>
    public static async Task<ApiOk<Envelope<PoolList>>> Pools(
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

    /// <summary><c>GET /proxies/stock</c>: pool statistics, overall, per type and per country.</summary>
    public static async Task<ApiOk<Envelope<StockResponse>>> Summary(ResellerCaller caller, ResellerDbContext db, CancellationToken cancellationToken)
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

    /// <summary><c>GET /servers/stock/dedicated-mobile</c>.</summary>
    public static async Task<ApiOk<Envelope<DedicatedMobileStockResponse>>> DedicatedMobile(
        ResellerCaller caller, ResellerDbContext db, CancellationToken cancellationToken)
    {
        await ProductAccess.RequireEnabledAsync(db, caller.ResellerId, Product.DedicatedMobile, cancellationToken);
        var stock = await db.DedicatedMobileStock.AsNoTracking().Where(s => s.Mode == caller.Mode)
            .ToDictionaryAsync(s => s.Location, s => s.Stock, cancellationToken);
        var locations = DedicatedMobileLocations.All.Select(l => new LocationStock(l, stock.GetValueOrDefault(l), stock.GetValueOrDefault(l) > 0)).ToList();
        return ApiResults.Ok(Envelope.Of(new DedicatedMobileStockResponse(locations, locations.Sum(l => l.Stock))));
    }

    /// <summary><c>GET /servers/stock/unlimited-residential-trial</c>: trial servers not taken by running trials.</summary>
    public static async Task<ApiOk<Envelope<TrialStockResponse>>> UnlimitedTrial(
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

/// <summary>
/// Operator stock routes: <c>PUT /admin/pools/{pool}</c> and <c>PUT /admin/stock/dedicated-mobile</c>. Stock is
/// per mode: <c>?mode=test</c> sets the sandbox's (default <c>live</c>).
/// </summary>
internal static partial class AdminStock
{
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record PoolRequest(
        [property: JsonPropertyName("title"), NeverNull] string? Title,
        [property: JsonPropertyName("provider"), AllowedValues("ISP", "SN")] string? Provider,
        [property: JsonPropertyName("country"), NeverNull] string? Country,
        [property: JsonPropertyName("stock"), NeverNull] int? Stock,
        [property: JsonPropertyName("isSubnet")] bool? IsSubnet);

    internal sealed record PoolAdminResponse(
        [property: JsonPropertyName("pool")] string Pool,
        [property: JsonPropertyName("mode")] string Mode,
        [property: JsonPropertyName("title")] string Title,
        [property: JsonPropertyName("provider")] string Provider,
        [property: JsonPropertyName("country")] string Country,
        [property: JsonPropertyName("stock")] int Stock,
        [property: JsonPropertyName("inStock")] bool InStock,
        [property: JsonPropertyName("isSubnet")] bool IsSubnet);

    internal sealed record DedicatedMobileStockAdminResponse(
        [property: JsonPropertyName("mode")] string Mode,
        [property: JsonPropertyName("stock")] IReadOnlyDictionary<string, int> Stock);

    public const int MaxStock = 1_000_000;

    public static async Task<Results<ApiCreated<Envelope<PoolAdminResponse>>, ApiOk<Envelope<PoolAdminResponse>>>> PutPool(
        string pool, PoolRequest request, [FromQuery] string? mode, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var parsedMode = mode is null ? Mode.Live : AdminLookup.ParseMode(mode, "mode");
        var errors = new FieldErrors();
        if (!PoolName().IsMatch(pool))
        {
            errors.Add("pool", "must be 1–64 characters of A–Z, 0–9, _ and -, starting with a letter or digit (e.g. ISP_US_SNEAKERS).");
        }

        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Length > 200)
        {
            errors.Add("title", "is required (at most 200 characters).");
        }

        if (request.Provider is not ("ISP" or "SN"))
        {
            errors.Add("provider", "must be ISP (standard pool) or SN (subnet pool).");
        }

        if (request.Country is null || !CountryCode().IsMatch(request.Country))
        {
            errors.Add("country", "must be a two-letter country code such as US, UK or DE.");
        }

        if (request.Stock is not (>= 0 and <= MaxStock))
        {
            errors.Add("stock", $"is required: the IPs available, 0–{MaxStock}.");
        }

        if (request.IsSubnet is { } isSubnet && request.Provider is "ISP" or "SN" && isSubnet != (request.Provider == "SN"))
        {
            errors.Add("isSubnet", "must agree with provider: SN pools are subnet pools, ISP pools are not.");
        }

        errors.ThrowIfAny();
        var now = clock.GetUtcNow();
        var existing = await db.Pools.FirstOrDefaultAsync(p => p.Mode == parsedMode && p.Name == pool, cancellationToken);
        var entity = existing ?? new ProxyPool { Mode = parsedMode, Name = pool, Title = string.Empty, Provider = string.Empty, Country = string.Empty };
        entity.Title = request.Title!.Trim();
        entity.Provider = request.Provider!;
        entity.Country = request.Country!.ToUpperInvariant();
        entity.Stock = request.Stock!.Value;
        entity.IsSubnet = request.Provider == "SN";
        entity.UpdatedAt = now;
        if (existing is null)
        {
            db.Pools.Add(entity);
        }

        await db.SaveChangesAsync(cancellationToken);
        var body = Envelope.Of(new PoolAdminResponse(entity.Name, parsedMode.WireName(), entity.Title, entity.Provider, entity.Country,
            entity.Stock, entity.Stock > 0, entity.IsSubnet));
        return existing is null ? ApiResults.Created($"/admin/pools/{pool}", body) : ApiResults.Ok(body);
    }

    /// <summary><c>PUT /admin/stock/dedicated-mobile</c> <c>{"NL": n, "UK": n}</c>: sets the locations given.</summary>
    public static async Task<ApiOk<Envelope<DedicatedMobileStockAdminResponse>>> PutDedicatedMobile(
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
            else if (stock is < 0 or > MaxStock)
            {
                errors.Add(location, $"must be between 0 and {MaxStock}.");
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

    [GeneratedRegex("^[A-Z0-9][A-Z0-9_-]{0,63}$")]
    private static partial Regex PoolName();

    [GeneratedRegex("^[A-Za-z]{2}$")]
    private static partial Regex CountryCode();
}
