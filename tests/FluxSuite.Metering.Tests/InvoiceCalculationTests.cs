using System.Net;
using System.Text.Json;
using FluxSuite.Testing;
using static FluxSuite.Metering.Tests.InvoiceJson;

namespace FluxSuite.Metering.Tests;

/// <summary>
/// What the period-close job puts on an invoice, worked out by hand: each pricing model over a period,
/// every meter aggregation, rounding per currency, and the period boundaries (start in, end out).
/// </summary>
[Collection(InvoicingCollection.Name)]
public sealed class InvoiceCalculationTests(InvoicingApp app)
{
    private static async Task<Billing> EveryModelAsync(InvoicingApp app)
    {
        var b = await Billing.SetUpAsync(app);
        await b.ChargeAsync("""{"type": "FIXED", "amount": 49.99, "display_name": "Base fee"}""");
        await b.ChargeAsync("""{"type": "USAGE", "meter_id": "<meter_id>", "unit_price": 0.005, "display_name": "Per unit"}""");
        await b.ChargeAsync($$"""{"type": "USAGE", "meter_id": "<meter_id>", "pricing_model": "graduated", "tiers": {{Billing.Tiers}}, "display_name": "Graduated"}""");
        await b.ChargeAsync($$"""{"type": "USAGE", "meter_id": "<meter_id>", "pricing_model": "volume", "tiers": {{Billing.Tiers}}, "display_name": "Volume"}""");
        await b.ChargeAsync("""{"type": "USAGE", "meter_id": "<meter_id>", "pricing_model": "package", "package_size": 1000, "package_price": 4.5, "display_name": "Package"}""");
        return b;
    }

