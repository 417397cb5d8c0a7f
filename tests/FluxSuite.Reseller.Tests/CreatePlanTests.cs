using System.Net;
using System.Net.Http.Json;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

[Collection(ResellerCollection.Name)]
public sealed class CreatePlanTests(ResellerApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _reseller = await app.CreateResellerAsync();
        await app.TopUpAsync(_reseller.Id, 1_000_000);
        await app.SetPoolAsync("ISP_US_SNEAKERS", 10);
        await app.SetDedicatedMobileStockAsync(nl: 2, uk: 0);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("""{"product":"residential","bandwidth_gb":5}""", 1500, "bandwidth")]
    [InlineData("""{"product":"residential-lite","bandwidth_gb":2.5}""", 250, "bandwidth")]
    [InlineData("""{"product":"mobile","bandwidth_gb":1}""", 400, "bandwidth")]
    [InlineData("""{"product":"pool1","bandwidth_gb":10}""", 800, "bandwidth")]
    [InlineData("""{"product":"pool2","bandwidth_gb":1}""", 125, "bandwidth")]
    [InlineData("""{"product":"pool3","bandwidth_gb":1}""", 150, "bandwidth")]
    [InlineData("""{"product":"pool4","bandwidth_gb":1}""", 180, "bandwidth")]
    [InlineData("""{"product":"pool5","bandwidth_gb":1}""", 100, "bandwidth")]
    [InlineData("""{"product":"datacenter","billing_type":"bandwidth","bandwidth_gb":3}""", 180, "bandwidth")]
    [InlineData("""{"product":"datacenter","billing_type":"time","duration":"1_day","mbps":100}""", 100, "time")]
    [InlineData("""{"product":"datacenter","billing_type":"time","duration":"1_hour","mbps":100}""", 13, "time")]
    [InlineData("""{"product":"shared_isp","billing_type":"time","duration":"7_days","mbps":50}""", 525, "time")]
    [InlineData("""{"product":"ipv6-residential","billing_type":"bandwidth","bandwidth_gb":1}""", 50, "bandwidth")]
    [InlineData("""{"product":"ipv6-datacenter","billing_type":"time","duration":"30_days","mbps":200}""", 4800, "time")]
    [InlineData("""{"product":"unlimited_residential","duration":"30_days","bandwidth_mbps":500}""", 120000, "time")]
    [InlineData("""{"product":"unlimited_residential","duration":"trial"}""", 0, "time")]
    [InlineData("""{"product":"dedicated_mobile","duration":"7_days","location":"NL"}""", 10500, "time")]
    [InlineData("""{"product":"dedicated_isp","quantity":3,"pool":"ISP_US_SNEAKERS"}""", 900, "time")]
    public async Task Given_a_valid_request_for_each_product_Then_201_the_plan_is_charged_by_its_billing_model(string body, long cost, string billingType)
    {
        var response = await _reseller.Live().PostAsync("/api/v1/plans", JsonHttp.RequestBody(body));

        await AssertBoughtAsync(response, "live", cost, billingType);
    }

    [Theory]
    [InlineData("""{"product":"residential","bandwidth_gb":5}""", 1500, "bandwidth")]
    [InlineData("""{"product":"pool2","bandwidth_gb":1}""", 125, "bandwidth")]
    [InlineData("""{"product":"datacenter","billing_type":"time","duration":"1_hour","mbps":100}""", 13, "time")]
    [InlineData("""{"product":"ipv6-residential","billing_type":"bandwidth","bandwidth_gb":1}""", 50, "bandwidth")]
    [InlineData("""{"product":"unlimited_residential","duration":"30_days","bandwidth_mbps":500}""", 120000, "time")]
    [InlineData("""{"product":"unlimited_residential","duration":"trial"}""", 0, "time")]
    [InlineData("""{"product":"dedicated_mobile","duration":"7_days","location":"NL"}""", 10500, "time")]
    [InlineData("""{"product":"dedicated_isp","quantity":3,"pool":"ISP_US_SNEAKERS"}""", 900, "time")]
    public async Task Given_a_valid_sandbox_request_for_each_billing_model_Then_201_charged_to_the_test_balance(string body, long cost, string billingType)
    {
        await app.TopUpAsync(_reseller.Id, 1_000_000, "test");
        await app.SetPoolAsync("ISP_US_SNEAKERS", 10, mode: "test");
        await app.SetDedicatedMobileStockAsync(nl: 1, uk: 0, mode: "test");

        var response = await _reseller.Sandbox().PostAsync("/sandbox/api/v1/plans", JsonHttp.RequestBody(body));

        await AssertBoughtAsync(response, "test", cost, billingType);
        Assert.Equal(1_000_000, await app.BalanceAsync(_reseller.Id, "live"));
    }

    [Theory]
    [InlineData("""{"product":"residential"}""", "bandwidth_gb")]
    [InlineData("""{"product":"datacenter","bandwidth_gb":1}""", "billing_type")]
    [InlineData("""{"product":"unlimited_residential","duration":"30_days"}""", "bandwidth_mbps")]
    [InlineData("""{"product":"dedicated_mobile","duration":"7_days"}""", "location")]
    [InlineData("""{"product":"dedicated_isp","quantity":2}""", "pool")]
    public async Task Given_a_missing_parameter_in_the_sandbox_Then_400_naming_it(string body, string field)
    {
        await Api.ValidationErrorAsync(await _reseller.Sandbox().PostAsync("/sandbox/api/v1/plans", JsonHttp.RequestBody(body)), field);
    }

    private async Task AssertBoughtAsync(HttpResponseMessage response, string mode, long cost, string billingType)
    {
        var basePath = TestReseller.Base(mode);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var plan = await Api.DataAsync(response);
        Assert.Equal(billingType, plan.GetProperty("billing_type").GetString());
        Assert.Equal(cost, plan.GetProperty("billing").GetProperty("cost_cents").GetInt64());
        Assert.Equal("active", plan.GetProperty("status").GetString());
        Assert.Equal(mode, plan.GetProperty("billing").GetProperty("mode").GetString());
        Assert.Equal($"{basePath}/plans/{plan.GetProperty("plan_id").GetGuid()}", response.Headers.Location?.OriginalString);
        Assert.Equal(1_000_000 - cost, await app.BalanceAsync(_reseller.Id, mode));
        Assert.Equal(await app.BalanceAsync(_reseller.Id, mode), await app.LedgerSumAsync(_reseller.Id, mode));
        Assert.Equal(1, await app.CountAsync(
            "SELECT count(*) FROM reseller.ledger_entries WHERE reseller_id = @r AND mode = @m AND type = 'purchase'", _reseller.Id, mode));
    }

    [Theory]
    [InlineData("""{"product":"residential"}""", "bandwidth_gb")]
    [InlineData("""{"product":"mobile","bandwidth_gb":0}""", "bandwidth_gb")]
    [InlineData("""{"product":"residential-lite","bandwidth_gb":1.0001}""", "bandwidth_gb")]
    [InlineData("""{"product":"pool3","bandwidth_gb":1,"duration":"1_day"}""", "duration")]
    [InlineData("""{"product":"datacenter","bandwidth_gb":1}""", "billing_type")]
    [InlineData("""{"product":"datacenter","billing_type":"time","mbps":100}""", "duration")]
    [InlineData("""{"product":"shared_isp","billing_type":"time","duration":"1_day"}""", "mbps")]
    [InlineData("""{"product":"ipv6-datacenter","billing_type":"time","duration":"1_day","mbps":5000}""", "mbps")]
    [InlineData("""{"product":"ipv6-residential","billing_type":"bandwidth"}""", "bandwidth_gb")]
    [InlineData("""{"product":"datacenter","billing_type":"monthly","bandwidth_gb":1}""", "billing_type")]
    [InlineData("""{"product":"datacenter","billing_type":"time","duration":"trial","mbps":100}""", "duration")]
    [InlineData("""{"product":"unlimited_residential"}""", "duration")]
    [InlineData("""{"product":"unlimited_residential","duration":"30_days"}""", "bandwidth_mbps")]
    [InlineData("""{"product":"unlimited_residential","duration":"30_days","bandwidth_mbps":150}""", "bandwidth_mbps")]
    [InlineData("""{"product":"unlimited_residential","duration":"30_days","bandwidth_mbps":3001}""", "bandwidth_mbps")]
    [InlineData("""{"product":"unlimited_residential","duration":"trial","bandwidth_mbps":500}""", "bandwidth_mbps")]
    [InlineData("""{"product":"unlimited_residential","duration":"1_hour","bandwidth_mbps":200}""", "duration")]
    [InlineData("""{"product":"dedicated_mobile","duration":"7_days"}""", "location")]
    [InlineData("""{"product":"dedicated_mobile","location":"NL"}""", "duration")]
    [InlineData("""{"product":"dedicated_mobile","duration":"7_days","location":"DE"}""", "location")]
    [InlineData("""{"product":"dedicated_mobile","duration":"1_day","location":"NL"}""", "duration")]
    [InlineData("""{"product":"dedicated_isp","pool":"ISP_US_SNEAKERS"}""", "quantity")]
    [InlineData("""{"product":"dedicated_isp","quantity":2}""", "pool")]
    [InlineData("""{"product":"dedicated_isp","quantity":0,"pool":"ISP_US_SNEAKERS"}""", "quantity")]
    [InlineData("""{"bandwidth_gb":5}""", "product")]
    [InlineData("""{"product":"residential_premium","bandwidth_gb":5}""", "product")]
    [InlineData("""{"product":"residential","bandwidth_gb":"five"}""", "bandwidth_gb")]
    [InlineData("""{"product":"residential","bandwidth_gb":5,"bandwith_gb":5}""", "bandwith_gb")]
    public async Task Given_a_missing_or_wrong_parameter_Then_400_VALIDATION_ERROR_naming_it_and_nothing_is_charged(string body, string field)
    {
        var response = await _reseller.Live().PostAsync("/api/v1/plans", JsonHttp.RequestBody(body));

        await Api.ValidationErrorAsync(response, field);
        Assert.Equal(1_000_000, await app.BalanceAsync(_reseller.Id));
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM reseller.plans WHERE reseller_id = @r AND mode = @m", _reseller.Id));
    }

    [Theory]
    [InlineData("datacenter")]
    [InlineData("shared_isp")]
    [InlineData("ipv6-residential")]
    [InlineData("ipv6-datacenter")]
    public async Task Given_1_hour_on_a_hybrid_product_Then_it_is_accepted_and_expires_in_an_hour(string product)
    {
        var response = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product, billing_type = "time", duration = "1_hour", mbps = 50 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var plan = await Api.DataAsync(response);
        Assert.Equal(app.Clock.GetUtcNow().AddHours(1).UtcDateTime, plan.GetProperty("expires_at").GetDateTime());
    }

    [Fact]
    public async Task Given_the_references_example_body_with_numbers_as_strings_Then_a_clear_400_naming_the_problems_never_a_500()
    {
        const string example = """{ "product": "residential-lite", "bandwidth_gb": "0", "duration": "trial", "billing_type": "bandwidth", "mbps": "0", "bandwidth_mbps": "0", "location": "NL", "quantity": "0", "pool": "string", "end_user_reference": "string" }""";

        var response = await _reseller.Live().PostAsync("/api/v1/plans", JsonHttp.RequestBody(example));

        var message = await Api.ValidationErrorAsync(response, "bandwidth_gb");
        Assert.Contains("bandwidth_gb", message, StringComparison.Ordinal);
        var error = await Api.ErrorAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        foreach (var field in new[] { "duration", "mbps", "bandwidth_mbps", "location", "quantity", "pool" })
        {
            Assert.True(error.GetProperty("details").TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task Given_numbers_sent_as_numeric_strings_Then_they_are_accepted()
    {
        var response = await _reseller.Live().PostAsync("/api/v1/plans",
            JsonHttp.RequestBody("""{"product":"unlimited_residential","duration":"7_days","bandwidth_mbps":"300"}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(300, (await Api.DataAsync(response)).GetProperty("limits").GetProperty("bandwidth_mbps").GetInt32());
    }

    [Fact]
    public async Task Given_a_product_the_operator_disabled_Then_403_PRODUCT_DISABLED_and_enabling_it_again_allows_it()
    {
        var admin = app.CreateAdminClient();
        var disable = await admin.PutAsJsonAsync($"/admin/resellers/{_reseller.Id}/products/mobile", new { enabled = false });
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);

        var refused = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "mobile", bandwidth_gb = 1 });
        var sandboxRefused = await _reseller.Sandbox().PostJsonAsync("/sandbox/api/v1/plans", new { product = "mobile", bandwidth_gb = 1 });
        await admin.PutAsJsonAsync($"/admin/resellers/{_reseller.Id}/products/mobile", new { enabled = true });
        var allowed = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "mobile", bandwidth_gb = 1 });

        await Api.ErrorAsync(refused, HttpStatusCode.Forbidden, "PRODUCT_DISABLED");
        await Api.ErrorAsync(sandboxRefused, HttpStatusCode.Forbidden, "PRODUCT_DISABLED");
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
    }

    [Fact]
    public async Task Given_a_balance_below_the_cost_Then_402_INSUFFICIENT_BALANCE_and_nothing_changes()
    {
        var poor = await app.CreateResellerAsync("Poor");
        await app.TopUpAsync(poor.Id, 299);

        var response = await poor.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 });

        await Api.ErrorAsync(response, HttpStatusCode.PaymentRequired, "INSUFFICIENT_BALANCE");
        Assert.Equal(299, await app.BalanceAsync(poor.Id));
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM reseller.plans WHERE reseller_id = @r AND mode = @m", poor.Id));
    }

    [Fact]
    public async Task Given_a_balance_of_exactly_the_cost_Then_the_purchase_succeeds_and_leaves_zero()
    {
        var exact = await app.CreateResellerAsync("Exact");
        await app.TopUpAsync(exact.Id, 300);

        var response = await exact.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(0, await app.BalanceAsync(exact.Id));
    }

    [Fact]
    public async Task Given_an_unknown_pool_Then_400_INVALID_POOL()
    {
        var response = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "dedicated_isp", quantity = 1, pool = "ISP_NOWHERE" });

        var error = await Api.ErrorAsync(response, HttpStatusCode.BadRequest, "INVALID_POOL");
        Assert.True(error.GetProperty("details").TryGetProperty("pool", out _));
    }

    [Fact]
    public async Task Given_more_IPs_than_the_pool_has_Then_409_POOL_OUT_OF_STOCK_and_the_stock_is_unchanged()
    {
        var response = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "dedicated_isp", quantity = 11, pool = "ISP_US_SNEAKERS" });

        await Api.ErrorAsync(response, HttpStatusCode.Conflict, "POOL_OUT_OF_STOCK");
        Assert.Equal(10, await app.Database.ScalarAsync<int>("SELECT stock FROM reseller.pools WHERE name = 'ISP_US_SNEAKERS' AND mode = 'live'"));
        Assert.Equal(1_000_000, await app.BalanceAsync(_reseller.Id));
    }

    [Fact]
    public async Task Given_a_dedicated_isp_purchase_Then_the_pool_stock_goes_down_by_the_quantity()
    {
        var response = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "dedicated_isp", quantity = 4, pool = "isp_us_sneakers" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(6, await app.Database.ScalarAsync<int>("SELECT stock FROM reseller.pools WHERE name = 'ISP_US_SNEAKERS' AND mode = 'live'"));
    }

    [Fact]
    public async Task Given_no_dedicated_mobile_stock_in_a_location_Then_409_OUT_OF_STOCK()
    {
        var uk = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "dedicated_mobile", duration = "7_days", location = "UK" });
        var nl1 = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "dedicated_mobile", duration = "7_days", location = "NL" });
        var nl2 = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "dedicated_mobile", duration = "14_days", location = "NL" });
        var nl3 = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "dedicated_mobile", duration = "30_days", location = "NL" });

        await Api.ErrorAsync(uk, HttpStatusCode.Conflict, "OUT_OF_STOCK");
        Assert.Equal(HttpStatusCode.Created, nl1.StatusCode);
        Assert.Equal(HttpStatusCode.Created, nl2.StatusCode);
        await Api.ErrorAsync(nl3, HttpStatusCode.Conflict, "OUT_OF_STOCK");
        Assert.Equal("NL", (await Api.DataAsync(nl1)).GetProperty("location").GetString());
    }

    [Fact]
    public async Task Given_trial_servers_all_taken_Then_a_further_trial_is_409_OUT_OF_STOCK_until_one_ends()
    {
        for (var i = 0; i < 10; i++)
        {
            var trial = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "unlimited_residential", duration = "trial" });
            Assert.Equal(HttpStatusCode.Created, trial.StatusCode);
        }

        var eleventh = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "unlimited_residential", duration = "trial" });
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        var later = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "unlimited_residential", duration = "trial" });

        await Api.ErrorAsync(eleventh, HttpStatusCode.Conflict, "OUT_OF_STOCK");
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
    }
}
