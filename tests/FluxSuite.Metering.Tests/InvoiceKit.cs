using System.Globalization;
using System.Net;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Metering.Tests;

/// <summary>A tenant set up to be invoiced: one SUM meter, a customer, an SDK client and a plan with the given charges.</summary>
public sealed record Billing(Tenant Tenant, JsonElement Meter, string MeterToken, string MeterId, string CustomerId, string ExternalId, string PlanId, HttpClient Sdk)
{
    /// <summary>Graduated and volume tiers used across the tests: up to 1 000 at 0.01; up to 5 000 at 0.008 + 5; above at 0.005 + 10.</summary>
    public const string Tiers = """
        [{"up_to": 1000, "unit_price": 0.01}, {"up_to": 5000, "unit_price": 0.008, "flat_fee": 5}, {"up_to": null, "unit_price": 0.005, "flat_fee": 10}]
        """;

    public static Task<Billing> SetUpAsync(MeteringApp app, string planType = "HYBRID", string currency = "USD", string interval = "month") =>
        SetUpAsync(app.Factory, planType, currency, interval);

    public static async Task<Billing> SetUpAsync(FluxSuiteFactory host, string planType = "HYBRID", string currency = "USD", string interval = "month")
    {
        var tenant = await Tenant.SignUpAsync(host);
        var meter = await tenant.CreateMeterAsync();
        var customer = await tenant.CreateCustomerAsync();
        var plan = await tenant.CreatePlanAsync(planType, currency, interval);
        var sdk = tenant.SdkClient(await tenant.CreateApiKeyAsync());
        return new Billing(tenant, meter, meter.GetProperty("meter_token").GetString()!, meter.GetProperty("meter_id").GetString()!,
            customer.GetProperty("id").GetString()!, customer.GetProperty("external_id").GetString()!, plan.GetProperty("id").GetString()!, sdk);
    }

    /// <summary>Adds a charge; <c>&lt;meter_id&gt;</c> in the JSON stands for the tenant's meter.</summary>
    public Task<JsonElement> ChargeAsync(string json) =>
        Tenant.PostOkAsync($"/plans/{PlanId}/charges", json.Replace("<meter_id>", MeterId, StringComparison.Ordinal));

    public async Task<string> SubscribeAsync(string startDate, string? customerId = null) =>
        (await Tenant.PostOkAsync("/subscriptions", $$"""{"customer_id": "{{customerId ?? CustomerId}}", "plan_id": "{{PlanId}}", "start_date": "{{startDate}}"}"""))
        .GetProperty("id").GetString()!;

    /// <summary>Tracks one event of the tenant's meter at the given time (which the clock must allow: at most 35 days old, 5 minutes ahead).</summary>
    public Task TrackAsync(decimal quantity, string timestamp, string? meterToken = null, string? externalId = null) =>
        Track(Sdk, meterToken ?? MeterToken, externalId ?? ExternalId, quantity, timestamp);

    public static async Task Track(HttpClient sdk, string meterToken, string externalId, decimal quantity, string timestamp)
    {
        var response = await sdk.PostAsync($"{MeteringApp.Base}/sdk/track", JsonHttp.RequestBody($$"""
            {"meter_token": "{{meterToken}}", "customer_external_id": "{{externalId}}",
             "quantity": {{quantity.ToString(CultureInfo.InvariantCulture)}}, "timestamp": "{{timestamp}}"}
            """));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The subscription's invoices, oldest range first.</summary>
    public async Task<List<JsonElement>> InvoicesAsync(string subscriptionId) =>
        [.. (await Tenant.GetOkAsync($"/invoices?subscription_id={subscriptionId}&page_size=100")).GetProperty("data").EnumerateArray()
            .OrderBy(i => i.GetProperty("range_start").GetDateTimeOffset())];

    public Task<JsonElement> InvoiceAsync(string id) => Tenant.GetOkAsync($"/invoices/{id}");

    public Task<HttpResponseMessage> PostAsync(string path) => Tenant.Client.PostAsync(MeteringApp.Base + path, null);
}

public static class InvoiceJson
{
    public static DateTimeOffset Utc(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    public static string Id(this JsonElement invoice) => invoice.GetProperty("id").GetString()!;

    public static string Status(this JsonElement invoice) => invoice.GetProperty("status").GetString()!;

    public static decimal Total(this JsonElement invoice) => invoice.GetProperty("total").GetDecimal();

    public static IEnumerable<JsonElement> Lines(this JsonElement invoice) => invoice.GetProperty("lines").EnumerateArray();

    /// <summary>Each line's amount, in line order.</summary>
    public static decimal[] Amounts(this JsonElement invoice) => [.. invoice.Lines().Select(l => l.GetProperty("amount").GetDecimal())];

    /// <summary>The line of the charge with this display name.</summary>
    public static JsonElement Line(this JsonElement invoice, string description) =>
        invoice.Lines().Single(l => l.GetProperty("description").GetString() == description);

    public static decimal Decimal(this JsonElement element, string property) => element.GetProperty(property).GetDecimal();
}
