using System.Net;
using System.Text.Json;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Metering.Tests;

/// <summary>
/// The webhook tests' host: deliveries may reach the loopback receiver, the delivery and invoicing jobs
/// do not fire by themselves (the tests run them), and an attempt times out after one second.
/// </summary>
public sealed class WebhooksApp : MeteringApp
{
    protected override void Configure(FluxSuiteFactory factory) => factory.WithWebhookTestSettings().WithInvoicingSchedule("never");
}

[CollectionDefinition(Name)]
public sealed class WebhooksCollection : ICollectionFixture<WebhooksApp>
{
    public const string Name = "metering-webhooks";
}

/// <summary>Metering's webhooks against a real receiver on a loopback port, signatures checked with the StandardWebhooks package.</summary>
[Collection(WebhooksCollection.Name)]
public sealed class WebhookTests(WebhooksApp app) : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        // The receiver's library checks the timestamp against the real clock.
        app.Clock.Set(DateTimeOffset.UtcNow);
        _receiver = await WebhookReceiver.StartAsync();
        // Each test counts the attempts of its own endpoints: those of earlier tests (and their retries) go.
        await app.Database.ScalarAsync<int>("DELETE FROM metering.webhook_endpoints");
    }

    public ValueTask DisposeAsync() => _receiver.DisposeAsync();

    private async Task<(string Id, string Secret)> RegisterAsync(Tenant tenant, params string[] events)
    {
        var body = await tenant.PostOkAsync("/webhooks",
            $$"""{"url": "{{_receiver.Url()}}", "events": [{{string.Join(", ", events.Select(e => $"\"{e}\""))}}], "description": "billing backend"}""");
        return (body.GetProperty("id").GetString()!, body.GetProperty("secret").GetString()!);
    }

    [Fact]
    public async Task Given_an_endpoint_for_every_event_When_invoices_and_subscriptions_change_Then_each_change_is_delivered_once_with_a_valid_signature()
    {
        var b = await Billing.SetUpAsync(app);
        await b.ChargeAsync("""{"type": "USAGE", "meter_id": "<meter_id>", "unit_price": 0.01, "display_name": "Calls"}""");
        var (_, secret) = await RegisterAsync(b.Tenant,
            "invoice.created", "invoice.finalized", "invoice.paid", "invoice.voided", "subscription.created", "subscription.canceled");

        var subscription = await b.SubscribeAsync(app.Clock.GetUtcNow().AddDays(-3).ToString("O"));
        var first = await b.Tenant.PostOkAsync($"/subscriptions/{subscription}/generate-invoice", "{}");
        var firstId = first.GetProperty("id").GetString();
        await b.Tenant.PostOkAsync($"/invoices/{firstId}/finalize", "{}", HttpStatusCode.OK);
        await b.Tenant.PostOkAsync($"/invoices/{firstId}/mark-paid", "{}", HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await b.Tenant.PostOkAsync($"/subscriptions/{subscription}/generate-invoice", "{}");
        var secondId = second.GetProperty("id").GetString();
        await b.Tenant.PostOkAsync($"/invoices/{secondId}/void", "{}", HttpStatusCode.OK);
        await b.Tenant.PostOkAsync($"/subscriptions/{subscription}/cancel", "{}", HttpStatusCode.OK);

        Assert.Equal(7, await app.Factory.DeliverWebhooksAsync());
        Assert.Equal(0, await app.Factory.DeliverWebhooksAsync());

        var received = _receiver.Received.ToList();
        Assert.Equal(
            ["invoice.created", "invoice.created", "invoice.finalized", "invoice.paid", "invoice.voided", "subscription.canceled", "subscription.created"],
            received.Select(r => r.Type).Order(StringComparer.Ordinal));
        Assert.All(received, r => Assert.True(r.VerifiesWith(secret), $"{r.Type}: the signature does not verify"));
        Assert.Equal(7, received.Select(r => r.Id).Distinct().Count());
        Assert.All(received, r => Assert.Equal("application/json", r.Headers.ContentType.ToString()));

        // Each payload carries the object as the API answers it now.
        var paid = received.Single(r => r.Type == "invoice.paid").Data;
        Assert.Equal(firstId, paid.GetProperty("id").GetString());
        Assert.Equal("PAID", paid.GetProperty("status").GetString());
        Assert.Equal("OPEN", received.Single(r => r.Type == "invoice.finalized").Data.GetProperty("status").GetString());
        Assert.Equal("VOID", received.Single(r => r.Type == "invoice.voided").Data.GetProperty("status").GetString());
        Assert.Equal(
            [firstId, secondId],
            received.Where(r => r.Type == "invoice.created").Select(r => r.Data.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        Assert.All(received.Where(r => r.Type == "invoice.created"), r => Assert.Equal("DRAFT", r.Data.GetProperty("status").GetString()));
        Assert.Equal(subscription, received.Single(r => r.Type == "subscription.canceled").Data.GetProperty("id").GetString());
        Assert.Equal("canceled", received.Single(r => r.Type == "subscription.canceled").Data.GetProperty("status").GetString());
        var envelope = received[0].Json;
        Assert.Equal(["type", "timestamp", "data"], envelope.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Given_the_period_close_and_finalize_jobs_Then_their_invoices_are_reported_too_and_only_to_endpoints_taking_the_event()
    {
        var b = await Billing.SetUpAsync(app);
        await b.ChargeAsync("""{"type": "FIXED", "amount": 20, "display_name": "Base"}""");
        await RegisterAsync(b.Tenant, "invoice.finalized");
        await b.SubscribeAsync(app.Clock.GetUtcNow().AddDays(-1).ToString("O"));
        app.Clock.Advance(TimeSpan.FromDays(31));

        // Other tests' subscriptions in the collection's database may close too: only this receiver's requests count.
        Assert.True(await app.ClosePeriodsAsync() >= 1);
        await app.Factory.DeliverWebhooksAsync();
        Assert.Empty(_receiver.Received);
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.True(await app.FinalizeDueAsync() >= 1);
        await app.Factory.DeliverWebhooksAsync();

        var finalized = Assert.Single(_receiver.Received);
        Assert.Equal("invoice.finalized", finalized.Type);
        Assert.StartsWith("INV-", finalized.Data.GetProperty("number").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_delivery_job_triggered_through_the_scheduler_Then_it_delivers_what_is_due()
    {
        var tenant = await app.SignUpAsync();
        var (id, secret) = await RegisterAsync(tenant, "invoice.paid");
        await tenant.PostOkAsync($"/webhooks/{id}/test", "{}", HttpStatusCode.Accepted);

        await app.Factory.RunRecurringJobAsync(WebhookDeliveryJob.Id);

        var test = Assert.Single(_receiver.Received);
        Assert.Equal("webhook.test", test.Type);
        Assert.True(test.VerifiesWith(secret));
    }

    [Fact]
    public async Task Given_a_receiver_answering_500_then_200_Then_the_delivery_is_retried_with_doubling_waits_and_the_log_shows_each_attempt()
    {
        var tenant = await app.SignUpAsync();
        var (id, _) = await RegisterAsync(tenant, "subscription.created");
        var calls = 0;
        _receiver.Respond = _ => (Interlocked.Increment(ref calls) <= 2 ? 500 : 200, TimeSpan.Zero);
        await tenant.PostOkAsync($"/webhooks/{id}/test", "{}", HttpStatusCode.Accepted);

        Assert.Equal(1, await app.Factory.DeliverWebhooksAsync());
        Assert.Equal(0, await app.Factory.DeliverWebhooksAsync());
        app.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await app.Factory.DeliverWebhooksAsync());
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await app.Factory.DeliverWebhooksAsync());
        app.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, await app.Factory.DeliverWebhooksAsync());
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await app.Factory.DeliverWebhooksAsync());
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await app.Factory.DeliverWebhooksAsync());

        Assert.Equal(3, _receiver.Received.Count);
        Assert.Single(_receiver.Received.Select(r => r.Id).Distinct());
        var delivery = (await tenant.GetOkAsync($"/webhooks/{id}/deliveries")).GetProperty("data").EnumerateArray().Single();
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Equal("webhook.test", delivery.GetProperty("event_type").GetString());
        var attempts = delivery.GetProperty("attempt_log").EnumerateArray().ToList();
        Assert.Equal([500, 500, 200], attempts.Select(a => a.GetProperty("status_code").GetInt32()));
        Assert.Equal(["answered 500", "answered 500", "answered 200"], attempts.Select(a => a.GetProperty("response").GetString()));
        Assert.All(attempts, a => Assert.True(a.GetProperty("duration_ms").GetInt32() >= 0));
        var endpoint = await tenant.GetOkAsync($"/webhooks/{id}");
        Assert.Equal(0, endpoint.GetProperty("consecutive_failures").GetInt32());
        Assert.Equal(JsonValueKind.String, endpoint.GetProperty("last_success_at").ValueKind);
    }

    [Fact]
    public async Task Given_a_receiver_that_does_not_answer_in_time_Then_the_attempt_is_a_timeout_and_is_retried()
    {
        var tenant = await app.SignUpAsync();
        var (id, _) = await RegisterAsync(tenant, "invoice.paid");
        var calls = 0;
        _receiver.Respond = _ => (200, Interlocked.Increment(ref calls) == 1 ? TimeSpan.FromSeconds(5) : TimeSpan.Zero);
        await tenant.PostOkAsync($"/webhooks/{id}/test", "{}", HttpStatusCode.Accepted);

        Assert.Equal(1, await app.Factory.DeliverWebhooksAsync());
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await app.Factory.DeliverWebhooksAsync());

        var delivery = (await tenant.GetOkAsync($"/webhooks/{id}/deliveries")).GetProperty("data").EnumerateArray().Single();
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        var attempts = delivery.GetProperty("attempt_log").EnumerateArray().ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(JsonValueKind.Null, attempts[0].GetProperty("status_code").ValueKind);
        Assert.StartsWith("timed out after 1 s", attempts[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, attempts[1].GetProperty("status_code").GetInt32());
    }

    [Fact]
    public async Task Given_a_receiver_that_redirects_to_a_metadata_address_Then_the_redirect_is_not_followed()
    {
        var tenant = await app.SignUpAsync();
        var (id, _) = await RegisterAsync(tenant, "invoice.paid");
        _receiver.Respond = _ => (302, TimeSpan.Zero);
        _receiver.RedirectLocation = "http://169.254.169.254/latest/meta-data/";
        await tenant.PostOkAsync($"/webhooks/{id}/test", "{}", HttpStatusCode.Accepted);

        Assert.Equal(1, await app.Factory.DeliverWebhooksAsync());

        Assert.Single(_receiver.Received);
        var attempt = (await tenant.GetOkAsync($"/webhooks/{id}/deliveries")).GetProperty("data")[0].GetProperty("attempt_log")[0];
        Assert.Equal(302, attempt.GetProperty("status_code").GetInt32());
        Assert.Contains("redirects are not followed", attempt.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_receiver_down_for_a_while_Then_it_gets_every_event_once_when_it_is_back()
    {
        var tenant = await app.SignUpAsync();
        var (id, secret) = await RegisterAsync(tenant, "invoice.paid");
        await _receiver.StopAsync();
        for (var i = 0; i < 3; i++)
        {
            await tenant.PostOkAsync($"/webhooks/{id}/test", "{}", HttpStatusCode.Accepted);
        }

        Assert.Equal(3, await app.Factory.DeliverWebhooksAsync());
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(3, await app.Factory.DeliverWebhooksAsync());
        var endpoint = await tenant.GetOkAsync($"/webhooks/{id}");
        Assert.Equal(6, endpoint.GetProperty("consecutive_failures").GetInt32());
        Assert.True(endpoint.GetProperty("enabled").GetBoolean());

        await _receiver.StartAgainAsync();
        app.Clock.Set(DateTimeOffset.UtcNow.AddMinutes(2));
        Assert.Equal(3, await app.Factory.DeliverWebhooksAsync());
        app.Clock.Advance(TimeSpan.FromHours(12));
        Assert.Equal(0, await app.Factory.DeliverWebhooksAsync());

        Assert.Equal(3, _receiver.Received.Count);
        Assert.Equal(3, _receiver.Received.Select(r => r.Id).Distinct().Count());
        var deliveries = (await tenant.GetOkAsync($"/webhooks/{id}/deliveries")).GetProperty("data").EnumerateArray().ToList();
        Assert.All(deliveries, d => Assert.Equal("delivered", d.GetProperty("status").GetString()));
        Assert.All(deliveries, d => Assert.Contains("Connection refused", d.GetProperty("attempt_log")[0].GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase));
        Assert.NotNull(secret);
    }

    [Fact]
    public async Task Given_an_endpoint_failing_for_three_days_Then_its_delivery_fails_and_it_is_disabled_with_the_reason_and_can_be_brought_back()
    {
        var tenant = await app.SignUpAsync();
        var (id, _) = await RegisterAsync(tenant, "subscription.created");
        _receiver.Respond = _ => (503, TimeSpan.Zero);
        await tenant.PostOkAsync($"/webhooks/{id}/test", "{}", HttpStatusCode.Accepted);

        var start = app.Clock.GetUtcNow();
        var attempts = 0;
        while (app.Clock.GetUtcNow() < start + TimeSpan.FromDays(3) + TimeSpan.FromHours(7))
        {
            attempts += await app.Factory.DeliverWebhooksAsync();
            app.Clock.Advance(TimeSpan.FromMinutes(30));
        }

        // 30 s, 1, 2, 4, 8, 16, 32, 64, 128, 256 min, then every 6 h until 3 days have passed.
        Assert.InRange(attempts, 18, 22);
        await tenant.SignInAgainAsync();
        var endpoint = await tenant.GetOkAsync($"/webhooks/{id}");
        Assert.False(endpoint.GetProperty("enabled").GetBoolean());
        Assert.Contains("every delivery has failed since", endpoint.GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("HTTP 503", endpoint.GetProperty("disabled_reason").GetString(), StringComparison.Ordinal);
        var delivery = (await tenant.GetOkAsync($"/webhooks/{id}/deliveries")).GetProperty("data").EnumerateArray().Single();
        Assert.Equal("failed", delivery.GetProperty("status").GetString());
        Assert.StartsWith("Gave up after", delivery.GetProperty("last_error").GetString(), StringComparison.Ordinal);

        // A disabled endpoint takes no new events; enabled again, a redelivery by hand goes out.
        var customer = await tenant.CreateCustomerAsync();
        var plan = await tenant.CreatePlanAsync();
        await tenant.PostOkAsync("/subscriptions", $$"""{"customer_id": "{{customer.GetProperty("id")}}", "plan_id": "{{plan.GetProperty("id")}}"}""");
        Assert.Equal(0, await app.Factory.DeliverWebhooksAsync());
        Assert.Single((await tenant.GetOkAsync($"/webhooks/{id}/deliveries")).GetProperty("data").EnumerateArray());
        _receiver.Respond = _ => (204, TimeSpan.Zero);
        var patch = await tenant.Client.PatchAsync($"{MeteringApp.Base}/webhooks/{id}", JsonHttp.RequestBody("""{"enabled": true}"""));
        var enabled = await JsonHttp.ReadBodyAsync(patch);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.True(enabled.GetProperty("enabled").GetBoolean());
        Assert.Equal(JsonValueKind.Null, enabled.GetProperty("disabled_reason").ValueKind);
        Assert.Equal(0, enabled.GetProperty("consecutive_failures").GetInt32());
        await tenant.PostOkAsync($"/webhooks/{id}/deliveries/{delivery.GetProperty("id").GetString()}/redeliver", "{}", HttpStatusCode.Accepted);
        Assert.Equal(1, await app.Factory.DeliverWebhooksAsync());
        var redelivered = (await tenant.GetOkAsync($"/webhooks/{id}/deliveries")).GetProperty("data").EnumerateArray().Single();
        Assert.Equal("delivered", redelivered.GetProperty("status").GetString());
        Assert.Equal(204, redelivered.GetProperty("last_status_code").GetInt32());
    }

    [Fact]
    public async Task Given_two_hosts_running_the_delivery_job_at_once_Then_no_event_is_delivered_twice()
    {
        await using var group = new HostGroup();
        await group.InitializeAsync();
        var first = group.Add(h => h.WithWebhookTestSettings());
        var second = group.Add(h => h.WithWebhookTestSettings());
        first.Clock.Set(DateTimeOffset.UtcNow);
        second.Clock.Set(DateTimeOffset.UtcNow);
        var tenant = await Tenant.SignUpAsync(first);
        var body = await tenant.PostOkAsync("/webhooks", $$"""{"url": "{{_receiver.Url()}}", "events": ["invoice.paid"]}""");
        var id = body.GetProperty("id").GetString();
        for (var i = 0; i < 40; i++)
        {
            await tenant.PostOkAsync($"/webhooks/{id}/test", "{}", HttpStatusCode.Accepted);
        }

        _receiver.Respond = _ => (200, TimeSpan.FromMilliseconds(20));
        var runs = await Task.WhenAll(first.DeliverWebhooksAsync(), second.DeliverWebhooksAsync(), first.DeliverWebhooksAsync(), second.DeliverWebhooksAsync());

        Assert.Equal(40, runs.Sum());
        Assert.Equal(40, _receiver.Received.Count);
        Assert.Equal(40, _receiver.Received.Select(r => r.Id).Distinct().Count());
        Assert.All(_receiver.Received, r => Assert.True(r.VerifiesWith(body.GetProperty("secret").GetString()!)));
    }

    [Fact]
    public async Task Given_an_endpoint_Then_it_is_listed_changed_rotated_and_deleted_and_another_organization_never_sees_it()
    {
        var tenant = await app.SignUpAsync();
        var other = await app.SignUpAsync();
        var (id, secret) = await RegisterAsync(tenant, "invoice.paid");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);

        var listed = (await tenant.GetOkAsync("/webhooks")).GetProperty("data").EnumerateArray().Single();
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.False(listed.TryGetProperty("secret", out _));
        Assert.Empty((await other.GetOkAsync("/webhooks")).GetProperty("data").EnumerateArray());
        await Http.ProblemAsync(await other.Client.GetAsync($"{MeteringApp.Base}/webhooks/{id}"), HttpStatusCode.NotFound);
        await Http.ProblemAsync(await other.Client.DeleteAsync($"{MeteringApp.Base}/webhooks/{id}"), HttpStatusCode.NotFound);

        var patch = await tenant.Client.PatchAsync($"{MeteringApp.Base}/webhooks/{id}",
            JsonHttp.RequestBody($$"""{"url": "{{_receiver.Url("/v2")}}", "events": ["invoice.voided", "invoice.paid"]}"""));
        var changed = await JsonHttp.ReadBodyAsync(patch);
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal(_receiver.Url("/v2"), changed.GetProperty("url").GetString());
        Assert.Equal(["invoice.paid", "invoice.voided"], changed.GetProperty("events").EnumerateArray().Select(e => e.GetString()));

        var rotated = await tenant.PostOkAsync($"/webhooks/{id}/rotate-secret", "{}", HttpStatusCode.OK);
        var newSecret = rotated.GetProperty("secret").GetString()!;
        Assert.NotEqual(secret, newSecret);
        await tenant.PostOkAsync($"/webhooks/{id}/test", "{}", HttpStatusCode.Accepted);
        Assert.Equal(1, await app.Factory.DeliverWebhooksAsync());
        var test = Assert.Single(_receiver.Received);
        Assert.Equal("/v2", test.Path);
        Assert.True(test.VerifiesWith(newSecret));
        Assert.False(test.VerifiesWith(secret));

        var far = await tenant.GetOkAsync($"/webhooks/{id}/deliveries?page=2147483647&page_size=100");
        Assert.Empty(far.GetProperty("data").EnumerateArray());
        Assert.Equal(1, far.GetProperty("total").GetInt64());

        var admin = app.CreateAdminClient();
        var all = await JsonHttp.ReadBodyAsync(await admin.GetAsync("/admin/metering/webhooks"));
        var row = all.GetProperty("data").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        Assert.Equal(tenant.OrganizationId, row.GetProperty("owner_id").GetGuid());
        Assert.Equal(JsonValueKind.String, row.GetProperty("last_success_at").ValueKind);
        Assert.Equal(("live", 0, _receiver.Url("/v2")), (row.GetProperty("mode").GetString(), row.GetProperty("pending_deliveries").GetInt32(), row.GetProperty("url").GetString()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/admin/metering/webhooks")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"{MeteringApp.Base}/webhooks/{id}")).StatusCode);
        Assert.Empty((await tenant.GetOkAsync("/webhooks")).GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"events": ["invoice.paid"]}""", "url", "is required.")]
    [InlineData("""{"url": "https://hooks.example.com/x", "events": ["invoice.paid", "invoice.exploded", "plan.created"]}""", "events",
        "unknown events 'invoice.exploded', 'plan.created'")]
    [InlineData("""{"url": "https://hooks.example.com/x", "events": []}""", "events", "must name one or more events")]
    [InlineData("""{"url": "https://hooks.example.com/x"}""", "events", "is required")]
    [InlineData("""{"url": "ftp://hooks.example.com/x", "events": ["invoice.paid"]}""", "url", "must be an absolute")]
    [InlineData("""{"url": "https://user:pw@hooks.example.com/x", "events": ["invoice.paid"]}""", "url", "must not carry a user name")]
    public async Task Given_bad_input_Then_the_answer_is_400_naming_the_field(string json, string field, string problem)
    {
        var tenant = await app.SignUpAsync();
        var response = await tenant.Client.PostAsync($"{MeteringApp.Base}/webhooks", JsonHttp.RequestBody(json));
        var body = await Http.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem, string.Join(" ", body.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString())), StringComparison.Ordinal);
    }
}

/// <summary>The address guard as production runs it (no <c>Webhooks:AllowPrivateNetworks</c>).</summary>
public sealed class WebhookGuardTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private FluxSuiteFactory _host = null!;

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        _host = new FluxSuiteFactory(_database.ConnectionString).WithSetting($"Scheduler:Jobs:{WebhookDeliveryJob.Id}", "never");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData("https://127.0.0.1/hooks", "points to a loopback address")]
    [InlineData("https://10.1.2.3/hooks", "points to a private address")]
    [InlineData("https://169.254.169.254/latest/meta-data", "points to a cloud metadata address")]
    [InlineData("https://[::1]:8443/hooks", "points to a loopback address")]
    [InlineData("https://localhost:8443/hooks", "points to a loopback address")]
    [InlineData("http://hooks.example.com/x", "must be an absolute https:// URL")]
    public async Task Given_a_private_or_plain_http_url_Then_registering_it_is_a_400_naming_url(string url, string problem)
    {
        var tenant = await Tenant.SignUpAsync(_host);
        var response = await tenant.Client.PostAsync($"{MeteringApp.Base}/webhooks", JsonHttp.RequestBody($$"""{"url": "{{url}}", "events": ["invoice.paid"]}"""));
        var body = await Http.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(problem, body.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_name_that_resolves_to_loopback_at_delivery_time_Then_the_guard_refuses_to_connect_and_nothing_is_sent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var tenant = await Tenant.SignUpAsync(_host);
        var body = await tenant.PostOkAsync("/webhooks", """{"url": "https://hooks.example.com/x", "events": ["invoice.paid"]}""");
        var id = body.GetProperty("id").GetString();
        // The name's DNS answer changed after registration: the endpoint now points at this machine.
        await _database.ScalarAsync<int>($"UPDATE metering.webhook_endpoints SET url = 'http://localhost:{receiver.Port}/hooks' WHERE id = '{id}'");
        await tenant.PostOkAsync($"/webhooks/{id}/test", "{}", HttpStatusCode.Accepted);

        Assert.Equal(1, await _host.DeliverWebhooksAsync());

        Assert.Empty(receiver.Received);
        var attempt = (await tenant.GetOkAsync($"/webhooks/{id}/deliveries")).GetProperty("data")[0].GetProperty("attempt_log")[0];
        Assert.Contains("refused to connect to localhost", attempt.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("a loopback address", attempt.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
