using System.Net;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

[Collection(ResellerCollection.Name)]
public sealed class ChangePlanTests(ResellerApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _reseller = await app.CreateResellerAsync();
        await app.TopUpAsync(_reseller.Id, 1_000_000);
        await app.SetPoolAsync("ISP_DE_GENERAL", 20, country: "DE");
        await app.SetDedicatedMobileStockAsync(nl: 5, uk: 5);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_a_bandwidth_plan_When_extended_by_GB_Then_max_bytes_and_cost_grow_and_an_extend_entry_is_charged()
    {
        var plan = await Buy(new { product = "residential", bandwidth_gb = 1 });

        var response = await Extend(plan, new { add_bandwidth_gb = 2.5 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var extended = await Api.DataAsync(response);
        Assert.Equal(3_500_000_000, extended.GetProperty("limits").GetProperty("max_bytes").GetInt64());
        Assert.Equal(300 + 750, extended.GetProperty("billing").GetProperty("cost_cents").GetInt64());
        Assert.Equal(1_000_000 - 1050, await app.BalanceAsync(_reseller.Id));
        Assert.Equal(1, await app.CountAsync("SELECT count(*) FROM reseller.ledger_entries WHERE reseller_id = @r AND mode = @m AND type = 'extend' AND amount_cents = -750", _reseller.Id));
    }

    [Fact]
    public async Task Given_a_time_billed_hybrid_When_extended_by_any_positive_days_Then_it_expires_later_and_is_charged_per_day_and_Mbps()
    {
        var plan = await Buy(new { product = "datacenter", billing_type = "time", duration = "1_day", mbps = 200 });

        var extended = await Api.DataAsync(await Extend(plan, new { add_days = 3 }));

        Assert.Equal(app.Clock.GetUtcNow().AddDays(4).UtcDateTime, extended.GetProperty("expires_at").GetDateTime());
        Assert.Equal(200 + 600, extended.GetProperty("billing").GetProperty("cost_cents").GetInt64());
    }

    [Theory]
    [InlineData(1, 30 * 400 * 8 + 1 * 400 * 8)]
    [InlineData(7, 30 * 400 * 8 + 7 * 400 * 8)]
    [InlineData(30, 30 * 400 * 8 + 30 * 400 * 8)]
    [InlineData(60, 30 * 400 * 8 + 60 * 400 * 8)]
    public async Task Given_an_unlimited_plan_When_extended_by_1_7_30_or_60_days_Then_accepted(int days, long totalCost)
    {
        var plan = await Buy(new { product = "unlimited_residential", duration = "30_days", bandwidth_mbps = 400 });

        var extended = await Api.DataAsync(await Extend(plan, new { add_days = days }));

        Assert.Equal(totalCost, extended.GetProperty("billing").GetProperty("cost_cents").GetInt64());
        Assert.Equal(app.Clock.GetUtcNow().AddDays(30 + days).UtcDateTime, extended.GetProperty("expires_at").GetDateTime());
    }

    [Theory]
    [InlineData(7)]
    [InlineData(14)]
    [InlineData(30)]
    public async Task Given_a_dedicated_mobile_plan_When_extended_by_7_14_or_30_days_Then_charged_at_the_location_day_price(int days)
    {
        var plan = await Buy(new { product = "dedicated_mobile", duration = "7_days", location = "UK" });

        var extended = await Api.DataAsync(await Extend(plan, new { add_days = days }));

        Assert.Equal((7 + days) * 1800, extended.GetProperty("billing").GetProperty("cost_cents").GetInt64());
    }

    [Fact]
    public async Task Given_a_dedicated_isp_plan_When_extend_30_days_is_true_Then_charged_quantity_times_the_IP_price()
    {
        var plan = await Buy(new { product = "dedicated_isp", quantity = 4, pool = "ISP_DE_GENERAL" });

        var response = await _reseller.Live().PostAsync($"/api/v1/plans/{plan}/extend", JsonHttp.RequestBody("""{"extend_30_days":"true"}"""));

        var extended = await Api.DataAsync(response);
        Assert.Equal(1200 + 1200, extended.GetProperty("billing").GetProperty("cost_cents").GetInt64());
        Assert.Equal(app.Clock.GetUtcNow().AddDays(60).UtcDateTime, extended.GetProperty("expires_at").GetDateTime());
    }

    [Theory]
    [InlineData("residential", """{"add_days":7}""", "add_days")]
    [InlineData("residential", """{}""", "add_bandwidth_gb")]
    [InlineData("residential", """{"add_bandwidth_gb":-1}""", "add_bandwidth_gb")]
    [InlineData("unlimited", """{"add_days":14}""", "add_days")]
    [InlineData("unlimited", """{"add_bandwidth_gb":5}""", "add_bandwidth_gb")]
    [InlineData("mobile", """{"add_days":1}""", "add_days")]
    [InlineData("isp", """{"extend_30_days":false}""", "extend_30_days")]
    [InlineData("isp", """{"add_days":30}""", "add_days")]
    [InlineData("hybrid", """{"add_days":0}""", "add_days")]
    [InlineData("hybrid", """{"add_days":"soon"}""", "add_days")]
    [InlineData("trial", """{"add_days":1}""", "add_days")]
    public async Task Given_an_extension_the_product_does_not_take_Then_400_naming_the_field_and_nothing_is_charged(string kind, string body, string field)
    {
        var plan = await Buy(kind switch
        {
            "residential" => new { product = "residential", bandwidth_gb = 1 },
            "unlimited" => new { product = "unlimited_residential", duration = "7_days", bandwidth_mbps = 200 },
            "trial" => (object)new { product = "unlimited_residential", duration = "trial" },
            "mobile" => new { product = "dedicated_mobile", duration = "7_days", location = "NL" },
            "isp" => new { product = "dedicated_isp", quantity = 1, pool = "ISP_DE_GENERAL" },
            _ => new { product = "shared_isp", billing_type = "time", duration = "1_day", mbps = 10 },
        });
        var before = await app.BalanceAsync(_reseller.Id);

        var response = await _reseller.Live().PostAsync($"/api/v1/plans/{plan}/extend", JsonHttp.RequestBody(body));

        await Api.ValidationErrorAsync(response, field);
        Assert.Equal(before, await app.BalanceAsync(_reseller.Id));
    }

    [Fact]
    public async Task Given_an_expired_plan_When_extended_Then_400_and_nothing_is_charged()
    {
        var plan = await Buy(new { product = "datacenter", billing_type = "time", duration = "1_hour", mbps = 10 });
        app.Clock.Advance(TimeSpan.FromHours(2));
        var before = await app.BalanceAsync(_reseller.Id);

        var response = await Extend(plan, new { add_days = 1 });

        var message = await Api.ValidationErrorAsync(response, "plan_id");
        Assert.Contains("expired", message, StringComparison.Ordinal);
        Assert.Equal(before, await app.BalanceAsync(_reseller.Id));
    }

    [Fact]
    public async Task Given_too_little_balance_When_extending_Then_402_and_the_plan_is_unchanged()
    {
        var poor = await app.CreateResellerAsync("Poor");
        await app.TopUpAsync(poor.Id, 400);
        var created = await Api.DataAsync(await poor.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 }));
        var plan = created.GetProperty("plan_id").GetGuid();

        var response = await poor.Live().PostJsonAsync($"/api/v1/plans/{plan}/extend", new { add_bandwidth_gb = 1 });

        await Api.ErrorAsync(response, HttpStatusCode.PaymentRequired, "INSUFFICIENT_BALANCE");
        var after = await Api.DataAsync(await poor.Live().GetAsync($"/api/v1/plans/{plan}"));
        Assert.Equal(1_000_000_000, after.GetProperty("limits").GetProperty("max_bytes").GetInt64());
        Assert.Equal(100, await app.BalanceAsync(poor.Id));
    }

    [Fact]
    public async Task Given_an_unknown_plan_When_extended_Then_404()
    {
        await Api.ErrorAsync(await Extend(Guid.NewGuid(), new { add_days = 1 }), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Given_an_unlimited_plan_When_upgraded_Then_the_difference_is_charged_for_the_time_left()
    {
        var plan = await Buy(new { product = "unlimited_residential", duration = "30_days", bandwidth_mbps = 200 });
        app.Clock.Advance(TimeSpan.FromDays(20));

        var response = await _reseller.Live().PostAsync($"/api/v1/plans/{plan}/upgrade", JsonHttp.RequestBody("""{"bandwidth_mbps":"500"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var upgraded = await Api.DataAsync(response);
        Assert.Equal(500, upgraded.GetProperty("limits").GetProperty("bandwidth_mbps").GetInt32());
        // 10 days left × 300 Mbps more × 800 cents per 100 Mbps-day = 24,000 cents.
        Assert.Equal((30 * 2 * 800) + 24_000, upgraded.GetProperty("billing").GetProperty("cost_cents").GetInt64());
        Assert.Equal(1, await app.CountAsync(
            "SELECT count(*) FROM reseller.ledger_entries WHERE reseller_id = @r AND mode = @m AND type = 'purchase' AND amount_cents = -24000", _reseller.Id));
    }

    [Theory]
    [InlineData("""{"bandwidth_mbps":200}""")]
    [InlineData("""{"bandwidth_mbps":100}""")]
    [InlineData("""{"bandwidth_mbps":3500}""")]
    [InlineData("""{}""")]
    public async Task Given_an_upgrade_that_does_not_raise_the_cap_within_range_Then_400(string body)
    {
        var plan = await Buy(new { product = "unlimited_residential", duration = "7_days", bandwidth_mbps = 200 });

        var response = await _reseller.Live().PostAsync($"/api/v1/plans/{plan}/upgrade", JsonHttp.RequestBody(body));

        await Api.ValidationErrorAsync(response, "bandwidth_mbps");
    }

    [Fact]
    public async Task Given_a_plan_of_another_product_When_upgraded_Then_400()
    {
        var plan = await Buy(new { product = "residential", bandwidth_gb = 1 });

        var message = await Api.ValidationErrorAsync(await _reseller.Live().PostJsonAsync($"/api/v1/plans/{plan}/upgrade", new { bandwidth_mbps = 500 }), "bandwidth_mbps");

        Assert.Contains("unlimited_residential", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_dedicated_isp_plan_Then_proxies_lists_its_static_IPs_from_documentation_ranges()
    {
        var plan = await Buy(new { product = "dedicated_isp", quantity = 5, pool = "ISP_DE_GENERAL" });

        var response = await _reseller.Live().GetAsync($"/api/v1/plans/{plan}/proxies");

        var data = await Api.DataAsync(response);
        Assert.Equal("dedicated_isp", data.GetProperty("product").GetString());
        Assert.Equal("provider", data.GetProperty("source").GetString());
        Assert.Equal(5, data.GetProperty("count").GetInt32());
        var proxies = data.GetProperty("proxies").EnumerateArray().ToList();
        Assert.Equal(5, proxies.Select(p => p.GetProperty("host").GetString()).Distinct().Count());
        foreach (var proxy in proxies)
        {
            var host = proxy.GetProperty("host").GetString()!;
            Assert.Matches(@"^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}$", host);
            Assert.Equal($"{proxy.GetProperty("username").GetString()}:{proxy.GetProperty("password").GetString()}@{host}:{proxy.GetProperty("port").GetInt32()}",
                proxy.GetProperty("full").GetString());
        }

        var again = await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/plans/{plan}/proxies"));
        Assert.Equal(data.GetProperty("proxies").GetRawText(), again.GetProperty("proxies").GetRawText());
    }

    [Fact]
    public async Task Given_a_subnet_pool_Then_the_IPs_are_consecutive_in_one_24()
    {
        await app.SetPoolAsync("SN_US_BLOCK", 100, provider: "SN");
        var plan = await Buy(new { product = "dedicated_isp", quantity = 3, pool = "SN_US_BLOCK" });

        var data = await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/plans/{plan}/proxies"));

        var hosts = data.GetProperty("proxies").EnumerateArray().Select(p => p.GetProperty("host").GetString()!).ToList();
        Assert.Single(hosts.Select(h => h[..h.LastIndexOf('.')]).Distinct());
    }

    [Fact]
    public async Task Given_a_plan_that_is_not_dedicated_isp_Then_proxies_is_400()
    {
        var plan = await Buy(new { product = "residential", bandwidth_gb = 1 });

        await Api.ErrorAsync(await _reseller.Live().GetAsync($"/api/v1/plans/{plan}/proxies"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }

    [Fact]
    public async Task Given_the_plans_product_was_disabled_When_extended_Then_403_PRODUCT_DISABLED_but_the_plan_stays_readable()
    {
        var plan = await Buy(new { product = "mobile", bandwidth_gb = 1 });
        await app.CreateAdminClient().PutAsync($"/admin/resellers/{_reseller.Id}/products/mobile", JsonHttp.RequestBody("""{"enabled":false}"""));

        var extend = await Extend(plan, new { add_bandwidth_gb = 1 });
        var read = await _reseller.Live().GetAsync($"/api/v1/plans/{plan}");

        await Api.ErrorAsync(extend, HttpStatusCode.Forbidden, "PRODUCT_DISABLED");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    private async Task<Guid> Buy(object body)
    {
        var response = await _reseller.Live().PostJsonAsync("/api/v1/plans", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Api.DataAsync(response)).GetProperty("plan_id").GetGuid();
    }

    private Task<HttpResponseMessage> Extend(Guid plan, object body) => _reseller.Live().PostJsonAsync($"/api/v1/plans/{plan}/extend", body);
}
