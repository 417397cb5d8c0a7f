using System.Net;
using FluxSuite.Reseller.Jobs;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Reseller.Tests;

[Collection(UpstreamCollection.Name)]
public sealed class IdempotencyTests(UpstreamApp app) : IAsyncLifetime
{
    private const string PlansCount = "SELECT count(*) FROM reseller.plans WHERE reseller_id = @r AND mode = @m";
    private const string ChargesCount = "SELECT count(*) FROM reseller.ledger_entries WHERE reseller_id = @r AND mode = @m AND amount_cents < 0";
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        app.Upstream.Reset();
        _reseller = await app.CreateResellerAsync();
        await app.TopUpAsync(_reseller.Id, 100_000);
    }

    public ValueTask DisposeAsync()
    {
        app.Upstream.ProvisionGate?.TrySetResult();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Given_a_retry_with_the_same_key_and_body_Then_the_first_response_comes_back_and_nothing_is_charged_again()
    {
        var body = new { product = "residential", bandwidth_gb = 2 };

        var first = await _reseller.Live().PostJsonAsync("/api/v1/plans", body, "order-1");
        var retry = await _reseller.Live().PostJsonAsync("/api/v1/plans", body, "order-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal("true", Assert.Single(retry.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal(1, await app.CountAsync(PlansCount, _reseller.Id));
        Assert.Equal(100_000 - 600, await app.BalanceAsync(_reseller.Id));
    }

    [Fact]
    public async Task Given_the_same_value_sent_as_a_string_Then_it_is_the_same_request()
    {
        var first = await _reseller.Live().SendAsync(IdempotentPlanPost("""{"product":"residential","bandwidth_gb":2}""", "k-2"));
        var retry = await _reseller.Live().SendAsync(IdempotentPlanPost("""{ "bandwidth_gb": "2", "product": "residential" }""", "k-2"));

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(1, await app.CountAsync(PlansCount, _reseller.Id));
    }

    [Fact]
    public async Task Given_the_same_key_with_another_body_Then_422()
    {
        await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 2 }, "order-2");

        var response = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 3 }, "order-2");

        await Api.ErrorAsync(response, HttpStatusCode.UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED");
        Assert.Equal(1, await app.CountAsync(PlansCount, _reseller.Id));
    }

    [Fact]
    public async Task Given_a_retry_while_the_first_request_still_runs_Then_409_and_the_first_completes()
    {
        app.Upstream.ProvisionGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = new { product = "residential", bandwidth_gb = 1 };
        var first = _reseller.Live().PostJsonAsync("/api/v1/plans", body, "order-3");
        Assert.True(await Testing.Eventually.WaitUntilAsync(() => Task.FromResult(app.Upstream.ProvisionCalls == 1), TimeSpan.FromSeconds(10)));

        var retry = await _reseller.Live().PostJsonAsync("/api/v1/plans", body, "order-3");
        app.Upstream.ProvisionGate.SetResult();

        await Api.ErrorAsync(retry, HttpStatusCode.Conflict, "IDEMPOTENCY_CONFLICT");
        Assert.Equal(HttpStatusCode.Created, (await first).StatusCode);
        Assert.Equal(1, await app.CountAsync(PlansCount, _reseller.Id));
    }

    [Fact]
    public async Task Given_a_request_that_failed_Then_its_key_may_be_used_again_once_the_problem_is_fixed()
    {
        var body = new { product = "residential", bandwidth_gb = 1000 };

        var refused = await _reseller.Live().PostJsonAsync("/api/v1/plans", body, "order-4");
        await app.TopUpAsync(_reseller.Id, 300_000);
        var retried = await _reseller.Live().PostJsonAsync("/api/v1/plans", body, "order-4");

        await Api.ErrorAsync(refused, HttpStatusCode.PaymentRequired, "INSUFFICIENT_BALANCE");
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
    }

    [Fact]
    public async Task Given_a_key_older_than_24_hours_Then_it_starts_a_new_request()
    {
        var body = new { product = "residential", bandwidth_gb = 1 };
        await _reseller.Live().PostJsonAsync("/api/v1/plans", body, "order-5");
        app.Clock.Advance(TimeSpan.FromHours(23));
        var within = await _reseller.Live().PostJsonAsync("/api/v1/plans", body, "order-5");
        app.Clock.Advance(TimeSpan.FromHours(2));

        var after = await _reseller.Live().PostJsonAsync("/api/v1/plans", body, "order-5");

        Assert.True(within.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        Assert.False(after.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await app.CountAsync(PlansCount, _reseller.Id));
    }

    [Fact]
    public async Task Given_the_same_key_sent_20_times_at_once_Then_it_charges_once()
    {
        var body = new { product = "residential", bandwidth_gb = 1 };
        var client = _reseller.Live();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.PostJsonAsync("/api/v1/plans", body, "burst-key")));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        var planIds = new HashSet<Guid>();
        foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
        {
            planIds.Add((await Api.DataAsync(response)).GetProperty("plan_id").GetGuid());
        }

        Assert.Single(planIds);
        Assert.Equal(1, await app.CountAsync(PlansCount, _reseller.Id));
        Assert.Equal(1, await app.CountAsync(ChargesCount, _reseller.Id));
        Assert.Equal(100_000 - 300, await app.BalanceAsync(_reseller.Id));
    }

    [Fact]
    public async Task Given_extend_and_upgrade_retried_with_their_keys_Then_each_is_charged_once()
    {
        var plan = (await Api.DataAsync(await _reseller.Live().PostJsonAsync("/api/v1/plans",
            new { product = "unlimited_residential", duration = "1_day", bandwidth_mbps = 200 }))).GetProperty("plan_id").GetGuid();

        var extend1 = await _reseller.Live().PostJsonAsync($"/api/v1/plans/{plan}/extend", new { add_days = 1 }, "extend-1");
        var extend2 = await _reseller.Live().PostJsonAsync($"/api/v1/plans/{plan}/extend", new { add_days = 1 }, "extend-1");
        var upgrade1 = await _reseller.Live().PostJsonAsync($"/api/v1/plans/{plan}/upgrade", new { bandwidth_mbps = 300 }, "upgrade-1");
        var upgrade2 = await _reseller.Live().PostJsonAsync($"/api/v1/plans/{plan}/upgrade", new { bandwidth_mbps = 300 }, "upgrade-1");

        Assert.Equal(HttpStatusCode.OK, extend1.StatusCode);
        Assert.Equal(await extend1.Content.ReadAsStringAsync(), await extend2.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, upgrade2.StatusCode);
        Assert.Equal(await upgrade1.Content.ReadAsStringAsync(), await upgrade2.Content.ReadAsStringAsync());
        Assert.Equal(3, await app.CountAsync(ChargesCount, _reseller.Id));
    }

    [Fact]
    public async Task Given_the_same_key_in_live_and_sandbox_Then_they_are_separate_requests()
    {
        await app.TopUpAsync(_reseller.Id, 10_000, "test");
        var body = new { product = "residential", bandwidth_gb = 1 };

        var live = await _reseller.Live().PostJsonAsync("/api/v1/plans", body, "shared-key");
        var sandbox = await _reseller.Sandbox().PostJsonAsync("/sandbox/api/v1/plans", body, "shared-key");

        Assert.False(sandbox.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual((await Api.DataAsync(live)).GetProperty("plan_id").GetGuid(), (await Api.DataAsync(sandbox)).GetProperty("plan_id").GetGuid());
    }

    [Fact]
    public async Task Given_an_unusable_key_Then_400_naming_the_header()
    {
        var response = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 }, new string('k', 256));

        await Api.ValidationErrorAsync(response, "X-Idempotency-Key");
    }

    [Fact]
    public async Task Given_keys_past_their_lifetime_Then_the_purge_job_deletes_them_and_keeps_the_rest()
    {
        await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 }, "old");
        app.Clock.Advance(TimeSpan.FromHours(25));
        await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1 }, "new");

        await app.Factory.RunRecurringJobAsync(IdempotencyKeyPurgeJob.Id);

        Assert.Equal(["new"], await Keys());
    }

    private async Task<List<string>> Keys()
    {
        var keys = await app.Database.ScalarAsync<string[]>("SELECT array_agg(key ORDER BY key) FROM reseller.idempotency_keys");
        return [.. keys ?? []];
    }

    private static HttpRequestMessage IdempotentPlanPost(string body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/plans") { Content = JsonHttp.RequestBody(body) };
        request.Headers.Add("X-Idempotency-Key", key);
        return request;
    }
}
