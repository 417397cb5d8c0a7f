using System.Net;
using FluxSuite.Testing;

namespace FluxSuite.Metering.Tests;

/// <summary>Meters (features), plans and charges, customers: creation rules, reads, updates and archiving.</summary>
[Collection(MeteringCollection.Name)]
public sealed class CatalogTests(MeteringApp app)
{
    private const string Base = MeteringApp.Base;

    [Fact]
    public async Task Given_a_meter_Then_it_has_an_id_a_meter_id_and_a_token_and_its_lookup_key_is_unique()
    {
        var tenant = await app.SignUpAsync();

        var meter = await tenant.CreateMeterAsync("COUNT", "calls");
        var again = await tenant.Client.PostAsync($"{Base}/features", JsonHttp.RequestBody(
            """{"name": "Again", "lookup_key": "calls", "type": "meter", "aggregation_type": "SUM"}"""));

        Assert.NotEqual(meter.GetProperty("id").GetGuid(), meter.GetProperty("meter_id").GetGuid());
        Assert.StartsWith("mtr_", meter.GetProperty("meter_token").GetString(), StringComparison.Ordinal);
        Assert.Equal("active", meter.GetProperty("status").GetString());
        await Http.ProblemAsync(again, HttpStatusCode.Conflict);
        var other = await app.SignUpAsync();
        await other.CreateMeterAsync("COUNT", "calls");
    }

