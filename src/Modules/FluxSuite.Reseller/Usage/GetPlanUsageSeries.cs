using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.Reseller.Usage;

/// <summary>
/// <c>GET /usage/plans/{planId}?granularity=hourly|daily|weekly&amp;from=&amp;to=</c>: a plan's traffic as a series,
/// read from the hourly rollups only. Buckets are UTC: hours, days from midnight, ISO weeks from Monday; empty buckets are zeros.
/// </summary>
internal static class GetPlanUsageSeries
{
    [SchemaId("UsageSeriesSeriesTotals")]
    internal sealed record SeriesTotals(
        [property: JsonPropertyName("bytes")] long Bytes,
        [property: JsonPropertyName("gb")] decimal Gb,
        [property: JsonPropertyName("overage_bytes")] long OverageBytes,
        [property: JsonPropertyName("records")] long Records);

    [SchemaId("UsageSeriesSeriesResponse")]
    internal sealed record SeriesResponse(
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("product")] string Product,
        [property: JsonPropertyName("granularity"), AllowedValues("hourly", "daily", "weekly")] string Granularity,
        [property: JsonPropertyName("from")] DateTime From,
        [property: JsonPropertyName("to")] DateTime To,
        [property: JsonPropertyName("points")] IReadOnlyList<UsagePoint> Points,
        [property: JsonPropertyName("totals")] SeriesTotals Totals);

    public static async Task<ApiOk<Envelope<SeriesResponse>>> Handle(
        ResellerCaller caller, Guid planId, PooledStatements statements, TimeProvider clock,
        [FromQuery] string? granularity, [FromQuery] string? from, [FromQuery] string? to, CancellationToken cancellationToken)
    {
        var g = UsageBuckets.Granularities.FirstOrDefault(x => x.Name == (granularity ?? "daily"))
                ?? throw new ApiErrorException(ApiError.InvalidField("granularity", "must be one of hourly, daily, weekly."));
        var errors = new FieldErrors();
        var fromAt = Timestamp(errors, "from", from);
        var toAt = Timestamp(errors, "to", to);
        errors.ThrowIfAny();
        var now = clock.GetUtcNow();
        var end = toAt is { } t
            ? UsageBuckets.BucketStart(g, t) + (UsageBuckets.BucketStart(g, t) == t ? TimeSpan.Zero : g.Step)
            : UsageBuckets.BucketStart(g, now) + g.Step;
        var start = fromAt is { } f ? UsageBuckets.BucketStart(g, f) : end - (g.Step * g.DefaultBuckets);
        var rangeError = start >= end
            ? ApiError.InvalidField("from", "must be before to.")
            : (end - start).Ticks / g.Step.Ticks > g.MaxBuckets
                ? ApiError.InvalidField("from", $"the range holds more than {g.MaxBuckets} {g.Name} buckets; narrow it or use a coarser granularity.")
                : null;
        if (rangeError is not null)
        {
            // Someone else's plan is 404 whatever the range, as it was when the plan was read first.
            await ReadPlans.OwnedAsync(statements, caller, planId, cancellationToken);
            throw new ApiErrorException(rangeError);
        }

        // The plan lookup and the rollup read in one round trip.
        var (product, points) = await UsageBuckets.OwnedPlanBucketsAsync(statements, caller, planId, g, start, end, cancellationToken);
        return ApiResults.Ok(Envelope.Of(new SeriesResponse(planId, product.WireName(), g.Name, start.UtcDateTime, end.UtcDateTime, points,
            new SeriesTotals(points.Sum(p => p.Bytes), PlanResponse.Gb(points.Sum(p => p.Bytes)), points.Sum(p => p.OverageBytes), points.Sum(p => p.Records)))));
    }

    /// <summary>An optional ISO 8601 date-time query value (without an offset: UTC).</summary>
    private static DateTimeOffset? Timestamp(FieldErrors errors, string field, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed.ToUniversalTime();
        }

        errors.Add(field, "must be an ISO 8601 date-time such as 2026-01-15T00:00:00Z.");
        return null;
    }
}