    [Fact]
    public async Task Given_each_pricing_model_over_two_periods_Then_each_DRAFT_prices_the_events_of_its_own_period_line_by_line()
    {
        app.Clock.Set(Utc("2026-01-15T12:00:00Z"));
        var b = await EveryModelAsync(app);
        var peak = await b.Tenant.CreateMeterAsync("MAX");
        await b.Tenant.PostOkAsync($"/plans/{b.PlanId}/charges", $$"""{"type": "USAGE", "meter_id": "{{peak.GetProperty("meter_id")}}", "unit_price": 2, "display_name": "Peak"}""");
        var subscription = await b.SubscribeAsync("2026-01-01T00:00:00Z");
        await b.TrackAsync(1000, "2026-01-01T00:00:00Z"); // the period's first instant: in
        await b.TrackAsync(2000, "2026-01-15T08:00:00Z");
        var peakToken = peak.GetProperty("meter_token").GetString()!;
        await b.TrackAsync(3, "2026-01-10T00:00:00Z", peakToken);
        await b.TrackAsync(7, "2026-01-12T00:00:00Z", peakToken);
        await b.TrackAsync(5, "2026-01-14T00:00:00Z", peakToken);
        app.Clock.Set(Utc("2026-01-31T23:58:00Z"));
        await b.TrackAsync(1, "2026-01-31T23:59:59.999999Z"); // the period's last microsecond: in
        await b.TrackAsync(7000, "2026-02-01T00:00:00Z"); // the next period's first instant: out

        app.Clock.Set(Utc("2026-02-01T00:01:00Z"));
        await b.Tenant.SignInAgainAsync();
        await app.ClosePeriodsAsync();

        var january = Assert.Single(await b.InvoicesAsync(subscription));
        Assert.Equal("DRAFT", january.Status());
        Assert.Equal(JsonValueKind.Null, january.GetProperty("number").ValueKind);
        Assert.True(january.GetProperty("closes_period").GetBoolean());
        Assert.Equal(Utc("2026-01-01T00:00:00Z"), january.GetProperty("period_start").GetDateTimeOffset());
        Assert.Equal(Utc("2026-02-01T00:00:00Z"), january.GetProperty("period_end").GetDateTimeOffset());
        Assert.Equal(Utc("2026-02-01T01:01:00Z"), january.GetProperty("finalizes_at").GetDateTimeOffset());
        // Usage 1 000 + 2 000 + 1 = 3 001.
        // Fixed 49.99; per unit 3 001 x 0.005 = 15.005 → 15.01 (half away from zero);
        // graduated 1 000 x 0.01 + (2 001 x 0.008 + 5) = 10 + 21.008 = 31.008 → 31.01;
        // volume: 3 001 falls in tier 2, 3 001 x 0.008 + 5 = 29.008 → 29.01; package: ceil(3.001) = 4 x 4.50 = 18.00;
        // peak: MAX(3, 7, 5) = 7 x 2 = 14.00. Total 157.02.
        Assert.Equal([49.99m, 15.01m, 31.01m, 29.01m, 18.00m, 14.00m], january.Amounts());
        Assert.Equal(157.02m, january.Total());
        Assert.Equal(["FIXED", "USAGE", "USAGE", "USAGE", "USAGE", "USAGE"], january.Lines().Select(l => l.GetProperty("type").GetString()));
        var perUnit = january.Line("Per unit");
        Assert.Equal(3001m, perUnit.Decimal("quantity"));
        Assert.Equal(0.005m, perUnit.Decimal("unit_price"));
        Assert.Equal(15.01m, perUnit.Decimal("period_amount"));
        Assert.Equal(0m, perUnit.Decimal("previously_billed"));
        var tiers = january.Line("Graduated").GetProperty("tiers").EnumerateArray().ToList();
        Assert.Equal([1000m, 2001m], tiers.Select(t => t.Decimal("units")));
        Assert.Equal([10m, 21.008m], tiers.Select(t => t.Decimal("amount")));
        var volume = Assert.Single(january.Line("Volume").GetProperty("tiers").EnumerateArray());
        Assert.Equal(2, volume.GetProperty("tier").GetInt32());
        Assert.Equal(29.008m, volume.Decimal("amount"));
        Assert.Equal(4m, january.Line("Package").Decimal("packages"));
        Assert.Equal(7m, january.Line("Peak").Decimal("quantity"));
        var fee = january.Line("Base fee");
        Assert.Equal(1m, fee.Decimal("quantity"));
        Assert.Equal(49.99m, fee.Decimal("unit_price"));

        // February holds the 7 000 tracked at its first instant, and no peak at all.
        app.Clock.Set(Utc("2026-03-01T00:01:00Z"));
        await b.Tenant.SignInAgainAsync();
        await app.ClosePeriodsAsync();
        var february = (await b.InvoicesAsync(subscription))[1];
        // Per unit 7 000 x 0.005 = 35.00; graduated 10 + (4 000 x 0.008 + 5) + (2 000 x 0.005 + 10) = 10 + 37 + 20 = 67.00;
        // volume: tier 3, 7 000 x 0.005 + 10 = 45.00; package 7 x 4.50 = 31.50; peak: no event, 0.
        Assert.Equal([49.99m, 35.00m, 67.00m, 45.00m, 31.50m, 0m], february.Amounts());
        Assert.Equal(228.49m, february.Total());
        Assert.Equal(0m, february.Line("Peak").Decimal("quantity"));
        Assert.Equal(Utc("2026-02-01T00:00:00Z"), february.GetProperty("range_start").GetDateTimeOffset());
    }

    [Theory]
    // Customer A: 10:05 q5 user=a, 10:40 q2 user=b, 11:50 q1 user=c, 11:10 q7 user=a; customer B (another customer) 10:30 q100.
    [InlineData("SUM", 15)]
    [InlineData("COUNT", 4)]
    [InlineData("MAX", 7)]
    [InlineData("UNIQUE_COUNT", 3)]
    // LATEST by event time: the 11:50 event.
    [InlineData("LATEST", 1)]
    public async Task Given_a_meter_aggregation_Then_the_invoice_bills_the_periods_aggregate_of_the_customers_events(string aggregation, int quantity)
    {
        app.Clock.Set(Utc("2026-01-15T12:00:00Z"));
        var b = await Billing.SetUpAsync(app, "USAGE");
        var meter = await b.Tenant.CreateMeterAsync(aggregation, property: "user");
        await b.Tenant.PostOkAsync($"/plans/{b.PlanId}/charges", $$"""{"type": "USAGE", "meter_id": "{{meter.GetProperty("meter_id")}}", "unit_price": 1.5}""");
        var other = await b.Tenant.CreateCustomerAsync();
        var subscription = await b.SubscribeAsync("2026-01-01T00:00:00Z");
        await b.SubscribeAsync("2026-01-01T00:00:00Z", other.GetProperty("id").GetString());
        string E(string externalId, int minutes, int q, string user) => $$"""
            {"meter_token": "{{meter.GetProperty("meter_token")}}", "customer_external_id": "{{externalId}}", "quantity": {{q}},
             "timestamp": "{{Utc("2026-01-15T10:00:00Z").AddMinutes(minutes):O}}", "properties": {"user": "{{user}}" } }
            """;
        var otherId = other.GetProperty("external_id").GetString()!;
        var batch = await b.Sdk.PostAsync($"{MeteringApp.Base}/sdk/track/batch", JsonHttp.RequestBody(
            $"{{\"events\": [{E(b.ExternalId, 5, 5, "a")}, {E(b.ExternalId, 40, 2, "b")}, {E(b.ExternalId, 110, 1, "c")}, {E(b.ExternalId, 70, 7, "a")}, {E(otherId, 30, 100, "z")}]}}"));
        Assert.Equal(5, (await JsonHttp.ReadBodyAsync(batch)).GetProperty("accepted").GetInt32());

        app.Clock.Set(Utc("2026-02-01T00:00:00Z"));
        await b.Tenant.SignInAgainAsync();
        await app.ClosePeriodsAsync();

        var invoice = Assert.Single(await b.InvoicesAsync(subscription));
        var line = Assert.Single(invoice.Lines());
        Assert.Equal(quantity, line.Decimal("quantity"));
        Assert.Equal(quantity * 1.5m, invoice.Total());
    }

