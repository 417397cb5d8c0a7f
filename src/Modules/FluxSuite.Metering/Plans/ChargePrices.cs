using System.Text.Json.Serialization;

namespace FluxSuite.Metering.Plans;

/// <summary>
/// The fields of a charge's body that name and price it, taken by both <c>POST /plans/{id}/charges</c> and
/// <c>PATCH /plans/{id}/charges/{chargeId}</c>; <see cref="ChargeRules"/> checks them for the pricing model.
/// </summary>
internal abstract class ChargePrices
{
    [JsonPropertyName("display_name")]
    public string? DisplayName { get; init; }

    public decimal? Amount { get; init; }

    [JsonPropertyName("pricing_model")]
    public string? PricingModel { get; init; }

    [JsonPropertyName("unit_price")]
    public decimal? UnitPrice { get; init; }

    public IReadOnlyList<TierRequest>? Tiers { get; init; }

    [JsonPropertyName("package_size")]
    public decimal? PackageSize { get; init; }

    [JsonPropertyName("package_price")]
    public decimal? PackagePrice { get; init; }
}