    [Fact]
    public async Task Given_bad_meter_fields_Then_400_naming_each()
    {
        var tenant = await app.SignUpAsync();

        var response = await tenant.Client.PostAsync($"{Base}/features", JsonHttp.RequestBody(
            """{"name": "", "lookup_key": "has space", "type": "switch", "aggregation_type": "AVG"}"""));
        var unique = await tenant.Client.PostAsync($"{Base}/features", JsonHttp.RequestBody(
            """{"name": "Users", "lookup_key": "users", "type": "meter", "aggregation_type": "UNIQUE_COUNT"}"""));

        var errors = (await Http.ProblemAsync(response, HttpStatusCode.BadRequest)).GetProperty("errors");
        foreach (var field in new[] { "name", "lookup_key", "type", "aggregation_type" })
        {
            Assert.True(errors.TryGetProperty(field, out _), field);
        }

        Assert.True((await Http.ProblemAsync(unique, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("property_name", out _));
    }

    [Fact]
    public async Task Given_a_meter_Then_it_can_be_listed_read_renamed_and_archived_but_not_recounted()
    {
        var tenant = await app.SignUpAsync();
        var meter = await tenant.CreateMeterAsync();
        var id = meter.GetProperty("id").GetString();

        var patched = await tenant.Client.PatchAsync($"{Base}/features/{id}", JsonHttp.RequestBody("""{"name": "Renamed", "unit": null}"""));
        var recount = await tenant.Client.PatchAsync($"{Base}/features/{id}", JsonHttp.RequestBody("""{"aggregation_type": "MAX"}"""));
        var archived = await tenant.PostOkAsync($"/features/{id}/archive", "{}", HttpStatusCode.OK);
        var active = await tenant.GetOkAsync("/features");
        var all = await tenant.GetOkAsync("/features?include_archived=true");

        var body = await JsonHttp.ReadBodyAsync(patched);
        Assert.Equal("Renamed", body.GetProperty("name").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("unit").ValueKind);
        Assert.True((await Http.ProblemAsync(recount, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("aggregation_type", out _));
        Assert.Equal("archived", archived.GetProperty("status").GetString());
        Assert.Equal(0, active.GetProperty("total").GetInt32());
        Assert.Equal(1, all.GetProperty("total").GetInt32());
        Assert.Equal("SUM", (await tenant.GetOkAsync($"/features/{id}")).GetProperty("aggregation_type").GetString());
    }

    [Fact]
    public async Task Given_a_meter_priced_by_a_live_plan_Then_it_cannot_be_archived()
    {
        var tenant = await app.SignUpAsync();
        var meter = await tenant.CreateMeterAsync();
        var plan = await tenant.CreatePlanAsync();
        await tenant.PostOkAsync($"/plans/{plan.GetProperty("id")}/charges", $$"""{"type": "USAGE", "meter_id": "{{meter.GetProperty("meter_id")}}", "unit_price": 1}""");

        var response = await tenant.Client.PostAsync($"{Base}/features/{meter.GetProperty("id")}/archive", null);

        await Http.ProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Given_a_plan_Then_its_type_decides_which_charges_it_takes()
    {
        var tenant = await app.SignUpAsync();
        var meter = await tenant.CreateMeterAsync();
        var usageCharge = $$"""{"type": "USAGE", "meter_id": "{{meter.GetProperty("meter_id")}}", "unit_price": 0.5}""";
        const string FixedCharge = """{"type": "FIXED", "amount": 49.0, "display_name": "Platform fee"}""";
        var fixedPlan = (await tenant.CreatePlanAsync("FIXED")).GetProperty("id").GetString();
        var usagePlan = (await tenant.CreatePlanAsync("USAGE")).GetProperty("id").GetString();
        var hybridPlan = (await tenant.CreatePlanAsync("HYBRID")).GetProperty("id").GetString();

        var usageOnFixed = await tenant.Client.PostAsync($"{Base}/plans/{fixedPlan}/charges", JsonHttp.RequestBody(usageCharge));
        var fixedOnUsage = await tenant.Client.PostAsync($"{Base}/plans/{usagePlan}/charges", JsonHttp.RequestBody(FixedCharge));
        var fixedCharge = await tenant.PostOkAsync($"/plans/{fixedPlan}/charges", FixedCharge);
        await tenant.PostOkAsync($"/plans/{hybridPlan}/charges", FixedCharge);
        await tenant.PostOkAsync($"/plans/{hybridPlan}/charges", usageCharge);

        Assert.True((await Http.ProblemAsync(usageOnFixed, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("type", out _));
        Assert.True((await Http.ProblemAsync(fixedOnUsage, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("type", out _));
        Assert.Equal(49m, fixedCharge.GetProperty("amount").GetDecimal());
        Assert.Equal(2, (await tenant.GetOkAsync($"/plans/{hybridPlan}")).GetProperty("charges").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"type": "USAGE", "meter_id": "<m>", "unit_price": 0.0000000000001}""", "unit_price")]
    [InlineData("""{"type": "USAGE", "meter_id": "<m>", "unit_price": -1}""", "unit_price")]
    [InlineData("""{"type": "USAGE", "meter_id": "<m>"}""", "unit_price")]
    [InlineData("""{"type": "USAGE", "unit_price": 1}""", "meter_id")]
    [InlineData("""{"type": "USAGE", "meter_id": "<m>", "pricing_model": "graduated", "tiers": [{"up_to": 100, "unit_price": 1}, {"up_to": 50, "unit_price": 1}, {"up_to": null, "unit_price": 1}]}""", "tiers[1].up_to")]
    [InlineData("""{"type": "USAGE", "meter_id": "<m>", "pricing_model": "volume", "tiers": [{"up_to": 100, "unit_price": 1}]}""", "tiers[0].up_to")]
    [InlineData("""{"type": "USAGE", "meter_id": "<m>", "pricing_model": "volume", "tiers": [{"up_to": null}]}""", "tiers[0].unit_price")]
    [InlineData("""{"type": "USAGE", "meter_id": "<m>", "pricing_model": "graduated"}""", "tiers")]
    [InlineData("""{"type": "USAGE", "meter_id": "<m>", "pricing_model": "per_unit", "unit_price": 1, "tiers": [{"up_to": null, "unit_price": 1}]}""", "tiers")]
    [InlineData("""{"type": "USAGE", "meter_id": "<m>", "pricing_model": "package", "package_size": 0, "package_price": 1}""", "package_size")]
    [InlineData("""{"type": "USAGE", "meter_id": "<m>", "pricing_model": "tiered", "unit_price": 1}""", "pricing_model")]
    [InlineData("""{"type": "FIXED"}""", "amount")]
    [InlineData("""{"type": "FIXED", "amount": 10, "unit_price": 1}""", "unit_price")]
    [InlineData("""{"type": "ONE_OFF", "amount": 10}""", "type")]
    public async Task Given_an_invalid_charge_Then_400_naming_the_field(string charge, string field)
    {
        var tenant = await app.SignUpAsync();
        var meter = await tenant.CreateMeterAsync();
        var plan = (await tenant.CreatePlanAsync("HYBRID")).GetProperty("id").GetString();

        var response = await tenant.Client.PostAsync($"{Base}/plans/{plan}/charges",
            JsonHttp.RequestBody(charge.Replace("<m>", meter.GetProperty("meter_id").GetString(), StringComparison.Ordinal)));

        var problem = await Http.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task Given_unit_prices_with_up_to_12_decimals_Then_they_are_kept_exactly()
    {
        var tenant = await app.SignUpAsync();
        var meter = await tenant.CreateMeterAsync();
        var plan = (await tenant.CreatePlanAsync()).GetProperty("id").GetString();

        var charge = await tenant.PostOkAsync($"/plans/{plan}/charges",
            $$"""{"type": "USAGE", "meter_id": "{{meter.GetProperty("meter_id")}}", "unit_price": 0.123456789012}""");

        Assert.Equal("0.123456789012", charge.GetProperty("unit_price").GetRawText());
        Assert.Equal(0.123456789012m, await app.Database.ScalarAsync<decimal>(
            "SELECT unit_price FROM metering.charges WHERE id = @id", ("id", charge.GetProperty("id").GetGuid())));
    }

    [Fact]
    public async Task Given_a_charge_Then_it_can_be_repriced_to_another_model_and_archived()
    {
        var tenant = await app.SignUpAsync();
        var meter = await tenant.CreateMeterAsync();
        var plan = (await tenant.CreatePlanAsync()).GetProperty("id").GetString();
        var charge = await tenant.PostOkAsync($"/plans/{plan}/charges", $$"""{"type": "USAGE", "meter_id": "{{meter.GetProperty("meter_id")}}", "unit_price": 1}""");
        var path = $"{Base}/plans/{plan}/charges/{charge.GetProperty("id")}";

        var repriced = await JsonHttp.ReadBodyAsync(await tenant.Client.PatchAsync(path, JsonHttp.RequestBody(
            """{"pricing_model": "package", "package_size": 100, "package_price": 2}""")));
        var moveMeter = await tenant.Client.PatchAsync(path, JsonHttp.RequestBody("""{"meter_id": "00000000-0000-0000-0000-000000000000"}"""));
        var archived = await tenant.PostOkAsync($"/plans/{plan}/charges/{charge.GetProperty("id")}/archive", "{}", HttpStatusCode.OK);

        Assert.Equal("package", repriced.GetProperty("pricing_model").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, repriced.GetProperty("unit_price").ValueKind);
        await Http.ProblemAsync(moveMeter, HttpStatusCode.BadRequest);
        Assert.Equal("archived", archived.GetProperty("status").GetString());
        Assert.Equal(0, (await tenant.GetOkAsync($"/plans/{plan}")).GetProperty("charges").GetArrayLength());
        Assert.Equal(1, (await tenant.GetOkAsync($"/plans/{plan}/charges")).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Given_plans_Then_lookup_id_is_unique_the_currency_is_ISO_4217_and_only_name_and_description_change()
    {
        var tenant = await app.SignUpAsync();
        var plan = await tenant.PostOkAsync("/plans", """{"name": "Starter", "lookup_id": "starter", "type": "USAGE", "billing_interval": "month", "currency": "eur"}""");

        var duplicate = await tenant.Client.PostAsync($"{Base}/plans", JsonHttp.RequestBody("""{"name": "S", "lookup_id": "starter", "type": "USAGE", "billing_interval": "month", "currency": "USD"}"""));
        var badCurrency = await tenant.Client.PostAsync($"{Base}/plans", JsonHttp.RequestBody("""{"name": "S", "lookup_id": "s2", "type": "USAGE", "billing_interval": "week", "currency": "XYZ"}"""));
        var renamed = await JsonHttp.ReadBodyAsync(await tenant.Client.PatchAsync($"{Base}/plans/{plan.GetProperty("id")}", JsonHttp.RequestBody("""{"name": "Starter 2", "description": "For small teams"}""")));
        var retype = await tenant.Client.PatchAsync($"{Base}/plans/{plan.GetProperty("id")}", JsonHttp.RequestBody("""{"currency": "USD"}"""));

        Assert.Equal("EUR", plan.GetProperty("currency").GetString());
        await Http.ProblemAsync(duplicate, HttpStatusCode.Conflict);
        var errors = (await Http.ProblemAsync(badCurrency, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("currency", out _));
        Assert.True(errors.TryGetProperty("billing_interval", out _));
        Assert.Equal("Starter 2", renamed.GetProperty("name").GetString());
        Assert.Equal("For small teams", renamed.GetProperty("description").GetString());
        await Http.ProblemAsync(retype, HttpStatusCode.BadRequest);
        Assert.Equal(1, (await tenant.GetOkAsync("/plans")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Given_a_search_with_percent_and_underscore_Then_they_match_only_themselves()
    {
        var tenant = await app.SignUpAsync();
        await tenant.PostOkAsync("/customers", """{"name": "Acme 100% Ltd", "external_id": "acme_1"}""");
        await tenant.PostOkAsync("/customers", """{"name": "Acme 1000 Ltd", "external_id": "acme-1"}""");

        var percent = await tenant.GetOkAsync("/customers?search=100%25");
        var underscore = await tenant.GetOkAsync("/customers?search=acme_1");

        Assert.Equal("acme_1", Assert.Single(percent.GetProperty("data").EnumerateArray()).GetProperty("external_id").GetString());
        Assert.Equal("acme_1", Assert.Single(underscore.GetProperty("data").EnumerateArray()).GetProperty("external_id").GetString());
    }

    [Fact]
    public async Task Given_customers_Then_external_id_is_unique_and_the_list_searches_and_pages()
    {
        var tenant = await app.SignUpAsync();
        await tenant.PostOkAsync("/customers", """{"name": "Acme Corp", "email": "billing@acme.com", "external_id": "acme-corp-001"}""");
        await tenant.PostOkAsync("/customers", """{"name": "Globex", "email": "ap@globex.com", "external_id": "globex-1"}""");
        var initech = await tenant.PostOkAsync("/customers", """{"name": "Initech", "external_id": "initech-1"}""");

        var duplicate = await tenant.Client.PostAsync($"{Base}/customers", JsonHttp.RequestBody("""{"name": "Other", "external_id": "acme-corp-001"}"""));
        var search = await tenant.GetOkAsync("/customers?search=ACME");
        var page = await tenant.GetOkAsync("/customers?page=2&page_size=2");
        var badPage = await tenant.Client.GetAsync($"{Base}/customers?page_size=500");
        var updated = await JsonHttp.ReadBodyAsync(await tenant.Client.PatchAsync($"{Base}/customers/{initech.GetProperty("id")}",
            JsonHttp.RequestBody("""{"email": "pay@initech.com", "external_id": "initech-2"}""")));
        var taken = await tenant.Client.PatchAsync($"{Base}/customers/{initech.GetProperty("id")}", JsonHttp.RequestBody("""{"external_id": "globex-1"}"""));

        await Http.ProblemAsync(duplicate, HttpStatusCode.Conflict);
        Assert.Equal("acme-corp-001", Assert.Single(search.GetProperty("data").EnumerateArray()).GetProperty("external_id").GetString());
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("total_pages").GetInt32());
        Assert.Equal("acme-corp-001", Assert.Single(page.GetProperty("data").EnumerateArray()).GetProperty("external_id").GetString());
        Assert.True((await Http.ProblemAsync(badPage, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("page_size", out _));
        Assert.Equal("pay@initech.com", updated.GetProperty("email").GetString());
        Assert.Equal("initech-2", updated.GetProperty("external_id").GetString());
        await Http.ProblemAsync(taken, HttpStatusCode.Conflict);
    }
    [Fact]
    public async Task Given_an_API_key_request_Then_scopes_must_be_a_subset_of_usage_write_and_usage_read_and_the_key_is_shown_once()
    {
        var tenant = await app.SignUpAsync();

        var bad = await tenant.Client.PostAsync($"{Base}/api-keys", JsonHttp.RequestBody("""{"name": "k", "scopes": ["usage.write", "admin"]}"""));
        var none = await tenant.Client.PostAsync($"{Base}/api-keys", JsonHttp.RequestBody("""{"name": "k", "scopes": []}"""));
        var created = await tenant.PostOkAsync("/api-keys", """{"name": "Both", "scopes": ["usage.read", "usage.write"]}""");
        var listed = await tenant.GetOkAsync("/api-keys");

        Assert.True((await Http.ProblemAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("scopes[1]", out _));
        Assert.True((await Http.ProblemAsync(none, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("scopes", out _));
        var key = created.GetProperty("key").GetString()!;
        Assert.Matches("^org_live_[0-9A-Za-z]{43}$", key);
        var entry = Assert.Single(listed.GetProperty("data").EnumerateArray());
        Assert.False(entry.TryGetProperty("key", out _));
        Assert.StartsWith(entry.GetProperty("prefix").GetString()!, key, StringComparison.Ordinal);
        Assert.Equal(["usage.read", "usage.write"], entry.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
    }
}