    [Theory]
    // BHD keeps 3 decimals: 3 001 x 0.0005 = 1.5005 → 1.501; JPY none: 3 001 x 0.0005 = 1.5005 → 2.
    [InlineData("BHD", 1.501)]
    [InlineData("JPY", 2)]
    public async Task Given_a_currency_Then_each_line_is_rounded_to_its_minor_unit_half_away_from_zero(string currency, decimal expected)
    {
        app.Clock.Set(Utc("2026-01-15T12:00:00Z"));
        var b = await Billing.SetUpAsync(app, "USAGE", currency);
        await b.ChargeAsync("""{"type": "USAGE", "meter_id": "<meter_id>", "unit_price": 0.0005}""");
        await b.ChargeAsync("""{"type": "USAGE", "meter_id": "<meter_id>", "unit_price": 0.0005}""");
        var subscription = await b.SubscribeAsync("2026-01-01T00:00:00Z");
        await b.TrackAsync(3001, "2026-01-10T00:00:00Z");

        app.Clock.Set(Utc("2026-02-01T00:00:00Z"));
        await b.Tenant.SignInAgainAsync();
        await app.ClosePeriodsAsync();

        var invoice = Assert.Single(await b.InvoicesAsync(subscription));
        Assert.Equal([expected, expected], invoice.Amounts());
        // The total is the sum of the rounded lines, not the rounded sum (3.001 → 3.00 / 3).
        Assert.Equal(expected * 2, invoice.Total());
        Assert.Equal(currency, invoice.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task Given_a_subscription_with_a_month_end_anchor_and_missed_periods_Then_each_period_is_invoiced_once_oldest_first()
    {
        // Anchored on Jan 31 08:00 (2027 is not a leap year): Feb 28 08:00, Mar 31 08:00, Apr 30 08:00.
        app.Clock.Set(Utc("2027-01-31T08:00:00Z"));
        var b = await Billing.SetUpAsync(app);
        await b.ChargeAsync("""{"type": "FIXED", "amount": 10, "display_name": "Base"}""");
        await b.ChargeAsync("""{"type": "USAGE", "meter_id": "<meter_id>", "unit_price": 1, "display_name": "Calls"}""");
        var subscription = await b.SubscribeAsync("2027-01-31T08:00:00Z");

        // Down for two months: the close job runs again on Apr 1, with events on either side of each boundary.
        app.Clock.Set(Utc("2027-04-01T00:00:00Z"));
        await b.Tenant.SignInAgainAsync();
        await b.TrackAsync(1, "2027-02-28T07:59:59Z");
        await b.TrackAsync(2, "2027-02-28T08:00:00Z");
        await b.TrackAsync(4, "2027-03-31T07:59:00Z");
        await b.TrackAsync(8, "2027-03-31T08:00:00Z");
        await app.ClosePeriodsAsync();
        await app.ClosePeriodsAsync();

        var invoices = await b.InvoicesAsync(subscription);
        Assert.Equal(2, invoices.Count);
        Assert.Equal([Utc("2027-01-31T08:00:00Z"), Utc("2027-02-28T08:00:00Z")], invoices.Select(i => i.GetProperty("period_start").GetDateTimeOffset()));
        Assert.Equal([Utc("2027-02-28T08:00:00Z"), Utc("2027-03-31T08:00:00Z")], invoices.Select(i => i.GetProperty("period_end").GetDateTimeOffset()));
        // 10 + 1; 10 + 2 + 4.
        Assert.Equal([11m, 16m], invoices.Select(i => i.Total()));
        Assert.Equal(Utc("2027-04-30T08:00:00Z"), await app.Database.ScalarAsync<DateTime>(
            "SELECT next_close_at FROM metering.subscriptions WHERE id = @id", ("id", Guid.Parse(subscription))));

        // Finalized oldest first: numbers follow the periods.
        app.Clock.Set(Utc("2027-04-01T01:00:00Z"));
        await app.FinalizeDueAsync();
        invoices = await b.InvoicesAsync(subscription);
        Assert.Equal(["INV-000001", "INV-000002"], invoices.Select(i => i.GetProperty("number").GetString()));

        app.Clock.Set(Utc("2027-04-30T08:00:00Z"));
        await b.Tenant.SignInAgainAsync();
        await app.ClosePeriodsAsync();
        var april = (await b.InvoicesAsync(subscription))[2];
        Assert.Equal(Utc("2027-03-31T08:00:00Z"), april.GetProperty("period_start").GetDateTimeOffset());
        Assert.Equal(Utc("2027-04-30T08:00:00Z"), april.GetProperty("period_end").GetDateTimeOffset());
        Assert.Equal(18m, april.Total());
    }

    [Fact]
    public async Task Given_a_subscription_backdated_before_it_was_created_Then_invoicing_starts_with_the_period_it_was_created_in()
    {
        app.Clock.Set(Utc("2026-01-15T12:00:00Z"));
        var b = await Billing.SetUpAsync(app, "FIXED");
        await b.ChargeAsync("""{"type": "FIXED", "amount": 30}""");
        var subscription = await b.SubscribeAsync("2025-06-01T00:00:00Z");

        app.Clock.Set(Utc("2026-02-01T00:00:00Z"));
        await b.Tenant.SignInAgainAsync();
        await app.ClosePeriodsAsync();

        var invoice = Assert.Single(await b.InvoicesAsync(subscription));
        Assert.Equal(Utc("2026-01-01T00:00:00Z"), invoice.GetProperty("period_start").GetDateTimeOffset());
        Assert.Equal(30m, invoice.Total());
    }

    [Fact]
    public async Task Given_a_subscription_canceled_mid_period_Then_its_last_period_ends_then_with_the_fixed_fee_in_full()
    {
        app.Clock.Set(Utc("2026-01-15T12:00:00Z"));
        var b = await Billing.SetUpAsync(app);
        await b.ChargeAsync("""{"type": "FIXED", "amount": 30}""");
        await b.ChargeAsync("""{"type": "USAGE", "meter_id": "<meter_id>", "unit_price": 1}""");
        var subscription = await b.SubscribeAsync("2026-01-01T00:00:00Z");
        await b.TrackAsync(5, "2026-01-10T00:00:00Z");
        await b.PostAsync($"/subscriptions/{subscription}/cancel");
        // After the end: not billed.
        app.Clock.Set(Utc("2026-01-20T00:00:00Z"));
        await b.Tenant.SignInAgainAsync();
        await b.TrackAsync(100, "2026-01-19T00:00:00Z");

        await app.ClosePeriodsAsync();

        var invoice = Assert.Single(await b.InvoicesAsync(subscription));
        Assert.Equal(Utc("2026-01-15T12:00:00Z"), invoice.GetProperty("period_end").GetDateTimeOffset());
        Assert.Equal(35m, invoice.Total());
        app.Clock.Set(Utc("2026-03-01T00:00:00Z"));
        await b.Tenant.SignInAgainAsync();
        await app.ClosePeriodsAsync();
        Assert.Single(await b.InvoicesAsync(subscription));
        Assert.Null(await app.Database.ScalarAsync<DateTime?>("SELECT next_close_at FROM metering.subscriptions WHERE id = @id", ("id", Guid.Parse(subscription))));
        var generate = await b.PostAsync($"/subscriptions/{subscription}/generate-invoice");
        var problem = await Http.ProblemAsync(generate, HttpStatusCode.Conflict);
        Assert.Equal("NOTHING_TO_INVOICE", problem.GetProperty("code").GetString());
    }
}
