using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

[Collection(ResellerCollection.Name)]
public sealed class BalanceAndPricingTests(ResellerApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _reseller = await app.CreateResellerAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_a_top_up_Then_201_with_the_ledger_transaction()
    {
        var response = await app.CreateAdminClient().PostAsJsonAsync($"/admin/resellers/{_reseller.Id}/topups",
            new { amount_cents = 500_000, mode = "live", note = "Wire 2026-01" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var transaction = await Api.DataAsync(response);
        Assert.Equal("topup", transaction.GetProperty("type").GetString());
        Assert.Equal(500_000, transaction.GetProperty("amount_cents").GetInt64());
        Assert.Equal(500_000, transaction.GetProperty("balance_after_cents").GetInt64());
        Assert.Equal("Wire 2026-01", transaction.GetProperty("description").GetString());
        Assert.Equal("live", transaction.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Given_purchases_Then_GET_balance_shows_balance_formatted_allocations_and_total_spent()
    {
        await app.TopUpAsync(_reseller.Id, 500_000);
        await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 2.5 });
        await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 });
        await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "mobile", bandwidth_gb = 1 });

        var balance = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/balance"));

        Assert.Equal(500_000 - 750 - 300 - 400, balance.GetProperty("balance_cents").GetInt64());
        Assert.Equal("$4,985.50", balance.GetProperty("balance_formatted").GetString());
        Assert.Equal(1450, balance.GetProperty("total_spent_cents").GetInt64());
        Assert.Equal("$14.50", balance.GetProperty("total_spent_formatted").GetString());
        var allocations = balance.GetProperty("allocations");
        Assert.Equal(3.5m, allocations.GetProperty("residential").GetProperty("gb_remaining").GetDecimal());
        Assert.Equal(3_500_000_000, allocations.GetProperty("residential").GetProperty("bytes_remaining").GetInt64());
        Assert.Equal(1m, allocations.GetProperty("mobile").GetProperty("gb_remaining").GetDecimal());
        Assert.Equal(0, allocations.GetProperty("residential-lite").GetProperty("bytes_remaining").GetInt64());
    }

    [Fact]
    public async Task Given_a_topped_up_balance_of_5000_dollars_Then_it_is_formatted_like_the_reference()
    {
        await app.TopUpAsync(_reseller.Id, 500_000);

        var balance = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/balance"));

        Assert.Equal(500_000, balance.GetProperty("balance_cents").GetInt64());
        Assert.Equal("$5,000.00", balance.GetProperty("balance_formatted").GetString());
    }

    [Fact]
    public async Task Given_a_ledger_Then_transactions_page_newest_first_filter_by_type_and_sum_to_the_balance()
    {
        await app.TopUpAsync(_reseller.Id, 10_000);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var plan = await Api.DataAsync(await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 }));
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await _reseller.Live().PostJsonAsync($"/api/v1/plans/{plan.GetProperty("plan_id").GetGuid()}/extend", new { add_bandwidth_gb = 1 });

        var all = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/balance/transactions?page=1&per_page=20&type=all"));
        var purchases = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/balance/transactions?type=purchase"));
        var page2 = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/balance/transactions?page=2&per_page=2"));

        Assert.Equal(["extend", "purchase", "topup"], Types(all));
        Assert.Equal([-300L, -300L, 10_000L], [.. all.GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("amount_cents").GetInt64())]);
        Assert.Equal("-$3.00", all.GetProperty("transactions")[0].GetProperty("amount_formatted").GetString());
        Assert.Equal(plan.GetProperty("plan_id").GetGuid(), all.GetProperty("transactions")[0].GetProperty("plan_id").GetGuid());
        Assert.Equal(9_400, all.GetProperty("transactions")[0].GetProperty("balance_after_cents").GetInt64());
        Assert.Equal(["purchase"], Types(purchases));
        Assert.Equal(["topup"], Types(page2));
        Assert.Equal(3, page2.GetProperty("pagination").GetProperty("total").GetInt64());
        Assert.Equal(await app.BalanceAsync(_reseller.Id), await app.LedgerSumAsync(_reseller.Id));
    }

    [Fact]
    public async Task Given_an_unknown_transaction_type_Then_400_naming_type()
    {
        await Api.ValidationErrorAsync(await _reseller.Live().GetAsync("/api/v1/balance/transactions?type=gift"), "type");
    }

    [Fact]
    public async Task Given_the_ledger_Then_the_database_refuses_to_edit_or_delete_an_entry()
    {
        await app.TopUpAsync(_reseller.Id, 1_000);

        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() =>
            app.Database.ScalarAsync<int>("UPDATE reseller.ledger_entries SET amount_cents = 1000000"));
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() =>
            app.Database.ScalarAsync<int>("DELETE FROM reseller.ledger_entries"));
        Assert.Equal(1_000, await app.LedgerSumAsync(_reseller.Id));
    }

    [Fact]
    public async Task Given_operator_corrections_Then_refunds_lower_total_spent_and_a_debit_never_takes_the_balance_below_zero()
    {
        await app.TopUpAsync(_reseller.Id, 1_000);
        await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 });
        var admin = app.CreateAdminClient();

        var refund = await admin.PostAsJsonAsync($"/admin/resellers/{_reseller.Id}/topups", new { amount_cents = 300, mode = "live", type = "refund", note = "Plan unusable" });
        var tooMuch = await admin.PostAsJsonAsync($"/admin/resellers/{_reseller.Id}/topups", new { amount_cents = -1_001, mode = "live", type = "adjustment" });
        var debit = await admin.PostAsJsonAsync($"/admin/resellers/{_reseller.Id}/topups", new { amount_cents = -1_000, mode = "live", type = "adjustment" });

        Assert.Equal(HttpStatusCode.Created, refund.StatusCode);
        await Api.ErrorAsync(tooMuch, HttpStatusCode.PaymentRequired, "INSUFFICIENT_BALANCE");
        Assert.Equal(HttpStatusCode.Created, debit.StatusCode);
        var balance = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/balance"));
        Assert.Equal(0, balance.GetProperty("balance_cents").GetInt64());
        Assert.Equal(0, balance.GetProperty("total_spent_cents").GetInt64());
        Assert.Equal(0, await app.LedgerSumAsync(_reseller.Id));
    }

    [Theory]
    [InlineData("""{"amount_cents":0,"mode":"live"}""", "amount_cents")]
    [InlineData("""{"amount_cents":-5,"mode":"live"}""", "amount_cents")]
    [InlineData("""{"mode":"live"}""", "amount_cents")]
    [InlineData("""{"amount_cents":100}""", "mode")]
    [InlineData("""{"amount_cents":100,"mode":"staging"}""", "mode")]
    [InlineData("""{"amount_cents":100,"mode":"live","type":"gift"}""", "type")]
    [InlineData("""{"amount_cents":"lots","mode":"live"}""", "amount_cents")]
    public async Task Given_a_bad_top_up_Then_400_naming_the_field(string body, string field)
    {
        var response = await app.CreateAdminClient().PostAsync($"/admin/resellers/{_reseller.Id}/topups", JsonHttp.RequestBody(body));

        await Api.ValidationErrorAsync(response, field);
        Assert.Equal(0, await app.LedgerSumAsync(_reseller.Id));
    }

    [Fact]
    public async Task Given_an_unknown_reseller_Then_the_operator_routes_answer_404()
    {
        var admin = app.CreateAdminClient();
        var id = Guid.NewGuid();

        await Api.ErrorAsync(await admin.PostAsJsonAsync($"/admin/resellers/{id}/topups", new { amount_cents = 1, mode = "live" }), HttpStatusCode.NotFound, "NOT_FOUND");
        await Api.ErrorAsync(await admin.PostAsJsonAsync($"/admin/resellers/{id}/keys", new { mode = "live" }), HttpStatusCode.NotFound, "NOT_FOUND");
        await Api.ErrorAsync(await admin.PutAsJsonAsync($"/admin/resellers/{id}/status", new { status = "active" }), HttpStatusCode.NotFound, "NOT_FOUND");
        await Api.ErrorAsync(await admin.PutAsJsonAsync($"/admin/resellers/{id}/products/mobile", new { enabled = false }), HttpStatusCode.NotFound, "NOT_FOUND");
        await Api.ErrorAsync(await admin.PutAsJsonAsync($"/admin/resellers/{id}/pricing", new { products = new { } }), HttpStatusCode.NotFound, "NOT_FOUND");
        await Api.ErrorAsync(await admin.DeleteAsync($"/admin/resellers/{id}/keys/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Theory]
    [InlineData("""{"email":"a@example.com"}""", "name")]
    [InlineData("""{"name":"A","email":"not-an-email"}""", "email")]
    public async Task Given_a_bad_new_reseller_Then_400_naming_the_field(string body, string field)
    {
        await Api.ValidationErrorAsync(await app.CreateAdminClient().PostAsync("/admin/resellers", JsonHttp.RequestBody(body)), field);
    }

    [Fact]
    public async Task Given_an_unknown_product_or_status_Then_the_operator_routes_answer_400()
    {
        var admin = app.CreateAdminClient();

        await Api.ValidationErrorAsync(await admin.PutAsJsonAsync($"/admin/resellers/{_reseller.Id}/products/pool9", new { enabled = false }), "product");
        await Api.ValidationErrorAsync(await admin.PutAsJsonAsync($"/admin/resellers/{_reseller.Id}/products/mobile", new { }), "enabled");
        await Api.ValidationErrorAsync(await admin.PutAsJsonAsync($"/admin/resellers/{_reseller.Id}/status", new { status = "closed" }), "status");
    }

    [Fact]
    public async Task Given_no_price_list_of_its_own_Then_pricing_shows_the_configured_defaults_with_the_references_pool_prices()
    {
        var pricing = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/balance/pricing"));

        Assert.Equal("USD", pricing.GetProperty("currency").GetString());
        var products = pricing.GetProperty("products");
        Assert.Equal(15, products.EnumerateObject().Count());
        Assert.Equal([80L, 125L, 150L, 180L, 100L],
            [.. new[] { "pool1", "pool2", "pool3", "pool4", "pool5" }.Select(p => products.GetProperty(p).GetProperty("price_per_gb_cents").GetInt64())]);
        Assert.Equal(300, products.GetProperty("dedicated_isp").GetProperty("price_per_ip_30_days").GetInt64());
        Assert.Equal(100, products.GetProperty("datacenter").GetProperty("price_per_day_cents").GetInt64());
        Assert.Equal(1500, products.GetProperty("dedicated_mobile").GetProperty("locations").GetProperty("NL").GetProperty("price_per_day_cents").GetInt64());
        Assert.False(products.GetProperty("residential").TryGetProperty("price_per_day_cents", out _));
    }

    [Fact]
    public async Task Given_a_price_list_Then_pricing_and_purchases_use_it_and_what_it_leaves_out_follows_the_defaults()
    {
        await app.TopUpAsync(_reseller.Id, 100_000);
        var put = await app.CreateAdminClient().PutAsync($"/admin/resellers/{_reseller.Id}/pricing", JsonHttp.RequestBody("""
            {"currency":"USD","products":{
              "residential":{"billing_type":"bandwidth","price_per_gb_cents":250},
              "dedicated_mobile":{"locations":{"UK":{"price_per_day_cents":2000}}},
              "dedicated_isp":{"price_per_ip_30_days":275}}}
            """));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var pricing = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/balance/pricing"));
        var products = pricing.GetProperty("products");
        Assert.Equal(250, products.GetProperty("residential").GetProperty("price_per_gb_cents").GetInt64());
        Assert.Equal(400, products.GetProperty("mobile").GetProperty("price_per_gb_cents").GetInt64());
        Assert.Equal(2000, products.GetProperty("dedicated_mobile").GetProperty("locations").GetProperty("UK").GetProperty("price_per_day_cents").GetInt64());
        Assert.Equal(1500, products.GetProperty("dedicated_mobile").GetProperty("locations").GetProperty("NL").GetProperty("price_per_day_cents").GetInt64());
        var plan = await Api.DataAsync(await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 2 }));
        Assert.Equal(500, plan.GetProperty("billing").GetProperty("cost_cents").GetInt64());
        Assert.Equal(250, plan.GetProperty("billing").GetProperty("price_per_gb_cents").GetInt64());
    }

    [Fact]
    public async Task Given_the_GET_pricing_document_Then_PUT_accepts_it_back_unchanged()
    {
        var pricing = await Api.DataAsync(await _reseller.Live().GetAsync("/api/v1/balance/pricing"));

        var put = await app.CreateAdminClient().PutAsync($"/admin/resellers/{_reseller.Id}/pricing", JsonHttp.RequestBody(pricing.GetRawText()));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(pricing.GetRawText(), (await Api.DataAsync(put)).GetRawText());
    }

    [Fact]
    public async Task Given_half_a_cent_Then_the_cost_rounds_half_up()
    {
        await app.TopUpAsync(_reseller.Id, 100);
        await app.CreateAdminClient().PutAsync($"/admin/resellers/{_reseller.Id}/pricing",
            JsonHttp.RequestBody("""{"products":{"residential":{"price_per_gb_cents":1}}}"""));

        var plan = await Api.DataAsync(await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 2.5 }));

        Assert.Equal(3, plan.GetProperty("billing").GetProperty("cost_cents").GetInt64());
    }

    [Theory]
    [InlineData("""{"products":{"pool9":{"price_per_gb_cents":1}}}""", "products.pool9")]
    [InlineData("""{"products":{"residential":{"price_per_day_cents":1}}}""", "products.residential.price_per_day_cents")]
    [InlineData("""{"products":{"residential":{"price_per_gb_cents":-1}}}""", "products.residential.price_per_gb_cents")]
    [InlineData("""{"products":{"residential":{"billing_type":"time"}}}""", "products.residential.billing_type")]
    [InlineData("""{"products":{"dedicated_mobile":{"locations":{"DE":{"price_per_day_cents":1}}}}}""", "products.dedicated_mobile.locations.DE")]
    [InlineData("""{"products":{"datacenter":{"day_price_mbps":50}}}""", "products.datacenter.day_price_mbps")]
    [InlineData("""{"currency":"EUR","products":{}}""", "currency")]
    [InlineData("""{"currency":"USD"}""", "products")]
    [InlineData("""{"products":{"residential":{"price_per_gb":1}}}""", "products.residential.price_per_gb")]
    public async Task Given_a_bad_price_list_Then_400_naming_the_field_and_nothing_changes(string body, string field)
    {
        var response = await app.CreateAdminClient().PutAsync($"/admin/resellers/{_reseller.Id}/pricing", JsonHttp.RequestBody(body));

        await Api.ValidationErrorAsync(response, field);
        Assert.Equal(0, await app.CountAsync("SELECT count(*) FROM reseller.price_overrides WHERE reseller_id = @r AND @m = @m", _reseller.Id));
    }

    private static List<string> Types(JsonElement list) =>
        [.. list.GetProperty("transactions").EnumerateArray().Select(t => t.GetProperty("type").GetString()!)];
}
