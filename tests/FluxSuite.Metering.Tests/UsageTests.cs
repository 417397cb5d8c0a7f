using System.Net;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Metering.Tests;

/// <summary>GET /usage with each aggregation, worked out by hand over the same events.</summary>
[Collection(MeteringCollection.Name)]
public sealed class UsageTests(MeteringApp app)
{
    private static readonly DateTimeOffset Hour10 = new(2026, 1, 15, 10, 0, 0, TimeSpan.Zero);

    private sealed record Setup(Tenant Tenant, Guid MeterId, Guid CustomerId, HttpClient Sdk);

    /// <summary>
    /// Customer A: 10:05 q5 user=a, 10:40 q2 user=b, 11:50 q1 user=c (sent first), 11:10 q7 user=a.
    /// Customer B: 10:30 q100 user=z.
    /// </summary>
    private async Task<Setup> SetUpAsync(string aggregation)
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var tenant = await app.SignUpAsync();
        var meter = await tenant.CreateMeterAsync(aggregation, property: "user");
        var a = await tenant.CreateCustomerAsync();
        var b = await tenant.CreateCustomerAsync();
        var sdk = tenant.SdkClient(await tenant.CreateApiKeyAsync());
        string E(JsonElement customer, int minutes, int quantity, string user) => $$"""
            {"meter_token": "{{meter.GetProperty("meter_token")}}", "customer_external_id": "{{customer.GetProperty("external_id")}}",
             "quantity": {{quantity}}, "timestamp": "{{Hour10.AddMinutes(minutes):O}}", "properties": {"user": "{{user}}" } }
            """;
        var batch = $"{{\"events\": [{E(a, 5, 5, "a")}, {E(a, 40, 2, "b")}, {E(a, 110, 1, "c")}, {E(a, 70, 7, "a")}, {E(b, 30, 100, "z")}]}}";
        var written = await JsonHttp.ReadBodyAsync(await sdk.PostAsync($"{MeteringApp.Base}/sdk/track/batch", JsonHttp.RequestBody(batch)));
        Assert.Equal(5, written.GetProperty("accepted").GetInt32());
        return new Setup(tenant, meter.GetProperty("meter_id").GetGuid(), a.GetProperty("id").GetGuid(), sdk);
    }

    private static async Task<(decimal?[] Series, decimal? Total)> UsageAsync(Setup s, bool oneCustomer = true)
    {
        var query = $"/usage?meter_id={s.MeterId}&from=2026-01-15T10:00:00Z&to=2026-01-15T12:00:00Z&granularity=hour"
                    + (oneCustomer ? $"&customer_id={s.CustomerId}" : string.Empty);
        var body = await s.Tenant.GetOkAsync(query);
        var series = body.GetProperty("series").EnumerateArray()
            .Select(p => p.GetProperty("value").ValueKind == JsonValueKind.Null ? (decimal?)null : p.GetProperty("value").GetDecimal()).ToArray();
        var total = body.GetProperty("total").ValueKind == JsonValueKind.Null ? (decimal?)null : body.GetProperty("total").GetDecimal();
        return (series, total);
    }

    [Theory]
    // SUM: 10h 5+2 = 7, 11h 7+1 = 8, total 15
    [InlineData("SUM", 7, 8, 15)]
    // COUNT: two events each hour
    [InlineData("COUNT", 2, 2, 4)]
    // MAX: 10h max(5,2) = 5, 11h max(7,1) = 7, total 7
    [InlineData("MAX", 5, 7, 7)]
    // UNIQUE_COUNT of user: 10h {a,b}, 11h {a,c}, total {a,b,c}
    [InlineData("UNIQUE_COUNT", 2, 2, 3)]
    // LATEST by timestamp (not arrival): 10h the 10:40 event (2), 11h the 11:50 event (1), total 1
    [InlineData("LATEST", 2, 1, 1)]
    public async Task Given_a_meter_aggregation_Then_the_series_and_total_follow_it(string aggregation, int hour10, int hour11, int total)
    {
        var s = await SetUpAsync(aggregation);

        var (series, sum) = await UsageAsync(s);

        Assert.Equal([hour10, hour11], series);
        Assert.Equal(total, sum);
    }

    [Fact]
    public async Task Given_no_customer_filter_Then_every_customer_of_the_meter_counts()
    {
        var s = await SetUpAsync("SUM");

        var (series, total) = await UsageAsync(s, oneCustomer: false);

        Assert.Equal([107m, 8m], series);
        Assert.Equal(115m, total);
    }

    [Fact]
    public async Task Given_a_range_with_an_empty_hour_Then_MAX_reports_null_and_SUM_zero_there()
    {
        var s = await SetUpAsync("MAX");

        var body = await s.Tenant.GetOkAsync($"/usage?meter_id={s.MeterId}&from=2026-01-15T09:00:00Z&to=2026-01-15T10:00:00Z&granularity=hour");

        Assert.Equal(JsonValueKind.Null, body.GetProperty("series")[0].GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("total").ValueKind);
    }

    [Fact]
    public async Task Given_an_API_key_Then_usage_read_may_read_usage_and_usage_write_alone_may_not()
    {
        var s = await SetUpAsync("SUM");
        var reader = s.Tenant.SdkClient(await s.Tenant.CreateApiKeyAsync("usage.read"));
        var path = $"{MeteringApp.Base}/usage?meter_id={s.MeterId}&from=2026-01-15T10:00:00Z&to=2026-01-15T12:00:00Z&granularity=day";

        var allowed = await reader.GetAsync(path);
        var refused = await s.Sdk.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(115m, (await JsonHttp.ReadBodyAsync(allowed)).GetProperty("total").GetDecimal());
        await Http.ProblemAsync(refused, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Given_another_organizations_meter_or_customer_Then_404()
    {
        var s = await SetUpAsync("SUM");
        var other = await app.SignUpAsync();

        var meter = await other.Client.GetAsync($"{MeteringApp.Base}/usage?meter_id={s.MeterId}");
        var otherKey = other.SdkClient(await other.CreateApiKeyAsync("usage.read"));
        var viaKey = await otherKey.GetAsync($"{MeteringApp.Base}/usage?meter_id={s.MeterId}");
        var customer = await other.Client.GetAsync($"{MeteringApp.Base}/customers/{s.CustomerId}/usage");

        await Http.ProblemAsync(meter, HttpStatusCode.NotFound);
        await Http.ProblemAsync(viaKey, HttpStatusCode.NotFound);
        await Http.ProblemAsync(customer, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Given_bad_query_values_Then_400_naming_them()
    {
        var s = await SetUpAsync("SUM");

        var granularity = await s.Tenant.Client.GetAsync($"{MeteringApp.Base}/usage?meter_id={s.MeterId}&granularity=week");
        var missing = await s.Tenant.Client.GetAsync($"{MeteringApp.Base}/usage");
        var tooMany = await s.Tenant.Client.GetAsync($"{MeteringApp.Base}/usage?meter_id={s.MeterId}&from=2025-01-01T00:00:00Z&granularity=hour");

        Assert.True((await Http.ProblemAsync(granularity, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("granularity", out _));
        Assert.True((await Http.ProblemAsync(missing, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("meter_id", out _));
        await Http.ProblemAsync(tooMany, HttpStatusCode.BadRequest);
    }
}
