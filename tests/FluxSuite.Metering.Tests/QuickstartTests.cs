using System.Net;
using System.Text.Json;
using FluxSuite.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FluxSuite.Metering.Tests;

/// <summary>
/// The reference quickstart's curl commands exactly as printed, with only the base URL swapped: steps 1–6
/// and step 7's manual invoice (the automatic part of step 7 runs through the scheduler in
/// <see cref="InvoiceSchedulingTests"/>).
/// </summary>
[Collection(MeteringCollection.Name)]
public sealed class QuickstartTests(MeteringApp app)
{
    private const string Step1 = """
        curl -X POST https://api.fluxrate.co/api/v1/features \
        -H "Content-Type: application/json" \
        -H "Cookie: access_token=<your_token>" \
        -d '{
        "name": "API Calls",
        "lookup_key": "api_calls",
        "type": "meter",
        "meter_name": "api_calls",
        "property_name": "call_count",
        "aggregation_type": "SUM",
        "unit": "calls"
        }'
        """;

    private const string Step2Plan = """
        curl -X POST https://api.fluxrate.co/api/v1/plans \
        -H "Content-Type: application/json" \
        -H "Cookie: access_token=<your_token>" \
        -d '{
        "name": "Starter",
        "lookup_id": "starter",
        "type": "USAGE",
        "billing_interval": "month",
        "currency": "USD"
        }'
        """;

    private const string Step2Charge = """
        curl -X POST https://api.fluxrate.co/api/v1/plans/<plan_id>/charges \
        -H "Content-Type: application/json" \
        -H "Cookie: access_token=<your_token>" \
        -d '{
        "type": "USAGE",
        "meter_id": "<your_meter_id>",
        "unit_price": 0.001,
        "display_name": "API Call Charge"
        }'
        """;

    private const string Step3 = """
        curl -X POST https://api.fluxrate.co/api/v1/customers \
        -H "Content-Type: application/json" \
        -H "Cookie: access_token=<your_token>" \
        -d '{
        "name": "Acme Corp",
        "email": "billing@acme.com",
        "external_id": "acme-corp-001"
        }'
        """;

    private const string Step4 = """
        curl -X POST https://api.fluxrate.co/api/v1/subscriptions \
        -H "Content-Type: application/json" \
        -H "Cookie: access_token=<your_token>" \
        -d '{
        "customer_id": "<customer_id>",
        "plan_id": "<plan_id>",
        "billing_interval": "month",
        "start_date": "2025-01-01T00:00:00Z"
        }'
        """;

    private const string Step5 = """
        curl -X POST https://api.fluxrate.co/api/v1/api-keys \
        -H "Content-Type: application/json" \
        -H "Cookie: access_token=<your_token>" \
        -d '{
        "name": "Production SDK Key",
        "scopes": ["usage.write"]
        }'
        """;

    private const string Step6 = """
        curl -X POST https://api.fluxrate.co/api/v1/sdk/track \
        -H "Content-Type: application/json" \
        -H "X-API-Key: org_live_<your_key>" \
        -d '{
        "meter_token": "<meter_token>",
        "customer_external_id": "acme-corp-001",
        "quantity": 150,
        "idempotency_key": "req_unique_abc123"
        }'
        """;

    private const string Step7 = """
        curl -X POST https://api.fluxrate.co/api/v1/subscriptions/<subscription_id>/generate-invoice \
        -H "Cookie: access_token=<your_token>"
        """;

    [Fact]
    public async Task Given_the_quickstart_commands_with_the_base_URL_swapped_Then_steps_1_to_7_work_as_written()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var tenant = await app.SignUpAsync();
        // A client with no cookie jar: the commands carry the cookie themselves, as curl does.
        var curl = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        var values = new Dictionary<string, string> { ["<your_token>"] = tenant.Token };

        var meter = await RunAsync(curl, Step1, values, HttpStatusCode.Created);
        Assert.Equal("API Calls", meter.GetProperty("name").GetString());
        Assert.Equal("SUM", meter.GetProperty("aggregation_type").GetString());
        values["<meter_token>"] = meter.GetProperty("meter_token").GetString()!;
        values["<your_meter_id>"] = meter.GetProperty("meter_id").GetString()!;

