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
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Stock;

/// <summary>
/// <c>PUT /admin/pools/{pool}</c>: creates or updates a dedicated ISP pool. Stock is per mode: <c>?mode=test</c> sets the
/// sandbox's (default <c>live</c>).
/// </summary>
internal static partial class PutPool
{
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    [SchemaId("AdminStockPoolRequest")]
    internal sealed record PoolRequest(
        [property: JsonPropertyName("title"), NeverNull] string? Title,
        [property: JsonPropertyName("provider"), AllowedValues("ISP", "SN")] string? Provider,
        [property: JsonPropertyName("country"), NeverNull] string? Country,
        [property: JsonPropertyName("stock"), NeverNull] int? Stock,
        [property: JsonPropertyName("isSubnet")] bool? IsSubnet);

    [SchemaId("AdminStockPoolAdminResponse")]
    internal sealed record PoolAdminResponse(
        [property: JsonPropertyName("pool")] string Pool,
        [property: JsonPropertyName("mode")] string Mode,
        [property: JsonPropertyName("title")] string Title,
        [property: JsonPropertyName("provider")] string Provider,
        [property: JsonPropertyName("country")] string Country,
        [property: JsonPropertyName("stock")] int Stock,
        [property: JsonPropertyName("inStock")] bool InStock,
        [property: JsonPropertyName("isSubnet")] bool IsSubnet);

    public static async Task<Results<ApiCreated<Envelope<PoolAdminResponse>>, ApiOk<Envelope<PoolAdminResponse>>>> Handle(
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

        if (request.Stock is not (>= 0 and <= AdminStock.MaxStock))
        {
            errors.Add("stock", $"is required: the IPs available, 0–{AdminStock.MaxStock}.");
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

    [GeneratedRegex("^[A-Z0-9][A-Z0-9_-]{0,63}$")]
    private static partial Regex PoolName();

    [GeneratedRegex("^[A-Za-z]{2}$")]
    private static partial Regex CountryCode();
}
