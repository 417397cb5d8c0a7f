using System.Net;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

/// <summary><c>/servers/{planId}/…</c>: provisioning, IP rotation and its limits, restarts and what monitoring and stats show of them.</summary>
[Collection(ResellerCollection.Name)]
public sealed class ServerTests(ResellerApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;

    /// <summary>Every server endpoint: method and the path after <c>/servers/{planId}/</c>.</summary>
    public static TheoryData<string, string> Operations { get; } = new()
    {
        { "GET", "ip" }, { "POST", "rotate-ip" }, { "POST", "restart" }, { "GET", "monitoring" }, { "GET", "stats" },
    };

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _reseller = await app.CreateFundedResellerAsync(10_000_000);
        await app.SetDedicatedMobileStockAsync(nl: 5, uk: 5);
        await app.SetDedicatedMobileStockAsync(nl: 5, uk: 5, mode: "test");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("live", "unlimited_residential")]
    [InlineData("test", "unlimited_residential")]
    [InlineData("live", "dedicated_mobile")]
    [InlineData("test", "dedicated_mobile")]
    public async Task Given_a_new_server_plan_Then_ip_is_404_provisioning_until_ready_and_then_the_ip(string mode, string product)
    {
        var plan = await BuyServer(mode, product);

        var early = await Get(mode, $"/servers/{plan}/ip");
        var monitoringEarly = await Api.DataAsync(await Get(mode, $"/servers/{plan}/monitoring"));
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var ready = await Get(mode, $"/servers/{plan}/ip");

        var error = await Api.ErrorAsync(early, HttpStatusCode.NotFound, "SERVER_PROVISIONING");
        Assert.StartsWith("Server provisioning", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.InRange(int.Parse(early.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture), 30, 60);
        Assert.Equal(("provisioning", false), (monitoringEarly.GetProperty("status").GetString(), monitoringEarly.GetProperty("online").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, monitoringEarly.GetProperty("ip").ValueKind);
        var ip = await Api.DataAsync(ready);
        Assert.Matches(@"^\d+\.\d+\.\d+\.\d+$", ip.GetProperty("ip").GetString());
        Assert.Equal(("online", product), (ip.GetProperty("status").GetString(), ip.GetProperty("product").GetString()));
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_a_ready_dedicated_mobile_plan_When_rotated_Then_a_new_ip_is_live_10_to_30_seconds_later(string mode)
    {
        var plan = await ReadyServer(mode, "dedicated_mobile");
        var before = (await Api.DataAsync(await Get(mode, $"/servers/{plan}/ip"))).GetProperty("ip").GetString();

        var rotation = await Api.DataAsync(await Post(mode, $"/servers/{plan}/rotate-ip"));
        var during = await Api.DataAsync(await Get(mode, $"/servers/{plan}/ip"));
        var monitoring = await Api.DataAsync(await Get(mode, $"/servers/{plan}/monitoring"));
        app.Clock.Advance(TimeSpan.FromSeconds(rotation.GetProperty("ready_in_seconds").GetInt32()));
        var after = await Api.DataAsync(await Get(mode, $"/servers/{plan}/ip"));

        Assert.Equal(("rotating", before), (rotation.GetProperty("status").GetString(), rotation.GetProperty("current_ip").GetString()));
        Assert.InRange(rotation.GetProperty("ready_in_seconds").GetInt32(), 10, 30);
        Assert.Equal((before, "rotating"), (during.GetProperty("ip").GetString(), during.GetProperty("status").GetString()));
        Assert.Equal("rotating", monitoring.GetProperty("status").GetString());
        Assert.Equal(rotation.GetProperty("new_ip_ready_at").GetDateTime(), monitoring.GetProperty("rotation").GetProperty("ends_at").GetDateTime());
        Assert.NotEqual(before, after.GetProperty("ip").GetString());
        Assert.Equal("online", after.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_a_rotation_Then_another_is_400_too_frequent_until_the_interval_has_passed(string mode)
    {
        var plan = await ReadyServer(mode, "dedicated_mobile");
        await Api.DataAsync(await Post(mode, $"/servers/{plan}/rotate-ip"));

        var pending = await Post(mode, $"/servers/{plan}/rotate-ip");
        app.Clock.Advance(TimeSpan.FromSeconds(40));
        var soon = await Post(mode, $"/servers/{plan}/rotate-ip");
        app.Clock.Advance(TimeSpan.FromSeconds(20));
        var later = await Post(mode, $"/servers/{plan}/rotate-ip");

        await Api.ErrorAsync(pending, HttpStatusCode.BadRequest, "ROTATION_TOO_FREQUENT");
        var error = await Api.ErrorAsync(soon, HttpStatusCode.BadRequest, "ROTATION_TOO_FREQUENT");
        Assert.Contains("20 s", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("20", soon.Headers.RetryAfter!.ToString());
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(2, await app.Database.ScalarAsync<long>("SELECT count(*) FROM reseller.server_events WHERE plan_id = @p AND kind = 'rotation'", ("p", plan)));
    }

    [Fact]
    public async Task Given_concurrent_rotations_of_one_server_Then_exactly_one_is_accepted()
    {
        var plan = await ReadyServer("live", "dedicated_mobile");
        var keys = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => app.CreateAdminClient()
            .PostAsync($"/admin/resellers/{_reseller.Id}/keys", JsonHttp.RequestBody("""{"mode":"live"}"""))));
        var clients = await Task.WhenAll(keys.Select(async k => app.Factory.CreateBearerClient((await Api.DataAsync(k)).GetProperty("key").GetString()!)));

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => clients[i % 3].PostAsync($"/api/v1/servers/{plan}/rotate-ip", null)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(11, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("live", "unlimited_residential")]
    [InlineData("test", "dedicated_mobile")]
    public async Task Given_a_restart_Then_monitoring_shows_it_restarting_and_stats_count_its_downtime(string mode, string product)
    {
        var plan = await ReadyServer(mode, product);
        app.Clock.Advance(TimeSpan.FromMinutes(10));

        var restart = await Api.DataAsync(await Post(mode, $"/servers/{plan}/restart"));
        var downtime = restart.GetProperty("downtime_seconds").GetInt32();
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var during = await Api.DataAsync(await Get(mode, $"/servers/{plan}/monitoring"));
        var again = await Post(mode, $"/servers/{plan}/restart");
        var ipWhileDown = await Api.DataAsync(await Get(mode, $"/servers/{plan}/ip"));
        app.Clock.Advance(TimeSpan.FromSeconds(downtime - 30 + 60));
        var afterwards = await Api.DataAsync(await Get(mode, $"/servers/{plan}/monitoring"));
        var stats = await Api.DataAsync(await Get(mode, $"/servers/{plan}/stats"));

        Assert.InRange(downtime, 60, 180);
        Assert.Equal(("restarting", false), (during.GetProperty("status").GetString(), during.GetProperty("online").GetBoolean()));
        Assert.Equal(restart.GetProperty("back_online_at").GetDateTime(), during.GetProperty("restart").GetProperty("ends_at").GetDateTime());
        await Api.ErrorAsync(again, HttpStatusCode.BadRequest, "INVALID_OPERATION");
        Assert.Equal("restarting", ipWhileDown.GetProperty("status").GetString());
        Assert.Equal(("online", 60L), (afterwards.GetProperty("status").GetString(), afterwards.GetProperty("uptime_seconds").GetInt64()));
        Assert.Equal(JsonValueKind.Null, afterwards.GetProperty("restart").ValueKind);
        Assert.Equal((long)downtime, stats.GetProperty("downtime_seconds").GetInt64());
        Assert.Equal(1, stats.GetProperty("restarts").GetInt64());
        var span = stats.GetProperty("uptime_seconds").GetInt64() + downtime;
        Assert.Equal(Math.Round(100m * (span - downtime) / span, 3), stats.GetProperty("availability_percent").GetDecimal());
    }

    [Fact]
    public async Task Given_a_restarting_server_Then_rotation_is_400_and_a_provisioning_server_cannot_restart()
    {
        var ready = await ReadyServer("live", "dedicated_mobile");
        await Api.DataAsync(await Post("live", $"/servers/{ready}/restart"));
        var provisioning = await BuyServer("live", "dedicated_mobile");

        await Api.ErrorAsync(await Post("live", $"/servers/{ready}/rotate-ip"), HttpStatusCode.BadRequest, "INVALID_OPERATION");
        await Api.ErrorAsync(await Post("live", $"/servers/{provisioning}/restart"), HttpStatusCode.BadRequest, "INVALID_OPERATION");
        await Api.ErrorAsync(await Post("live", $"/servers/{provisioning}/rotate-ip"), HttpStatusCode.BadRequest, "INVALID_OPERATION");
    }

    [Fact]
    public async Task Given_an_unlimited_residential_plan_Then_rotate_ip_is_400_it_is_for_dedicated_mobile()
    {
        var plan = await ReadyServer("live", "unlimited_residential");

        var message = await Api.ValidationErrorAsync(await Post("live", $"/servers/{plan}/rotate-ip"), "plan_id");

        Assert.Contains("dedicated_mobile", message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Given_a_plan_of_another_product_Then_every_server_endpoint_is_400_live_and_sandbox(string method, string action)
    {
        foreach (var mode in new[] { "live", "test" })
        {
            var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1 }, mode);

            var response = await _reseller.Client(mode).SendAsync(new HttpRequestMessage(new HttpMethod(method), $"{TestReseller.Base(mode)}/servers/{plan}/{action}"));

            await Api.ValidationErrorAsync(response, "plan_id");
        }
    }

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Given_an_unknown_plan_or_one_of_the_other_mode_Then_every_server_endpoint_is_404(string method, string action)
    {
        var sandboxPlan = await BuyServer("test", "dedicated_mobile");
        var livePlan = await BuyServer("live", "dedicated_mobile");

        foreach (var (mode, plan) in new[] { ("live", Guid.NewGuid()), ("live", sandboxPlan), ("test", Guid.NewGuid()), ("test", livePlan) })
        {
            var response = await _reseller.Client(mode).SendAsync(new HttpRequestMessage(new HttpMethod(method), $"{TestReseller.Base(mode)}/servers/{plan}/{action}"));

            await Api.ErrorAsync(response, HttpStatusCode.NotFound, "NOT_FOUND");
        }
    }

    [Fact]
    public async Task Given_an_expired_server_plan_Then_ip_rotation_and_restart_are_400_and_monitoring_shows_it_expired()
    {
        var plan = await ReadyServer("live", "dedicated_mobile");
        app.Clock.Advance(TimeSpan.FromDays(8));

        await Api.ValidationErrorAsync(await Get("live", $"/servers/{plan}/ip"), "plan_id");
        await Api.ValidationErrorAsync(await Post("live", $"/servers/{plan}/rotate-ip"), "plan_id");
        await Api.ValidationErrorAsync(await Post("live", $"/servers/{plan}/restart"), "plan_id");
        var monitoring = await Api.DataAsync(await Get("live", $"/servers/{plan}/monitoring"));
        var stats = await Api.DataAsync(await Get("live", $"/servers/{plan}/stats"));
        Assert.Equal(("expired", false), (monitoring.GetProperty("status").GetString(), monitoring.GetProperty("online").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, monitoring.GetProperty("next_rotation_at").ValueKind);
        var expiresAt = (await Api.DataAsync(await Get("live", $"/plans/{plan}"))).GetProperty("expires_at").GetDateTime();
        Assert.Equal(expiresAt, stats.GetProperty("until").GetDateTime());
        Assert.Equal(100m, stats.GetProperty("availability_percent").GetDecimal());
    }

    [Fact]
    public async Task Given_a_plan_bought_before_servers_were_tracked_Then_its_server_is_described_once_by_the_provider_and_ready()
    {
        var plan = await BuyServer("live", "unlimited_residential");
        await app.Database.ScalarAsync<int>("DELETE FROM reseller.servers WHERE plan_id = @p RETURNING 1", ("p", plan));

        var ip = await Get("live", $"/servers/{plan}/ip");

        Assert.Equal(HttpStatusCode.OK, ip.StatusCode);
        Assert.Equal(1, await app.Database.ScalarAsync<long>("SELECT count(*) FROM reseller.servers WHERE plan_id = @p", ("p", plan)));
    }

    private async Task<Guid> BuyServer(string mode, string product) =>
        await app.BuyAsync(_reseller, product == "dedicated_mobile"
            ? new { product, duration = "7_days", location = "NL" }
            : (object)new { product, duration = "7_days", bandwidth_mbps = 200 }, mode);

    private async Task<Guid> ReadyServer(string mode, string product)
    {
        var plan = await BuyServer(mode, product);
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        return plan;
    }

    private Task<HttpResponseMessage> Get(string mode, string path) => _reseller.Client(mode).GetAsync(TestReseller.Base(mode) + path);

    private Task<HttpResponseMessage> Post(string mode, string path) => _reseller.Client(mode).PostAsync(TestReseller.Base(mode) + path, null);
}
