using System.Security.Claims;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Usage;

/// <summary>
/// <c>GET /usage?meter_id=&amp;customer_id=&amp;from=&amp;to=&amp;granularity=hour|day|month</c>: the meter's
/// usage per UTC bucket and over the whole range, aggregated the meter's way. Defaults: the last 30
/// days up to now, by day. Open to dashboard users and to API keys with usage.read.
/// </summary>
internal static class GetUsage
{
    public const int MaxBuckets = 1000;
    private static readonly string[] Granularities = ["hour", "day", "month"];

    internal sealed record Point(DateTimeOffset Start, DateTimeOffset End, decimal? Value);

    internal sealed record Response(
        [property: JsonPropertyName("meter_id")] Guid MeterId,
        [property: JsonPropertyName("customer_id")] Guid? CustomerId,
        [property: JsonPropertyName("aggregation_type")] string AggregationType,
        string? Unit,
        string Granularity,
        DateTimeOffset From,
        DateTimeOffset To,
        decimal? Total,
        IReadOnlyList<Point> Series);

    public static async Task<ApiOk<Response>> Handle(
        ClaimsPrincipal caller, MeteringDbContext db, UsageQueries usage, TimeProvider clock, CancellationToken cancellationToken,
        [FromQuery(Name = "meter_id")] Guid? meterId, [FromQuery(Name = "customer_id")] Guid? customerId,
        [FromQuery] DateTimeOffset? from, [FromQuery] DateTimeOffset? to, [FromQuery] string? granularity)
    {
        var errors = new FieldErrors();
        if (meterId is null)
        {
            errors.Add("meter_id", "is required.");
        }

        var step = granularity?.ToLowerInvariant() ?? "day";
        if (!Granularities.Contains(step, StringComparer.Ordinal))
        {
            errors.Add("granularity", "must be hour, day or month.");
        }

        var end = (to ?? clock.GetUtcNow()).ToUniversalTime();
        var start = (from ?? end.AddDays(-30)).ToUniversalTime();
        if (start >= end)
        {
            errors.Add("from", "must be before to.");
        }

        errors.ThrowIfAny();

        var buckets = Buckets(start, end, step).ToList();
        if (buckets.Count > MaxBuckets)
        {
            throw Problems.Invalid("granularity", $"the range holds {buckets.Count:N0} {step}s; at most {MaxBuckets:N0} buckets: use a coarser granularity or a shorter range.");
        }

        var organizationId = caller.OrganizationId();
        var meter = await db.Set<Feature>().AsNoTracking()
            .FirstOrDefaultAsync(f => (f.MeterId == meterId || f.Id == meterId) && f.OrganizationId == organizationId, cancellationToken);
        if (meter is null)
        {
            throw new ApiErrorException(ApiError.NotFound($"meter_id: no meter with id {meterId} in your organization."));
        }

        if (customerId is not null && !await db.Set<Customer>().AnyAsync(c => c.Id == customerId && c.OrganizationId == organizationId, cancellationToken))
        {
            throw new ApiErrorException(ApiError.NotFound($"customer_id: no customer with id {customerId} in your organization."));
        }

        var series = await usage.SeriesAsync(meter, customerId, start, end, step, cancellationToken);
        var total = await usage.TotalAsync(meter, customerId, start, end, cancellationToken);
        var empty = UsageQueries.Empty(meter.AggregationType);
        var points = buckets.Select(b => new Point(b.Start, b.End, (series.TryGetValue(b.Start, out var v) ? v : empty).Normalize())).ToList();
        return ApiResults.Ok(new Response(meter.MeterId, customerId, meter.AggregationType, meter.Unit, step, start, end,
            (total ?? empty).Normalize(), points));
    }

    /// <summary>The UTC buckets that overlap <c>[from, to)</c>, each from its truncated start to the next.</summary>
    private static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Buckets(DateTimeOffset from, DateTimeOffset to, string step)
    {
        var start = step switch
        {
            "hour" => new DateTimeOffset(from.Year, from.Month, from.Day, from.Hour, 0, 0, TimeSpan.Zero),
            "day" => new DateTimeOffset(from.Year, from.Month, from.Day, 0, 0, 0, TimeSpan.Zero),
            _ => new DateTimeOffset(from.Year, from.Month, 1, 0, 0, 0, TimeSpan.Zero),
        };
        for (var count = 0; start < to && count <= MaxBuckets; count++)
        {
            var next = step switch { "hour" => start.AddHours(1), "day" => start.AddDays(1), _ => start.AddMonths(1) };
            yield return (start, next);
            start = next;
        }
    }
}
