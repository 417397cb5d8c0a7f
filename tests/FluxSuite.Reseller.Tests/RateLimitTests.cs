using System.Net;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

[Collection(UpstreamCollection.Name)]
public sealed class RateLimitTests(UpstreamApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        app.Upstream.Reset();
        _reseller = await app.CreateResellerAsync();
    }

    public ValueTask DisposeAsync()
    {
        app.Upstream.ProxiesGate?.TrySetResult();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Given_100_requests_in_a_minute_Then_the_101st_is_429_with_Retry_After_and_the_next_minute_is_open_again()
    {
        var client = _reseller.Live();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 100; i++)
        {
            last = await client.GetAsync("/api/v1/balance");
            Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        }

        app.Clock.Advance(TimeSpan.FromSeconds(20));
        var limited = await client.GetAsync("/api/v1/balance");
        var sandbox = await _reseller.Sandbox().GetAsync("/sandbox/api/v1/balance");
        app.Clock.Advance(TimeSpan.FromSeconds(41));
        var open = await client.GetAsync("/api/v1/balance");

        Assert.Equal("\"default\";q=100;w=60", Assert.Single(last.Headers.GetValues("RateLimit-Policy")));
        Assert.Equal("\"default\";r=0;t=60", Assert.Single(last.Headers.GetValues("RateLimit")));
        await Api.ErrorAsync(limited, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.Equal("40", Assert.Single(limited.Headers.GetValues("Retry-After")));
        Assert.Equal("\"default\";q=100;w=60", Assert.Single(limited.Headers.GetValues("RateLimit-Policy")));
        Assert.Equal("\"default\";r=0;t=40", Assert.Single(limited.Headers.GetValues("RateLimit")));
        Assert.Equal(HttpStatusCode.OK, sandbox.StatusCode);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal("\"default\";r=99;t=60", Assert.Single(open.Headers.GetValues("RateLimit")));
    }

    [Fact]
    public async Task Given_the_window_table_Then_it_is_unlogged_so_counting_a_request_writes_no_WAL()
    {
        var persistence = await app.Database.ScalarAsync<char>("SELECT relpersistence FROM pg_class WHERE oid = 'reseller.key_rate_windows'::regclass");

        Assert.Equal('u', persistence);
    }

    [Fact]
    public async Task Given_two_instances_on_one_database_Then_a_key_has_100_requests_a_minute_across_both()
    {
        await using var second = new FluxSuiteFactory(app.Database.ConnectionString, app.Clock);
        var first = _reseller.Live();
        var other = second.CreateBearerClient(_reseller.LiveKey);
        for (var i = 0; i < 50; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/balance")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/balance")).StatusCode);
        }

        var refusedByFirst = await first.GetAsync("/api/v1/balance");
        var refusedByOther = await other.GetAsync("/api/v1/balance");
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var open = await other.GetAsync("/api/v1/balance");

        await Api.ErrorAsync(refusedByFirst, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        await Api.ErrorAsync(refusedByOther, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.Equal("\"default\";r=0;t=60", Assert.Single(refusedByOther.Headers.GetValues("RateLimit")));
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
        Assert.Equal("\"default\";r=99;t=60", Assert.Single(open.Headers.GetValues("RateLimit")));
    }

    [Fact]
    public async Task Given_20_requests_of_one_key_in_flight_Then_a_21st_is_429_while_another_key_is_served()
    {
        await app.TopUpAsync(_reseller.Id, 10_000);
        await app.SetPoolAsync("ISP_US_SNEAKERS", 10);
        var client = _reseller.Live();
        var plan = (await Api.DataAsync(await client.PostJsonAsync("/api/v1/plans", new { product = "dedicated_isp", quantity = 1, pool = "ISP_US_SNEAKERS" })))
            .GetProperty("plan_id").GetGuid();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        app.Upstream.ProxiesGate = gate;
        var held = Enumerable.Range(0, 20).Select(_ => client.GetAsync($"/api/v1/plans/{plan}/proxies")).ToList();
        Assert.True(await Testing.Eventually.WaitUntilAsync(() => Task.FromResult(app.Upstream.ProxyCalls == 20), TimeSpan.FromSeconds(20)));

        var refused = await client.GetAsync("/api/v1/balance");
        var otherKey = await _reseller.Sandbox().GetAsync("/sandbox/api/v1/balance");
        gate.SetResult();
        var completed = await Task.WhenAll(held);
        var afterwards = await client.GetAsync("/api/v1/balance");

        await Api.ErrorAsync(refused, HttpStatusCode.TooManyRequests, "RATE_LIMITED");
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.OK, otherKey.StatusCode);
        Assert.All(completed, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
    }
}
