using System.Text.Json.Serialization;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Plans;

internal static class PlanTypes
{
    public const string Fixed = "FIXED";
    public const string Usage = "USAGE";
    public const string Hybrid = "HYBRID";

    public static readonly string[] All = [Fixed, Usage, Hybrid];
}

internal static class BillingIntervals
{
    public const string Month = "month";
    public const string Year = "year";

    public static readonly string[] All = [Month, Year];
}

internal sealed record TierResponse(
    [property: JsonPropertyName("up_to")] decimal? UpTo,
    [property: JsonPropertyName("unit_price")] decimal UnitPrice,
    [property: JsonPropertyName("flat_fee")] decimal FlatFee);

internal sealed record ChargeResponse(
    Guid Id,
    [property: JsonPropertyName("plan_id")] Guid PlanId,
    string Type,
    [property: JsonPropertyName("display_name")] string DisplayName,
    decimal? Amount,
    [property: JsonPropertyName("meter_id")] Guid? MeterId,
    [property: JsonPropertyName("pricing_model")] string? PricingModel,
    [property: JsonPropertyName("unit_price")] decimal? UnitPrice,
    IReadOnlyList<TierResponse>? Tiers,
    [property: JsonPropertyName("package_size")] decimal? PackageSize,
    [property: JsonPropertyName("package_price")] decimal? PackagePrice,
    string Status,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("archived_at")] DateTimeOffset? ArchivedAt)
{
    public static ChargeResponse From(Charge c) => new(
        c.Id, c.PlanId, c.Type, c.DisplayName, c.Amount.Normalize(), c.MeterId, c.PricingModel, c.UnitPrice.Normalize(),
        c.Tiers?.Select(t => new TierResponse(t.UpTo.Normalize(), t.UnitPrice.Normalize(), t.FlatFee.Normalize())).ToList(),
        c.PackageSize.Normalize(), c.PackagePrice.Normalize(), c.ArchivedAt is null ? "active" : "archived", c.CreatedAt, c.UpdatedAt, c.ArchivedAt);
}

internal sealed record PlanResponse(
    Guid Id,
    string Name,
    [property: JsonPropertyName("lookup_id")] string LookupId,
    string? Description,
    string Type,
    [property: JsonPropertyName("billing_interval")] string BillingInterval,
    string Currency,
    string Status,
    IReadOnlyList<ChargeResponse> Charges,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("archived_at")] DateTimeOffset? ArchivedAt)
{
    /// <summary>The plan with its active charges, oldest first.</summary>
    public static PlanResponse From(Plan p, IEnumerable<Charge> charges) => new(
        p.Id, p.Name, p.LookupId, p.Description, p.Type, p.BillingInterval, p.Currency, p.ArchivedAt is null ? "active" : "archived",
        [.. charges.Where(c => c.PlanId == p.Id && c.ArchivedAt == null).OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Select(ChargeResponse.From)],
        p.CreatedAt, p.UpdatedAt, p.ArchivedAt);
}
