using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.Reseller.Catalog;

namespace FluxSuite.Reseller.Pricing;

/// <summary>One product's prices (cents); each product shows only the components it is priced by.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record ProductPricing
{
    /// <summary><c>bandwidth</c>, <c>hybrid</c> (per GB or per time), <c>time</c> or <c>per_ip</c>; read-only.</summary>
    [JsonPropertyName("billing_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? BillingType { get; init; }

    [JsonPropertyName("price_per_gb_cents"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? PricePerGbCents { get; init; }

    /// <summary>The price of one day at <see cref="DayPriceMbps"/> Mbps.</summary>
    [JsonPropertyName("price_per_day_cents"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? PricePerDayCents { get; init; }

    /// <summary>The Mbps one day's price buys (always 100); read-only.</summary>
    [JsonPropertyName("day_price_mbps"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? DayPriceMbps { get; init; }

    [JsonPropertyName("trial_price_cents"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? TrialPriceCents { get; init; }

    [JsonPropertyName("locations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, LocationPricing>? Locations { get; init; }

    [JsonPropertyName("price_per_ip_30_days"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? PricePerIp30Days { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record LocationPricing([property: JsonPropertyName("price_per_day_cents")] long? PricePerDayCents);

/// <summary>
/// A price list: <c>{"currency":"USD","products":{"residential":{…},…}}</c>, as <c>GET /balance/pricing</c> shows it and
/// <c>PUT /admin/resellers/{id}/pricing</c> takes it.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record PricingDocument(
    [property: JsonPropertyName("currency")] string? Currency,
    [property: JsonPropertyName("products"), Required] Dictionary<string, ProductPricing>? Products)
{
    /// <summary>The one currency: prices are in US cents.</summary>
    public const string Usd = "USD";

    public static PricingDocument From(PriceList prices) => new(Usd, Catalog.Products.All.ToDictionary(
        p => p.WireName(),
        p => p.Billing() switch
        {
            BillingModel.Bandwidth => new ProductPricing { BillingType = "bandwidth", PricePerGbCents = prices.PerGb(p) },
            BillingModel.Hybrid => new ProductPricing
            {
                BillingType = "hybrid", PricePerGbCents = prices.PerGb(p), PricePerDayCents = prices.PerDay(p), DayPriceMbps = PriceComponent.DayPriceMbps,
            },
            BillingModel.Unlimited => new ProductPricing
            {
                BillingType = "time", PricePerDayCents = prices.PerDay(p), DayPriceMbps = PriceComponent.DayPriceMbps,
                TrialPriceCents = prices.Get(p, PriceComponent.Trial),
            },
            BillingModel.DedicatedMobile => new ProductPricing
            {
                BillingType = "time",
                Locations = DedicatedMobileLocations.All.ToDictionary(
                    l => l, l => new LocationPricing(prices.Get(p, PriceComponent.LocationPerDay(l)))),
            },
            _ => new ProductPricing { BillingType = "per_ip", PricePerIp30Days = prices.Get(p, PriceComponent.PerIp30Days) },
        }));
}
