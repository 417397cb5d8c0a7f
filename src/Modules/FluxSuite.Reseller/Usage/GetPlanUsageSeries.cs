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
        ResellerCaller caller, Guid planId, HttpContext http, PooledStatements statements, TimeProvider clock,
        [FromQuery] string? granularity, [FromQuery] string? from, [FromQuery] string? to, CancellationToken cancellationToken)
    {
        var read = KeyedRead.Take<UsageBuckets.SeriesRead>(http);
        if (read is null)
        {
            var (query, queryError) = SeriesQuery.Parse(granularity, from, to);
            if (queryError is not null)
            {
                throw new ApiErrorException(queryError);
            }

            var (start, end, rangeError) = query!.RangeAt(clock.GetUtcNow());
            if (rangeError is not null)
            {
                // Someone else's plan is 404 whatever the range, as it was when the plan was read first.
                await ReadPlans.OwnedAsync(statements, caller, planId, cancellationToken);
                throw new ApiErrorException(rangeError);
            }

            // The plan lookup and the rollup read in one round trip.
            read = new UsageBuckets.SeriesRead(planId, query.Granularity, start, end);
            await read.RunAsync(statements, ReadOwner.Of(caller), cancellationToken);
        }

        var product = read.Product ?? throw ReadPlans.NotFound(planId);
        var points = read.Points();
        return ApiResults.Ok(Envelope.Of(new SeriesResponse(planId, product.WireName(), read.Granularity.Name, read.Start.UtcDateTime, read.End.UtcDateTime, points,
            new SeriesTotals(points.Sum(p => p.Bytes), PlanResponse.Gb(points.Sum(p => p.Bytes)), points.Sum(p => p.OverageBytes), points.Sum(p => p.Records)))));
    }

    /// <summary>
    /// The series' read, which rides with the key lookup (<see cref="KeyedRead"/>), for a request whose query is valid as of its
    /// arrival; none for one that is not (the handler answers it).
    /// </summary>
    public static KeyedRead? ReadFor(HttpContext http)
    {
        if (KeyedReads.RouteId(http, "planId") is not { } planId)
        {
            return null;
        }

        var q = http.Request.Query;
        var (query, queryError) = SeriesQuery.Parse(q["granularity"], q["from"], q["to"]);
        if (queryError is not null)
        {
            return null;
        }

        var (start, end, rangeError) = query!.RangeAt(http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        return rangeError is null ? new UsageBuckets.SeriesRead(planId, query.Granularity, start, end) : null;
    }

    /// <summary>A series request's granularity and its optional bounds.</summary>
    internal sealed record SeriesQuery(UsageBuckets.Granularity Granularity, DateTimeOffset? From, DateTimeOffset? To)
    {
        /// <summary>The query, or the 400 that refuses it.</summary>
        public static (SeriesQuery? Query, ApiError? Error) Parse(string? granularity, string? from, string? to)
        {
            if (UsageBuckets.Granularities.FirstOrDefault(x => x.Name == (granularity ?? "daily")) is not { } g)
            {
                return (null, ApiError.InvalidField("granularity", "must be one of hourly, daily, weekly."));
            }

            var errors = new FieldErrors();
            var fromAt = Timestamp(errors, "from", from);
            var toAt = Timestamp(errors, "to", to);
            return errors.Any ? (null, errors.ToApiError()) : (new SeriesQuery(g, fromAt, toAt), null);
        }

        /// <summary>The buckets' range as of <paramref name="now"/>, or the 400 that refuses it (the plan's 404 comes first).</summary>
        public (DateTimeOffset Start, DateTimeOffset End, ApiError? Error) RangeAt(DateTimeOffset now)
        {
            var g = Granularity;
            var end = To is { } t
                ? UsageBuckets.BucketStart(g, t) + (UsageBuckets.BucketStart(g, t) == t ? TimeSpan.Zero : g.Step)
                : UsageBuckets.BucketStart(g, now) + g.Step;
            var start = From is { } f ? UsageBuckets.BucketStart(g, f) : end - (g.Step * g.DefaultBuckets);
            var error = start >= end
                ? ApiError.InvalidField("from", "must be before to.")
                : (end - start).Ticks / g.Step.Ticks > g.MaxBuckets
                    ? ApiError.InvalidField("from", $"the range holds more than {g.MaxBuckets} {g.Name} buckets; narrow it or use a coarser granularity.")
                    : null;
            return (start, end, error);
        }
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
