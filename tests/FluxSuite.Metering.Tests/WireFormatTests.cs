using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluxSuite.Testing;

namespace FluxSuite.Metering.Tests;

/// <summary>ARCHITECTURE.md's wire format: every timestamp a Metering route writes is UTC ISO 8601 ending in <c>Z</c>.</summary>
[Collection(MeteringCollection.Name)]
public sealed partial class WireFormatTests(MeteringApp app)
{
    [Fact]
    public async Task Given_requests_with_any_offset_Then_every_timestamp_in_the_answers_is_UTC_written_with_Z()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var email = $"owner-{Guid.NewGuid():N}@example.com";
        var signup = await RawAsync(app.Factory.CreateClient(), HttpMethod.Post, "/auth/signup", HttpStatusCode.Created,
            $$"""{"email": "{{email}}", "password": "correct horse battery", "organization_name": "Wire"}""");
        Assert.Contains("\"expires_at\":\"2026-01-16T12:00:00Z\"", signup, StringComparison.Ordinal);

        var b = await Billing.SetUpAsync(app, "USAGE");
        await b.ChargeAsync("""{"type": "USAGE", "meter_id": "<meter_id>", "unit_price": 0.5}""");
        var client = b.Tenant.Client;
        // Offsets other than Z are read, and answered in UTC.
        var subscription = await RawAsync(client, HttpMethod.Post, "/subscriptions", HttpStatusCode.Created,
            $$"""{"customer_id": "{{b.CustomerId}}", "plan_id": "{{b.PlanId}}", "start_date": "2026-01-01T01:00:00+01:00"}""");
        Assert.Contains("\"start_date\":\"2026-01-01T00:00:00Z\"", subscription, StringComparison.Ordinal);
        var subscriptionId = JsonDocument.Parse(subscription).RootElement.GetProperty("id").GetString();

        var tracked = await RawAsync(b.Sdk, HttpMethod.Post, "/sdk/track", HttpStatusCode.Accepted,
            $$"""{"meter_token": "{{b.MeterToken}}", "customer_external_id": "{{b.ExternalId}}", "quantity": 4, "timestamp": "2026-01-15T13:30:00.25+02:00"}""");
        Assert.Contains("\"timestamp\":\"2026-01-15T11:30:00.25Z\"", tracked, StringComparison.Ordinal);
        var batch = await RawAsync(b.Sdk, HttpMethod.Post, "/sdk/track/batch", HttpStatusCode.Accepted,
            $$"""{"events": [{"meter_token": "{{b.MeterToken}}", "customer_external_id": "{{b.ExternalId}}", "quantity": 2, "timestamp": "2026-01-15T06:00:00-05:00"}]}""");
        Assert.Contains("\"timestamp\":\"2026-01-15T11:00:00Z\"", batch, StringComparison.Ordinal);

        var usage = await RawAsync(client, HttpMethod.Get, $"/usage?meter_id={b.MeterId}&from=2026-01-15T10:00:00Z&to=2026-01-15T12:00:00Z&granularity=hour", HttpStatusCode.OK);
        Assert.Contains("\"start\":\"2026-01-15T11:00:00Z\"", usage, StringComparison.Ordinal);
        var customerUsage = await RawAsync(client, HttpMethod.Get, $"/customers/{b.CustomerId}/usage", HttpStatusCode.OK);

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var draft = await RawAsync(client, HttpMethod.Post, $"/subscriptions/{subscriptionId}/generate-invoice", HttpStatusCode.Created);
        Assert.Contains("\"range_end\":\"2026-01-15T12:01:00Z\"", draft, StringComparison.Ordinal);
        var invoiceId = JsonDocument.Parse(draft).RootElement.GetProperty("id").GetString();
        var open = await RawAsync(client, HttpMethod.Post, $"/invoices/{invoiceId}/finalize", HttpStatusCode.OK);
        Assert.Contains("\"issued_at\":\"2026-01-15T12:01:00Z\"", open, StringComparison.Ordinal);
        Assert.Contains("\"due_at\":\"2026-02-14T12:01:00Z\"", open, StringComparison.Ordinal);
        var list = await RawAsync(client, HttpMethod.Get, "/invoices", HttpStatusCode.OK);

        foreach (var body in new[] { signup, subscription, tracked, batch, usage, customerUsage, draft, open, list })
        {
            var timestamps = Timestamp().Matches(body).Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(timestamps);
            Assert.All(timestamps, t => Assert.EndsWith("Z", t, StringComparison.Ordinal));
        }
    }

    private static async Task<string> RawAsync(HttpClient client, HttpMethod method, string path, HttpStatusCode expected, string? json = null)
    {
        using var request = new HttpRequestMessage(method, MeteringApp.Base + path) { Content = json is null ? null : JsonHttp.RequestBody(json) };
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path} answered {(int)response.StatusCode}: {text}");
        return text;
    }

    /// <summary>Every JSON string that starts like an ISO 8601 date and time.</summary>
    [GeneratedRegex("\"(\\d{4}-\\d{2}-\\d{2}T[^\"]*)\"")]
    private static partial Regex Timestamp();
}
