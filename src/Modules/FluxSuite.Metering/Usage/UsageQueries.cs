using FluxSuite.Metering.Data;
using FluxSuite.Metering.Meters;
using Npgsql;

namespace FluxSuite.Metering.Usage;

/// <summary>
/// Aggregates a meter's events over <c>[from, to)</c> with the meter's own aggregation, for one customer
/// or all: SUM and MAX of quantities, COUNT of events, UNIQUE_COUNT of distinct values of the meter's
/// property, LATEST quantity (by event timestamp, then arrival). Invoicing reads usage the same way.
/// </summary>
internal sealed class UsageQueries(NpgsqlDataSource dataSource)
{
    public sealed record Bucket(DateTimeOffset Start, decimal? Value);

    /// <summary>One customer's usage of one meter over <c>[From, To)</c>.</summary>
    public sealed record Range(Guid CustomerId, Feature Meter, DateTimeOffset From, DateTimeOffset To);

    /// <summary>
    /// Many ranges in one statement, each aggregated its meter's way, on the given connection (and so
    /// inside its transaction). The answer is in the order of <paramref name="ranges"/>; null where MAX
    /// or LATEST saw no event. Each range is one index range scan of (customer_id, meter_id, timestamp).
    /// </summary>
    public static async Task<decimal?[]> TotalsAsync(NpgsqlConnection connection, IReadOnlyList<Range> ranges, CancellationToken cancellationToken)
    {
        var totals = new decimal?[ranges.Count];
        if (ranges.Count == 0)
        {
            return totals;
        }

        const string Where = "e.customer_id = i.customer_id AND e.meter_id = i.meter_id AND e.\"timestamp\" >= i.from_ts AND e.\"timestamp\" < i.to_ts";
        var branches = string.Join("\n", Aggregations.All.Select(a =>
            $"WHEN '{a}' THEN (SELECT ({Expression(a, "i.property")})::numeric FROM metering.events e WHERE {Where})"));
        await using var command = new NpgsqlCommand(
            $"""
             SELECT i.idx, CASE i.aggregation {branches} END
             FROM unnest($1::int[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::timestamptz[], $6::text[], $7::text[])
                  AS i(idx, customer_id, meter_id, from_ts, to_ts, aggregation, property)
             """, connection);
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. Enumerable.Range(0, ranges.Count)] });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. ranges.Select(r => r.CustomerId)] });
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. ranges.Select(r => r.Meter.MeterId)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. ranges.Select(r => r.From)] });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. ranges.Select(r => r.To)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ranges.Select(r => r.Meter.AggregationType)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. ranges.Select(r => r.Meter.PropertyName ?? string.Empty)] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            totals[reader.GetInt32(0)] = reader.IsDBNull(1) ? null : reader.GetDecimal(1);
        }

        return totals;
    }

    /// <summary>The aggregate over the whole range; null when MAX or LATEST saw no event.</summary>
    public async Task<decimal?> TotalAsync(Feature meter, Guid? customerId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {Expression(meter.AggregationType, "$5")} FROM metering.events e WHERE {Filter(customerId)}");
        AddParameters(command, meter, customerId, from, to);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The aggregate per bucket (<c>hour</c>, <c>day</c> or <c>month</c>, UTC) for buckets that have events.</summary>
    public async Task<Dictionary<DateTimeOffset, decimal?>> SeriesAsync(
        Feature meter, Guid? customerId, DateTimeOffset from, DateTimeOffset to, string granularity, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
             SELECT date_trunc('{granularity}', e."timestamp", 'UTC') AS bucket, {Expression(meter.AggregationType, "$5")}
             FROM metering.events e WHERE {Filter(customerId)}
             GROUP BY bucket
             """);
        AddParameters(command, meter, customerId, from, to);
        var series = new Dictionary<DateTimeOffset, decimal?>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            series[reader.GetFieldValue<DateTimeOffset>(0)] = reader.IsDBNull(1) ? null : Convert.ToDecimal(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }

        return series;
    }

    /// <summary>What an aggregation reports for a range without events: 0 for counts and sums, nothing for MAX and LATEST.</summary>
    public static decimal? Empty(string aggregation) => aggregation is Aggregations.Max or Aggregations.Latest ? null : 0m;

    /// <summary>The aggregate over events <c>e</c>; <paramref name="property"/> is the SQL that names the UNIQUE_COUNT property.</summary>
    private static string Expression(string aggregation, string property) => aggregation switch
    {
        Aggregations.Sum => "COALESCE(sum(e.quantity), 0)",
        Aggregations.Count => "count(*)",
        Aggregations.Max => "max(e.quantity)",
        Aggregations.UniqueCount => $"count(DISTINCT e.properties ->> {property})",
        Aggregations.Latest => "(array_agg(e.quantity ORDER BY e.\"timestamp\" DESC, e.received_at DESC, e.id DESC))[1]",
        _ => throw new InvalidOperationException($"Unknown aggregation {aggregation}."),
    };

    private static string Filter(Guid? customerId) =>
        "e.organization_id = $1 AND e.meter_id = $2 AND e.\"timestamp\" >= $3 AND e.\"timestamp\" < $4"
        + (customerId is null ? string.Empty : " AND e.customer_id = $6");

    private static void AddParameters(NpgsqlCommand command, Feature meter, Guid? customerId, DateTimeOffset from, DateTimeOffset to)
    {
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = meter.OrganizationId });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = meter.MeterId });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = from });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = to });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = meter.PropertyName ?? string.Empty });
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = customerId ?? Guid.Empty });
    }
}
