using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluxSuite.Reseller.Jobs;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Reseller.Tests;

/// <summary>The reseller webhook tests' host: deliveries may reach loopback receivers, and the tests run the jobs.</summary>
public sealed class ResellerWebhooksApp : ResellerApp
{
    protected override void Configure(FluxSuiteFactory factory)
    {
        base.Configure(factory);
        factory.WithWebhookTestSettings();
    }

    public Task<int> RunPlanExpiryAsync() =>
        ActivatorUtilities.CreateInstance<PlanExpiryJob>(Factory.Services.CreateScope().ServiceProvider).ExpireDueAsync(CancellationToken.None);
}

[CollectionDefinition(Name)]
public sealed class ResellerWebhooksCollection : ICollectionFixture<ResellerWebhooksApp>
{
    public const string Name = "reseller-webhooks";
}

/// <summary>Reseller webhooks against a real receiver on a loopback port, signatures checked with the StandardWebhooks package.</summary>
[Collection(ResellerWebhooksCollection.Name)]
public sealed class WebhookTests(ResellerWebhooksApp app) : IAsyncLifetime
{
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        app.Clock.Set(DateTimeOffset.UtcNow);
        _receiver = await WebhookReceiver.StartAsync();
    }

    public ValueTask DisposeAsync() => _receiver.DisposeAsync();

    private async Task<(Guid Id, string Secret)> RegisterAsync(TestReseller reseller, string mode, params string[] events)
    {
        var response = await reseller.Client(mode).PostAsJsonAsync($"{TestReseller.Base(mode)}/webhooks", new { url = _receiver.Url($"/{mode}"), events });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var data = await Api.DataAsync(response);
        Assert.Equal($"{TestReseller.Base(mode)}/webhooks/{data.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        return (data.GetProperty("id").GetGuid(), data.GetProperty("secret").GetString()!);
    }

    private async Task SetThresholdAsync(TestReseller reseller, string mode, long? cents)
    {
        var response = await reseller.Client(mode).PutAsJsonAsync($"{TestReseller.Base(mode)}/webhooks/settings", new { balance_low_threshold_cents = cents });
        Assert.Equal(cents, (await Api.DataAsync(response)).GetProperty("balance_low_threshold_cents").GetInt64());
    }

    [Fact]
    public async Task Given_an_endpoint_for_every_event_When_plans_are_bought_used_and_expire_Then_each_event_is_delivered_once_and_signed()
    {
        var reseller = await app.CreateFundedResellerAsync(100_000);
        var (_, secret) = await RegisterAsync(reseller, "live", "plan.created", "plan.expiring", "plan.expired", "plan.bandwidth_threshold", "balance.low");
        await SetThresholdAsync(reseller, "live", 99_999);

        var bandwidth = await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 1 });
        var hourly = await app.BuyAsync(reseller, new { product = "datacenter", billing_type = "time", duration = "1_hour", mbps = 10 });
        await app.ReportAcceptedAsync(app.Record(bandwidth, 850_000_000));
        await app.ReportAcceptedAsync(app.Record(bandwidth, 100_000_000));
        await app.ReportAcceptedAsync(app.Record(bandwidth, 200_000_000));
        await app.ReportAcceptedAsync(app.Record(bandwidth, 10_000_000));
        // Two runs at once (two instances): plan.expiring is written by one of them.
        var runs = await Task.WhenAll(app.RunPlanExpiryAsync(), app.RunPlanExpiryAsync());
        Assert.Equal(0, runs.Sum());
        Assert.Equal(0, await app.RunPlanExpiryAsync());

        Assert.Equal(6, await app.Factory.DeliverWebhooksAsync());
        var beforeExpiry = _receiver.Received.ToList();
        Assert.All(beforeExpiry, r => Assert.True(r.VerifiesWith(secret), $"{r.Type}: the signature does not verify"));

        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, (await Task.WhenAll(app.RunPlanExpiryAsync(), app.RunPlanExpiryAsync())).Sum());
        Assert.Equal(0, await app.RunPlanExpiryAsync());
        Assert.Equal(1, await app.Factory.DeliverWebhooksAsync());
        Assert.Equal(0, await app.Factory.DeliverWebhooksAsync());

        var received = _receiver.Received.ToList();
        Assert.Equal(
            ["balance.low", "plan.bandwidth_threshold", "plan.bandwidth_threshold", "plan.created", "plan.created", "plan.expired", "plan.expiring"],
            received.Select(r => r.Type).Order(StringComparer.Ordinal));
        Assert.All(received, r => Assert.True(r.SignatureMatches(secret), $"{r.Type}: the signature does not match"));
        Assert.Equal(7, received.Select(r => r.Id).Distinct().Count());

        Assert.Equal(new[] { bandwidth, hourly }.Order(), received.Where(r => r.Type == "plan.created").Select(r => r.Data.GetProperty("plan_id").GetGuid()).Order());
        Assert.Equal(hourly, received.Single(r => r.Type == "plan.expiring").Data.GetProperty("plan_id").GetGuid());
        var expired = received.Single(r => r.Type == "plan.expired").Data;
        Assert.Equal((hourly, "expired"), (expired.GetProperty("plan_id").GetGuid(), expired.GetProperty("status").GetString()));
        var thresholds = received.Where(r => r.Type == "plan.bandwidth_threshold").Select(r => r.Data).OrderBy(d => d.GetProperty("threshold_percent").GetInt32()).ToList();
        Assert.Equal([80, 100], thresholds.Select(t => t.GetProperty("threshold_percent").GetInt32()));
        Assert.All(thresholds, t => Assert.Equal(bandwidth, t.GetProperty("plan").GetProperty("plan_id").GetGuid()));
        Assert.Equal(850_000_000, thresholds[0].GetProperty("plan").GetProperty("limits").GetProperty("bytes_used").GetInt64());
        var low = received.Single(r => r.Type == "balance.low").Data;
        Assert.Equal(99_999, low.GetProperty("threshold_cents").GetInt64());
        Assert.True(low.GetProperty("balance").GetProperty("balance_cents").GetInt64() < 99_999);
        Assert.Equal(["type", "timestamp", "data"], received[0].Json.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Given_a_balance_that_falls_below_the_threshold_twice_Then_balance_low_is_sent_once_per_fall()
    {
        var reseller = await app.CreateFundedResellerAsync(10_000);
        await RegisterAsync(reseller, "live", "balance.low");
        await SetThresholdAsync(reseller, "live", 9_500);

        // Residential costs 300 cents a GB: 9 700 (above), 9 400 (below: sent), 29 400 after the top-up, 29 100, 8 100 (below again: sent).

        await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 1 });
        await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 1 });
        await app.TopUpAsync(reseller.Id, 20_000);
        await app.TopUpAsync(reseller.Id, 100, "test");
        await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 1 });
        var balance = await app.BalanceAsync(reseller.Id);
        Assert.Equal(29_100, balance);
        await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 70 });

        await app.Factory.DeliverWebhooksAsync();
        Assert.Equal(2, _receiver.Received.Count);
        Assert.All(_receiver.Received, r => Assert.Equal("balance.low", r.Type));
    }

    [Fact]
    public async Task Given_live_and_sandbox_endpoints_Then_each_gets_only_its_own_mode_and_neither_key_sees_the_other()
    {
        var reseller = await app.CreateFundedResellerAsync(100_000);
        var (live, _) = await RegisterAsync(reseller, "live", "plan.created");
        var (sandbox, sandboxSecret) = await RegisterAsync(reseller, "test", "plan.created");

        var sandboxPlan = await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 1 }, "test");
        await app.Factory.DeliverWebhooksAsync();

        var only = Assert.Single(_receiver.Received);
        Assert.Equal("/test", only.Path);
        Assert.True(only.VerifiesWith(sandboxSecret));
        Assert.Equal(sandboxPlan, only.Data.GetProperty("plan_id").GetGuid());
        Assert.Equal("test", only.Data.GetProperty("billing").GetProperty("mode").GetString());

        var liveList = await Api.DataAsync(await reseller.Live().GetAsync("/api/v1/webhooks"));
        Assert.Equal([live], liveList.GetProperty("endpoints").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()));
        await Api.ErrorAsync(await reseller.Live().GetAsync($"/api/v1/webhooks/{sandbox}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await Api.ErrorAsync(await reseller.Sandbox().DeleteAsync($"/sandbox/api/v1/webhooks/{live}"), HttpStatusCode.NotFound, "NOT_FOUND");
        var other = await app.CreateResellerAsync("Other");
        await Api.ErrorAsync(await other.Live().GetAsync($"/api/v1/webhooks/{live}"), HttpStatusCode.NotFound, "NOT_FOUND");

        var admin = await Api.DataAsync(await app.CreateAdminClient().GetAsync("/admin/resellers/webhooks"));
        var rows = admin.GetProperty("endpoints").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(reseller.Id, r.GetProperty("owner_id").GetGuid()));
        Assert.Equal(["live", "test"], rows.Select(r => r.GetProperty("mode").GetString()).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal(0, r.GetProperty("pending_deliveries").GetInt32()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/admin/resellers/webhooks")).StatusCode);
    }

    [Fact]
    public async Task Given_a_test_event_and_a_failing_receiver_Then_the_log_shows_the_attempts_and_a_redelivery_goes_out_with_the_same_id()
    {
        var reseller = await app.CreateResellerAsync();
        var (id, secret) = await RegisterAsync(reseller, "live", "plan.created");
        _receiver.Respond = _ => (500, TimeSpan.Zero);
        var test = await Api.DataAsync(await reseller.Live().PostAsync($"/api/v1/webhooks/{id}/test", null));
        Assert.Equal("webhook.test", test.GetProperty("event_type").GetString());

        await app.Factory.DeliverWebhooksAsync();
        _receiver.Respond = _ => (200, TimeSpan.Zero);
        var redeliver = await reseller.Live().PostAsync($"/api/v1/webhooks/{id}/deliveries/{test.GetProperty("id").GetGuid()}/redeliver", null);
        Assert.Equal(HttpStatusCode.Accepted, redeliver.StatusCode);
        await app.Factory.DeliverWebhooksAsync();

        Assert.Equal(2, _receiver.Received.Count);
        Assert.Single(_receiver.Received.Select(r => r.Id).Distinct());
        Assert.All(_receiver.Received, r => Assert.True(r.VerifiesWith(secret)));
        var log = await Api.DataAsync(await reseller.Live().GetAsync($"/api/v1/webhooks/{id}/deliveries?per_page=10"));
        var delivery = log.GetProperty("deliveries").EnumerateArray().Single();
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Equal([500, 200], delivery.GetProperty("attempt_log").EnumerateArray().Select(a => a.GetProperty("status_code").GetInt32()));
        Assert.Equal(1, log.GetProperty("pagination").GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task Given_bad_input_Then_the_answer_is_a_400_naming_the_field()
    {
        var reseller = await app.CreateResellerAsync();
        var unknown = await reseller.Live().PostAsJsonAsync("/api/v1/webhooks", new { url = "https://hooks.example.com/x", events = new[] { "plan.created", "plan.exploded" } });
        Assert.Contains("'plan.exploded'", await Api.ValidationErrorAsync(unknown, "events"), StringComparison.Ordinal);
        var metering = await reseller.Live().PostAsJsonAsync("/api/v1/webhooks", new { url = "https://hooks.example.com/x", events = new[] { "invoice.paid" } });
        Assert.Contains("'invoice.paid'", await Api.ValidationErrorAsync(metering, "events"), StringComparison.Ordinal);
        var noUrl = await reseller.Live().PostAsJsonAsync("/api/v1/webhooks", new { events = new[] { "plan.created" } });
        await Api.ValidationErrorAsync(noUrl, "url");
        var threshold = await reseller.Live().PutAsJsonAsync("/api/v1/webhooks/settings", new { balance_low_threshold_cents = -1 });
        await Api.ValidationErrorAsync(threshold, "balance_low_threshold_cents");
        var off = await reseller.Live().PutAsJsonAsync("/api/v1/webhooks/settings", new { balance_low_threshold_cents = (long?)null });
        Assert.Equal(JsonValueKind.Null, (await Api.DataAsync(off)).GetProperty("balance_low_threshold_cents").ValueKind);
    }
}