        var plan = await RunAsync(curl, Step2Plan, values, HttpStatusCode.Created);
        values["<plan_id>"] = plan.GetProperty("id").GetString()!;
        var charge = await RunAsync(curl, Step2Charge, values, HttpStatusCode.Created);
        Assert.Equal(0.001m, charge.GetProperty("unit_price").GetDecimal());
        Assert.Equal("per_unit", charge.GetProperty("pricing_model").GetString());

        var customer = await RunAsync(curl, Step3, values, HttpStatusCode.Created);
        values["<customer_id>"] = customer.GetProperty("id").GetString()!;
        Assert.Equal("acme-corp-001", customer.GetProperty("external_id").GetString());

        var subscription = await RunAsync(curl, Step4, values, HttpStatusCode.Created);
        values["<subscription_id>"] = subscription.GetProperty("id").GetString()!;
        Assert.Equal("active", subscription.GetProperty("status").GetString());
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), subscription.GetProperty("current_period_start").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), subscription.GetProperty("current_period_end").GetDateTimeOffset());

        var key = await RunAsync(curl, Step5, values, HttpStatusCode.Created);
        var apiKey = key.GetProperty("key").GetString()!;
        Assert.StartsWith("org_live_", apiKey, StringComparison.Ordinal);
        values["org_live_<your_key>"] = apiKey;

        var tracked = await RunAsync(curl, Step6, values, HttpStatusCode.Accepted);
        var eventId = tracked.GetProperty("event_id").GetGuid();
        Assert.False(tracked.GetProperty("duplicate").GetBoolean());
        Assert.Equal(150m, await app.Database.ScalarAsync<decimal>(
            "SELECT quantity FROM metering.events WHERE id = @id AND idempotency_key = 'req_unique_abc123'", ("id", eventId)));

        // The retry the quickstart warns about stores nothing new.
        var retried = await RunAsync(curl, Step6, values, HttpStatusCode.Accepted);
        Assert.Equal(eventId, retried.GetProperty("event_id").GetGuid());
        Assert.True(retried.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1L, await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM metering.events WHERE organization_id = @org", ("org", tenant.OrganizationId)));

        // 150 calls at 0.001 cost 0.15 so far this period.
        var usage = await tenant.GetOkAsync($"/customers/{values["<customer_id>"]}/usage");
        var current = Assert.Single(usage.GetProperty("subscriptions").EnumerateArray());
        Assert.Equal(150m, current.GetProperty("usage")[0].GetProperty("quantity").GetDecimal());
        Assert.Equal(0.15m, current.GetProperty("total").GetDecimal());

        // "You can also manually generate an invoice at any time." A minute later: the invoice covers
        // [period start, now), and the test clock has not moved since the event was stamped with it.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var invoice = await RunAsync(curl, Step7, values, HttpStatusCode.Created);
        Assert.Equal("DRAFT", invoice.GetProperty("status").GetString());
        Assert.Equal(values["<subscription_id>"], invoice.GetProperty("subscription_id").GetString());
        Assert.Equal(0.15m, invoice.GetProperty("total").GetDecimal());
        var line = Assert.Single(invoice.GetProperty("lines").EnumerateArray());
        Assert.Equal("API Call Charge", line.GetProperty("description").GetString());
        Assert.Equal(150m, line.GetProperty("quantity").GetDecimal());
    }

    private static async Task<JsonElement> RunAsync(HttpClient client, string command, Dictionary<string, string> values, HttpStatusCode expected)
    {
        // Longest placeholders first, so org_live_<your_key> is replaced whole.
        foreach (var (placeholder, value) in values.OrderByDescending(v => v.Key.Length))
        {
            command = command.Replace(placeholder, value, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<", command, StringComparison.Ordinal);
        using var request = Curl.Parse(command, "https://api.fluxrate.co", "http://localhost/metering");
        var response = await client.SendAsync(request);
        var body = await JsonHttp.ReadBodyAsync(response);
        Assert.True(response.StatusCode == expected, $"{command.Split('\n')[0]} answered {(int)response.StatusCode}: {body}");
        return body;
    }
}
