using System.Net;
using System.Text.Json;

namespace FluxSuite.Reseller.Tests;

[Collection(ResellerCollection.Name)]
public sealed class PlanReadTests(ResellerApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _reseller = await app.CreateResellerAsync();
        await app.TopUpAsync(_reseller.Id, 1_000_000);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_a_plan_Then_GET_returns_exactly_the_PlanResponse_shape_plus_the_sub_user_and_usage_limits()
    {
        var created = await Buy(new { product = "residential", bandwidth_gb = 2, end_user_reference = "customer-42" });

        var response = await _reseller.Live().GetAsync($"/api/v1/plans/{created}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = await Api.DataAsync(response);
        Assert.Equal(
            ["billing", "billing_type", "connection", "created_at", "end_user_reference", "expires_at", "limits", "location",
             "plan_id", "product", "proxy_password", "proxy_username", "status", "sub_user_id"],
            Keys(plan));
        Assert.Equal(["format", "hostname", "port_http", "port_socks"], Keys(plan.GetProperty("connection")));
        Assert.Equal(["bandwidth_mbps", "bytes_used", "exhausted", "max_bytes", "max_gb", "overage_bytes"], Keys(plan.GetProperty("limits")));
        Assert.False(plan.GetProperty("limits").GetProperty("exhausted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, plan.GetProperty("sub_user_id").ValueKind);
        Assert.Equal(["cost_cents", "cost_formatted", "mode", "price_per_gb_cents"], Keys(plan.GetProperty("billing")));
        Assert.Equal(created, plan.GetProperty("plan_id").GetGuid());
        Assert.Equal("customer-42", plan.GetProperty("end_user_reference").GetString());
        Assert.Equal(2, plan.GetProperty("limits").GetProperty("max_gb").GetDecimal());
        Assert.Equal(2_000_000_000, plan.GetProperty("limits").GetProperty("max_bytes").GetInt64());
        Assert.Equal(0, plan.GetProperty("limits").GetProperty("bytes_used").GetInt64());
        Assert.Equal(JsonValueKind.Null, plan.GetProperty("expires_at").ValueKind);
        Assert.Equal("live", plan.GetProperty("billing").GetProperty("mode").GetString());
        Assert.Equal(300, plan.GetProperty("billing").GetProperty("price_per_gb_cents").GetInt64());
        Assert.Equal("$6.00", plan.GetProperty("billing").GetProperty("cost_formatted").GetString());
        Assert.EndsWith("Z", plan.GetProperty("created_at").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("residential-lite", "lite.proxyserver.bot", 6969, 9696, "")]
    [InlineData("residential", "geo.proxyserver.bot", 8080, 1080, "")]
    [InlineData("mobile", "geo.proxyserver.bot", 8080, 1080, "")]
    [InlineData("pool4", "v3-resi-us.proxyserver.bot", 10000, 11000, "-package-pool4")]
    public async Task Given_a_bandwidth_product_Then_its_connection_follows_the_references_formats(string product, string host, int http, int socks, string suffix)
    {
        var plan = await Api.DataAsync(await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product, bandwidth_gb = 1 }));

        AssertConnection(plan, host, http, socks, suffix);
    }

    [Theory]
    [InlineData("ipv6-residential", "v3-v6-resi.proxyserver.bot", 30, 31, "-package-ipv6")]
    [InlineData("ipv6-datacenter", "v3-v6-dc.proxyserver.bot", 50, 51, "")]
    public async Task Given_an_ipv6_product_Then_its_connection_follows_the_references_formats(string product, string host, int http, int socks, string suffix)
    {
        var plan = await Api.DataAsync(await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product, billing_type = "bandwidth", bandwidth_gb = 1 }));

        AssertConnection(plan, host, http, socks, suffix);
    }

    [Fact]
    public async Task Given_an_unlimited_plan_Then_it_connects_to_the_unlimited_gateway_with_the_zone_username_and_expires()
    {
        var plan = await Api.DataAsync(await _reseller.Live().PostJsonAsync("/api/v1/plans",
            new { product = "unlimited_residential", duration = "7_days", bandwidth_mbps = 400 }));

        AssertConnection(plan, "unlim.proxyserver.bot", 12000, 12000, "-zone-custom");
        Assert.Equal(400, plan.GetProperty("limits").GetProperty("bandwidth_mbps").GetInt32());
        Assert.Equal(JsonValueKind.Null, plan.GetProperty("limits").GetProperty("max_gb").ValueKind);
        Assert.Equal(app.Clock.GetUtcNow().AddDays(7).UtcDateTime, plan.GetProperty("expires_at").GetDateTime());
    }

    [Fact]
    public async Task Given_another_resellers_plan_id_Then_404_NOT_FOUND_without_its_data()
    {
        var planId = await Buy(new { product = "residential", bandwidth_gb = 1 });
        var other = await app.CreateResellerAsync("Other");

        var response = await other.Live().GetAsync($"/api/v1/plans/{planId}");

        var error = await Api.ErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.DoesNotContain("proxy", error.ToString(), StringComparison.OrdinalIgnoreCase);
        await Api.ErrorAsync(await other.Live().PostJsonAsync($"/api/v1/plans/{planId}/extend", new { add_bandwidth_gb = 1 }), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Given_a_live_plan_Then_the_sandbox_cannot_see_it()
    {
        var planId = await Buy(new { product = "residential", bandwidth_gb = 1 });

        var response = await _reseller.Sandbox().GetAsync($"/sandbox/api/v1/plans/{planId}");

        await Api.ErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Given_a_plan_id_that_is_not_a_uuid_Then_a_4xx_in_the_reseller_envelope()
    {
        var response = await _reseller.Live().GetAsync("/api/v1/plans/not-a-uuid");

        await Api.ErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Given_several_plans_Then_the_list_pages_newest_first_and_filters_by_product_and_status()
    {
        var first = await Buy(new { product = "residential", bandwidth_gb = 1 });
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await Buy(new { product = "mobile", bandwidth_gb = 1 });
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var hourly = await Buy(new { product = "datacenter", billing_type = "time", duration = "1_hour", mbps = 10 });
        app.Clock.Advance(TimeSpan.FromHours(2));

        var page1 = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/plans?page=1&per_page=2&status=all"));
        var page2 = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/plans?page=2&per_page=2"));
        var mobile = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/plans?product=mobile"));
        var active = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/plans?status=active"));
        var expired = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/plans?status=expired"));
        var cancelled = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/plans?status=cancelled"));

        Assert.Equal([hourly, second], Ids(page1));
        Assert.Equal([first], Ids(page2));
        Assert.Equal(3, page1.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(2, page1.GetProperty("pagination").GetProperty("total_pages").GetInt32());
        Assert.Equal([second], Ids(mobile));
        Assert.Equal([second, first], Ids(active));
        Assert.Equal([hourly], Ids(expired));
        Assert.Equal("expired", expired.GetProperty("plans")[0].GetProperty("status").GetString());
        Assert.Empty(Ids(cancelled));
    }

    [Theory]
    [InlineData("status=paused", "status")]
    [InlineData("product=pool9", "product")]
    [InlineData("per_page=101", "per_page")]
    [InlineData("page=0", "page")]
    public async Task Given_a_bad_list_parameter_Then_400_naming_it(string query, string field)
    {
        var response = await _reseller.Live().GetAsync($"/api/v1/plans?{query}");

        await Api.ValidationErrorAsync(response, field);
    }

    private async Task<Guid> Buy(object body)
    {
        var response = await _reseller.Live().PostJsonAsync("/api/v1/plans", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Api.DataAsync(response)).GetProperty("plan_id").GetGuid();
    }

    private static void AssertConnection(JsonElement plan, string host, int http, int socks, string suffix)
    {
        var connection = plan.GetProperty("connection");
        var user = plan.GetProperty("proxy_username").GetString();
        var password = plan.GetProperty("proxy_password").GetString();
        Assert.False(string.IsNullOrEmpty(user));
        Assert.False(string.IsNullOrEmpty(password));
        Assert.Equal(host, connection.GetProperty("hostname").GetString());
        Assert.Equal(http, connection.GetProperty("port_http").GetInt32());
        Assert.Equal(socks, connection.GetProperty("port_socks").GetInt32());
        Assert.Equal($"{user}{suffix}:{password}@{host}:{http}", connection.GetProperty("format").GetString());
    }

    private static List<string> Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static List<Guid> Ids(JsonElement list) => [.. list.GetProperty("plans").EnumerateArray().Select(p => p.GetProperty("plan_id").GetGuid())];
}
