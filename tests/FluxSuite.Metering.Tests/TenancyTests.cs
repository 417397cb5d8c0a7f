using System.Net;
using FluxSuite.Testing;

namespace FluxSuite.Metering.Tests;

/// <summary>Another organization's ids are 404 on every route, for reads and writes alike, and never appear in lists.</summary>
[Collection(MeteringCollection.Name)]
public sealed class TenancyTests(MeteringApp app)
{
    private const string Base = MeteringApp.Base;

    [Fact]
    public async Task Given_another_organizations_ids_Then_every_route_answers_404_and_changes_nothing()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var owner = await app.SignUpAsync();
        var meter = await owner.CreateMeterAsync();
        var customer = await owner.CreateCustomerAsync();
        var plan = await owner.CreatePlanAsync("HYBRID");
        var planId = plan.GetProperty("id").GetString();
        var charge = await owner.PostOkAsync($"/plans/{planId}/charges", """{"type": "FIXED", "amount": 10}""");
        var subscription = await owner.PostOkAsync("/subscriptions", $$"""{"customer_id": "{{customer.GetProperty("id")}}", "plan_id": "{{planId}}"}""");
        await owner.CreateApiKeyAsync();
        var keyId = (await owner.GetOkAsync("/api-keys")).GetProperty("data")[0].GetProperty("id").GetString();
        var intruder = (await app.SignUpAsync()).Client;
        var featureId = meter.GetProperty("id").GetString();
        var customerId = customer.GetProperty("id").GetString();
        var chargeId = charge.GetProperty("id").GetString();
        var subscriptionId = subscription.GetProperty("id").GetString();

        var attempts = new (HttpMethod Method, string Path, string? Body)[]
        {
            (HttpMethod.Get, $"/features/{featureId}", null),
            (HttpMethod.Patch, $"/features/{featureId}", """{"name": "mine"}"""),
            (HttpMethod.Post, $"/features/{featureId}/archive", null),
            (HttpMethod.Get, $"/plans/{planId}", null),
            (HttpMethod.Patch, $"/plans/{planId}", """{"name": "mine"}"""),
            (HttpMethod.Post, $"/plans/{planId}/archive", null),
            (HttpMethod.Get, $"/plans/{planId}/charges", null),
            (HttpMethod.Post, $"/plans/{planId}/charges", """{"type": "FIXED", "amount": 1}"""),
            (HttpMethod.Get, $"/plans/{planId}/charges/{chargeId}", null),
            (HttpMethod.Patch, $"/plans/{planId}/charges/{chargeId}", """{"amount": 0}"""),
            (HttpMethod.Post, $"/plans/{planId}/charges/{chargeId}/archive", null),
            (HttpMethod.Get, $"/customers/{customerId}", null),
            (HttpMethod.Patch, $"/customers/{customerId}", """{"name": "mine"}"""),
            (HttpMethod.Get, $"/customers/{customerId}/usage", null),
            (HttpMethod.Get, $"/subscriptions/{subscriptionId}", null),
            (HttpMethod.Post, $"/subscriptions/{subscriptionId}/cancel", null),
            (HttpMethod.Post, "/subscriptions", $$"""{"customer_id": "{{customerId}}", "plan_id": "{{planId}}"}"""),
            (HttpMethod.Delete, $"/api-keys/{keyId}", null),
            (HttpMethod.Get, $"/usage?meter_id={meter.GetProperty("meter_id")}", null),
        };
        foreach (var (method, path, body) in attempts)
        {
            using var request = new HttpRequestMessage(method, Base + path) { Content = body is null ? null : JsonHttp.RequestBody(body) };
            var response = await intruder.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} answered {(int)response.StatusCode}");
        }

        Assert.Equal("Meter SUM", (await owner.GetOkAsync($"/features/{featureId}")).GetProperty("name").GetString());
        Assert.Equal("active", (await owner.GetOkAsync($"/subscriptions/{subscriptionId}")).GetProperty("status").GetString());
        Assert.Equal("active", (await owner.GetOkAsync("/api-keys")).GetProperty("data")[0].GetProperty("status").GetString());
        foreach (var list in new[] { "/features", "/plans", "/customers", "/subscriptions", "/api-keys" })
        {
            var body = await JsonHttp.ReadBodyAsync(await intruder.GetAsync(Base + list));
            Assert.Equal(0, body.GetProperty("data").GetArrayLength());
        }
    }

    [Fact]
    public async Task Given_another_organizations_meter_Then_a_charge_on_it_is_404()
    {
        var owner = await app.SignUpAsync();
        var meter = await owner.CreateMeterAsync();
        var other = await app.SignUpAsync();
        var plan = (await other.CreatePlanAsync()).GetProperty("id").GetString();

        var response = await other.Client.PostAsync($"{Base}/plans/{plan}/charges",
            JsonHttp.RequestBody($$"""{"type": "USAGE", "meter_id": "{{meter.GetProperty("meter_id")}}", "unit_price": 1}"""));

        var problem = await Http.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("meter_id", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
