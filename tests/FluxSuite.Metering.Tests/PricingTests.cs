using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Metering.Tests;

/// <summary>Each pricing model through the API: events tracked, then the customer's cost so far, worked out by hand.</summary>
[Collection(MeteringCollection.Name)]
public sealed class PricingTests(MeteringApp app)
{
    private const string Tiers = """
        [{"up_to": 1000, "unit_price": 0.01, "flat_fee": 0}, {"up_to": 5000, "unit_price": 0.008, "flat_fee": 5}, {"up_to": null, "unit_price": 0.005, "flat_fee": 10}]
        """;

    private async Task<JsonElement> CostAsync(string plan, string charge, decimal quantity, string currency = "USD")
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var tenant = await app.SignUpAsync();
        var meter = await tenant.CreateMeterAsync();
        var customer = await tenant.CreateCustomerAsync();
        var planBody = await tenant.CreatePlanAsync(plan, currency);
        var planId = planBody.GetProperty("id").GetString();
        await tenant.PostOkAsync($"/plans/{planId}/charges", charge.Replace("<meter_id>", meter.GetProperty("meter_id").GetString(), StringComparison.Ordinal));
        await tenant.PostOkAsync("/subscriptions", $$"""{"customer_id": "{{customer.GetProperty("id")}}", "plan_id": "{{planId}}", "start_date": "2026-01-01T00:00:00Z"}""");
        var key = await tenant.CreateApiKeyAsync();
        var sdk = tenant.SdkClient(key);
        var response = await sdk.PostAsync($"{MeteringApp.Base}/sdk/track", JsonHttp.RequestBody($$"""
            {"meter_token": "{{meter.GetProperty("meter_token")}}", "customer_external_id": "{{customer.GetProperty("external_id")}}", "quantity": {{quantity}}}
            """));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var usage = await tenant.GetOkAsync($"/customers/{customer.GetProperty("id")}/usage");
        return Assert.Single(usage.GetProperty("subscriptions").EnumerateArray());
    }

    [Theory]
    [InlineData(150, 0.15)]
    // 1 234 567 x 0.001 = 1 234.567, rounded to cents half away from zero
    [InlineData(1234567, 1234.57)]
    public async Task Given_per_unit_pricing_at_0_001_Then_quantity_times_unit_price(int quantity, decimal expected)
    {
        var cost = await CostAsync("USAGE", """{"type": "USAGE", "meter_id": "<meter_id>", "unit_price": 0.001, "display_name": "Calls"}""", quantity);

        Assert.Equal(expected, cost.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Given_a_unit_price_with_12_decimals_Then_it_is_kept_exactly_and_the_line_is_rounded_half_away_from_zero()
    {
        // 5 x 0.000000000001 = 0.000000000005 → 0.00; 1 250 000 000 x 0.000000000001 = 0.00125 → 0.00; 5 000 000 000 x ... = 0.005 → 0.01
        var cost = await CostAsync("USAGE", """{"type": "USAGE", "meter_id": "<meter_id>", "unit_price": 0.000000000001}""", 5_000_000_000m);

        Assert.Equal(0.01m, cost.GetProperty("total").GetDecimal());
    }

    [Theory]
    // 800 units: all in tier 1 → 800 x 0.01 = 8.00
    [InlineData(800, 8.00)]
    // 3 000: 1 000 x 0.01 + 2 000 x 0.008 + flat 5 = 10 + 16 + 5 = 31.00
    [InlineData(3000, 31.00)]
    // 6 000: 10 + 4 000 x 0.008 + 5 + 1 000 x 0.005 + 10 = 10 + 32 + 5 + 5 + 10 = 62.00
    [InlineData(6000, 62.00)]
    public async Task Given_graduated_tiers_Then_each_unit_is_priced_by_its_tier_plus_the_flat_fee_of_every_tier_reached(int quantity, decimal expected)
    {
        var cost = await CostAsync("USAGE", $$"""{"type": "USAGE", "meter_id": "<meter_id>", "pricing_model": "graduated", "tiers": {{Tiers}}}""", quantity);

        Assert.Equal(expected, cost.GetProperty("total").GetDecimal());
    }

    [Theory]
    // 800 → tier 1: 800 x 0.01 = 8.00
    [InlineData(800, 8.00)]
    // 3 000 → tier 2: 3 000 x 0.008 + 5 = 29.00
    [InlineData(3000, 29.00)]
    // 6 000 → tier 3: 6 000 x 0.005 + 10 = 40.00
    [InlineData(6000, 40.00)]
    // exactly 1 000 → still tier 1 (up_to is inclusive): 10.00
    [InlineData(1000, 10.00)]
    public async Task Given_volume_tiers_Then_every_unit_is_priced_at_the_tier_the_total_falls_in_plus_its_flat_fee(int quantity, decimal expected)
    {
        var cost = await CostAsync("USAGE", $$"""{"type": "USAGE", "meter_id": "<meter_id>", "pricing_model": "volume", "tiers": {{Tiers}}}""", quantity);

        Assert.Equal(expected, cost.GetProperty("total").GetDecimal());
    }

    [Theory]
    // ceil(2 500 / 1 000) = 3 packages x 4.50 = 13.50
    [InlineData(2500, 13.50)]
    // exactly 2 000 → 2 packages = 9.00
    [InlineData(2000, 9.00)]
    public async Task Given_package_pricing_Then_started_packages_times_the_package_price(int quantity, decimal expected)
    {
        var cost = await CostAsync("USAGE", """{"type": "USAGE", "meter_id": "<meter_id>", "pricing_model": "package", "package_size": 1000, "package_price": 4.5}""", quantity);

        Assert.Equal(expected, cost.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Given_a_hybrid_plan_Then_the_fixed_amount_and_the_usage_add_up()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var tenant = await app.SignUpAsync();
        var meter = await tenant.CreateMeterAsync();
        var customer = await tenant.CreateCustomerAsync();
        var planId = (await tenant.CreatePlanAsync("HYBRID", "JPY")).GetProperty("id").GetString();
        await tenant.PostOkAsync($"/plans/{planId}/charges", """{"type": "FIXED", "amount": 4900, "display_name": "Base"}""");
        await tenant.PostOkAsync($"/plans/{planId}/charges", $$"""{"type": "USAGE", "meter_id": "{{meter.GetProperty("meter_id")}}", "unit_price": 0.5}""");
        await tenant.PostOkAsync("/subscriptions", $$"""{"customer_id": "{{customer.GetProperty("id")}}", "plan_id": "{{planId}}", "start_date": "2026-01-10T00:00:00Z"}""");
        var sdk = tenant.SdkClient(await tenant.CreateApiKeyAsync());
        await sdk.PostAsync($"{MeteringApp.Base}/sdk/track", JsonHttp.RequestBody($$"""
            {"meter_token": "{{meter.GetProperty("meter_token")}}", "customer_external_id": "{{customer.GetProperty("external_id")}}", "quantity": 3}
            """));

        var usage = await tenant.GetOkAsync($"/customers/{customer.GetProperty("id")}/usage");

        var subscription = Assert.Single(usage.GetProperty("subscriptions").EnumerateArray());
        // JPY has no minor unit: 3 x 0.5 = 1.5 rounds half away from zero to 2; 4 900 + 2 = 4 902.
        Assert.Equal([4900m, 2m], subscription.GetProperty("charges").EnumerateArray().Select(c => c.GetProperty("amount").GetDecimal()));
        Assert.Equal(4902m, subscription.GetProperty("total").GetDecimal());
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 0, 0, 0, TimeSpan.Zero), subscription.GetProperty("current_period_start").GetDateTimeOffset());
    }
}
