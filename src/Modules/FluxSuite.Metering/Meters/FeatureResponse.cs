using System.Text.Json.Serialization;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Meters;

/// <summary>The aggregations a meter can use over its events.</summary>
internal static class Aggregations
{
    public const string Sum = "SUM";
    public const string Count = "COUNT";
    public const string Max = "MAX";
    public const string UniqueCount = "UNIQUE_COUNT";
    public const string Latest = "LATEST";

    public static readonly string[] All = [Sum, Count, Max, UniqueCount, Latest];
}

internal sealed record FeatureResponse(
    Guid Id,
    string Name,
    [property: JsonPropertyName("lookup_key")] string LookupKey,
    string Type,
    [property: JsonPropertyName("meter_id")] Guid MeterId,
    [property: JsonPropertyName("meter_name")] string MeterName,
    [property: JsonPropertyName("property_name")] string? PropertyName,
    [property: JsonPropertyName("aggregation_type")] string AggregationType,
    string? Unit,
    [property: JsonPropertyName("meter_token")] string MeterToken,
    string Status,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("archived_at")] DateTimeOffset? ArchivedAt)
{
    public static FeatureResponse From(Feature f) => new(
        f.Id, f.Name, f.LookupKey, f.Type, f.MeterId, f.MeterName, f.PropertyName, f.AggregationType, f.Unit, f.MeterToken,
        f.ArchivedAt is null ? "active" : "archived", f.CreatedAt, f.UpdatedAt, f.ArchivedAt);
}
