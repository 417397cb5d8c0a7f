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
    public async Task Given_a_key_used_on_one_instance_Then_the_shared_count_is_written_once_per_claimed_block_and_the_header_counts_every_request()
    {
        var client = _reseller.Live();
        var quotas = new List<string>();
        var shared = new List<int>();
        for (var i = 0; i < 17; i++)
        {
            var response = await client.GetAsync("/api/v1/balance");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            quotas.Add(Assert.Single(response.Headers.GetValues("RateLimit")));
            shared.Add(await app.Database.ScalarAsync<int>(
                "SELECT w.count FROM reseller.key_rate_windows w JOIN reseller.reseller_keys k ON k.id = w.key_id WHERE k.reseller_id = @r AND k.mode = 'live'",
                ("r", _reseller.Id)));
        }

        Assert.Equal(Enumerable.Range(0, 17).Select(i => $"\"default\";r={99 - i};t=60"), quotas);
        // A block is at most 16 permits and a quarter of what the window has left: 16 of 100, then 16 of 84.
        Assert.Equal([.. Enumerable.Repeat(16, 16), 32], shared);
    }

    [Fact]
    public async Task Given_two_instances_serving_a_key_concurrently_Then_exactly_100_of_its_requests_in_a_minute_are_let_through()
    {
        await using var second = new FluxSuiteFactory(app.Database.ConnectionString, app.Clock);
        HttpClient[] clients = [_reseller.Live(), second.CreateBearerClient(_reseller.LiveKey)];
        var statuses = new List<HttpStatusCode>();
        for (var round = 0; round < 15; round++)
        {
            // Ten at once on each instance, under the 20 a key may have in flight.
            var responses = await Task.WhenAll(clients.SelectMany(c => Enumerable.Range(0, 10).Select(_ => c.GetAsync("/api/v1/balance"))));
            statuses.AddRange(responses.Select(r => r.StatusCode));
        }

        Assert.Equal(100, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(200, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(100, await app.Database.ScalarAsync<int>(
            "SELECT w.count FROM reseller.key_rate_windows w JOIN reseller.reseller_keys k ON k.id = w.key_id WHERE k.reseller_id = @r AND k.mode = 'live'",
            ("r", _reseller.Id)));
    }

    [Fact]
    public async Task Given_requests_that_read_the_clock_a_little_before_their_window_started_Then_they_count_in_that_window()
    {
        // Two instances, so that each reaches the shared row with its own clock read: the second's claims are behind the
        // window's start, as a request's can be when another request of its key read the clock later and claimed first.
        await using var second = new FluxSuiteFactory(app.Database.ConnectionString, app.Clock);
        var first = _reseller.Live();
        var other = second.CreateBearerClient(_reseller.LiveKey);
        var started = app.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/balance")).StatusCode);
        app.Clock.Set(started.AddSeconds(-1));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 100; i++)
        {
            statuses.Add((await other.GetAsync("/api/v1/balance")).StatusCode);
        }

        var last = await other.GetAsync("/api/v1/balance");

        // The first instance holds the 15 permits it claimed with its request and did not use.
        Assert.Equal(84, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal("\"default\";r=0;t=61", Assert.Single(last.Headers.GetValues("RateLimit")));
        Assert.Equal(100, await app.Database.ScalarAsync<int>(
            "SELECT w.count FROM reseller.key_rate_windows w JOIN reseller.reseller_keys k ON k.id = w.key_id WHERE k.reseller_id = @r AND k.mode = 'live'",
            ("r", _reseller.Id)));
    }

    [Fact]
    public async Task Given_20_requests_of_a_new_key_at_once_Then_each_is_let_through_and_the_instance_claims_two_blocks_for_them()
    {
        var client = _reseller.Live();

        // None holds a permit; the instance claims for the key one block at a time and the others wait for it, so the
        // 20 take two blocks of 16 instead of a claim each (which would hand this instance the whole window).
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetAsync("/api/v1/balance")));
        var next = await client.GetAsync("/api/v1/balance");

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("\"default\";r=79;t=60", Assert.Single(next.Headers.GetValues("RateLimit")));
        Assert.Equal(32, await app.Database.ScalarAsync<int>(
            "SELECT w.count FROM reseller.key_rate_windows w JOIN reseller.reseller_keys k ON k.id = w.key_id WHERE k.reseller_id = @r AND k.mode = 'live'",
            ("r", _reseller.Id)));
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
