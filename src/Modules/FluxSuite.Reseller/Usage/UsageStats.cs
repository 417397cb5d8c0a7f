using System.Globalization;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Usage;

/// <summary>
/// <c>GET /plans/{planId}/usage-stats?from=&amp;to=</c> (Unix seconds, <c>from &lt; to</c>, at most 30 days apart): the
/// monitor series of an unlimited residential plan, one point per UTC hour overlapping the window, with the
/// traffic (hourly rollups), the average rate and the server's restart downtime. Other products are a 400.
/// </summary>
internal static class UsageStats
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(30);

    internal sealed record Point(
        [property: JsonPropertyName("timestamp")] long Timestamp,
        [property: JsonPropertyName("bytes")] long Bytes,
        [property: JsonPropertyName("overage_bytes")] long OverageBytes,
        [property: JsonPropertyName("avg_mbps")] decimal AvgMbps,
        [property: JsonPropertyName("downtime_seconds")] long DowntimeSeconds);

    internal sealed record Totals(
        [property: JsonPropertyName("bytes")] long Bytes,
        [property: JsonPropertyName("gb")] decimal Gb,
        [property: JsonPropertyName("overage_bytes")] long OverageBytes,
        [property: JsonPropertyName("downtime_seconds")] long DowntimeSeconds,
        [property: JsonPropertyName("restarts")] int Restarts);

    internal sealed record Response(
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("product")] string Product,
        [property: JsonPropertyName("from")] long From,
        [property: JsonPropertyName("to")] long To,
        [property: JsonPropertyName("interval_seconds")] int IntervalSeconds,
        [property: JsonPropertyName("points")] IReadOnlyList<Point> Points,
        [property: JsonPropertyName("totals")] Totals Totals);

    public static async Task<ApiOk<Envelope<Response>>> Handle(
        ResellerCaller caller, Guid planId, ResellerDbContext db, [FromQuery] string? from, [FromQuery] string? to, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var fromSeconds = UnixSeconds(errors, "from", from);
        var toSeconds = UnixSeconds(errors, "to", to);
        errors.ThrowIfAny();
        if (fromSeconds >= toSeconds)
        {
            throw new ApiErrorException(ApiError.InvalidField("from", $"must be before to (from {fromSeconds}, to {toSeconds})."));
        }

        if (toSeconds - fromSeconds > (long)MaxWindow.TotalSeconds)
        {
            throw new ApiErrorException(ApiError.InvalidField("to", $"the window is at most 30 days ({(long)MaxWindow.TotalSeconds} seconds)."));
        }

        var plan = await ReadPlans.OwnedAsync(db, caller, planId);
        if (plan.Product != Product.UnlimitedResidential)
        {
            throw new ApiErrorException(ApiError.InvalidField("plan_id",
                $"usage-stats is the monitor series of unlimited_residential plans; plan {plan.Id} is {plan.Product.WireName()} (GET /usage/plans/{plan.Id} has its traffic)."));
        }

        var start = DateTimeOffset.FromUnixTimeSeconds(fromSeconds!.Value);
        var end = DateTimeOffset.FromUnixTimeSeconds(toSeconds!.Value);
        var firstHour = UsageIngest.Truncate(start, TimeSpan.TicksPerHour);
        var hours = await db.UsageHours.AsNoTracking()
            .Where(h => h.PlanId == plan.Id && h.Hour >= firstHour && h.Hour < end)
            .ToDictionaryAsync(h => h.Hour.ToUniversalTime(), cancellationToken);
        var restarts = await db.ServerEvents.AsNoTracking()
            .Where(e => e.PlanId == plan.Id && e.Kind == ServerEventKind.Restart && e.CompletesAt > start && e.RequestedAt < end)
            .Select(e => new { e.RequestedAt, e.CompletesAt })
            .ToListAsync(cancellationToken);

        var points = new List<Point>();
        for (var hour = firstHour; hour < end; hour = hour.AddHours(1))
        {
            var bucketStart = hour < start ? start : hour;
            var bucketEnd = hour.AddHours(1) > end ? end : hour.AddHours(1);
            var down = restarts.Sum(r => Overlap(r.RequestedAt, r.CompletesAt, bucketStart, bucketEnd));
            var row = hours.GetValueOrDefault(hour);
            var bytes = row?.Bytes ?? 0;
            points.Add(new Point(hour.ToUnixTimeSeconds(), bytes, row?.OverageBytes ?? 0, Math.Round(bytes * 8m / 3600m / 1_000_000m, 3), down));
        }

        var total = points.Sum(p => p.Bytes);
        return ApiResults.Ok(Envelope.Of(new Response(plan.Id, plan.Product.WireName(), fromSeconds.Value, toSeconds.Value, 3600, points,
            new Totals(total, PlanResponse.Gb(total), points.Sum(p => p.OverageBytes), points.Sum(p => p.DowntimeSeconds), restarts.Count))));
    }

    private static long Overlap(DateTimeOffset aStart, DateTimeOffset aEnd, DateTimeOffset bStart, DateTimeOffset bEnd)
    {
        var s = aStart > bStart ? aStart : bStart;
        var e = aEnd < bEnd ? aEnd : bEnd;
        return e > s ? (long)(e - s).TotalSeconds : 0;
    }

    private static long? UnixSeconds(FieldErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "is required: Unix seconds.");
            return null;
        }

        // Up to the year 9999, which DateTimeOffset can represent.
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253_402_300_799)
        {
            errors.Add(field, "must be a whole number of Unix seconds (0 or more).");
            return null;
        }

        return seconds;
    }
}
