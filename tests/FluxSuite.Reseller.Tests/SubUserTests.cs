using System.Net;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

/// <summary><c>/sub-users</c>: create, read, list, change; plans bought for a sub-user; suspension and traffic limits.</summary>
[Collection(ResellerCollection.Name)]
public sealed class SubUserTests(ResellerApp app) : IAsyncLifetime
{
    private static readonly string[] Modes = ["live", "test"];
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _reseller = await app.CreateFundedResellerAsync(1_000_000);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_a_new_sub_user_Then_201_with_its_location_and_GET_returns_it(string mode)
    {
        var created = await _reseller.Client(mode).PostJsonAsync($"{TestReseller.Base(mode)}/sub-users",
            new { name = "  Jane Doe ", traffic_limit_gb = "2.5", end_user_reference = "crm-77" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Api.DataAsync(created);
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"{TestReseller.Base(mode)}/sub-users/{id}", created.Headers.Location!.ToString());
        var fetched = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/sub-users/{id}"));
        Assert.Equal(
            ["bytes_remaining", "bytes_used", "created_at", "end_user_reference", "gb_used", "id", "name", "plans", "status", "traffic_limit_bytes", "traffic_limit_gb", "updated_at"],
            fetched.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(("Jane Doe", "active", "crm-77"), (fetched.GetProperty("name").GetString(), fetched.GetProperty("status").GetString(), fetched.GetProperty("end_user_reference").GetString()));
        Assert.Equal((2.5m, 2_500_000_000L, 2_500_000_000L), (fetched.GetProperty("traffic_limit_gb").GetDecimal(),
            fetched.GetProperty("traffic_limit_bytes").GetInt64(), fetched.GetProperty("bytes_remaining").GetInt64()));
    }

    [Theory]
    [InlineData("""{}""", "name")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"name":"x","status":"deleted"}""", "status")]
    [InlineData("""{"name":"x","traffic_limit_gb":0}""", "traffic_limit_gb")]
    [InlineData("""{"name":"x","traffic_limit_gb":1.0005}""", "traffic_limit_gb")]
    [InlineData("""{"name":"x","traffic_limit_gb":"much"}""", "traffic_limit_gb")]
    [InlineData("""{"name":"x","email":"x@example.com"}""", "email")]
    public async Task Given_a_bad_sub_user_Then_400_naming_the_field(string body, string field)
    {
        foreach (var mode in Modes)
        {
            await Api.ValidationErrorAsync(await _reseller.Client(mode).PostAsync($"{TestReseller.Base(mode)}/sub-users", JsonHttp.RequestBody(body)), field);
        }

        Assert.Equal(0, await app.Database.ScalarAsync<long>("SELECT count(*) FROM reseller.sub_users"));
    }

    [Theory]
    [InlineData("live", "test")]
    [InlineData("test", "live")]
    public async Task Given_sub_users_Then_the_list_pages_newest_first_and_filters_by_status(string mode, string otherMode)
    {
        var ids = new List<Guid>();
        foreach (var (name, status) in new[] { ("A", "active"), ("B", "suspended"), ("C", "active") })
        {
            ids.Add(await CreateAsync(mode, new { name, status }));
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        await CreateAsync(otherMode, new { name = "Other mode only" });
        var client = _reseller.Client(mode);
        var path = $"{TestReseller.Base(mode)}/sub-users";

        var page1 = await Api.DataAsync(await client.GetAsync($"{path}?page=1&per_page=2&status=all"));
        var page2 = await Api.DataAsync(await client.GetAsync($"{path}?page=2&per_page=2"));
        var suspended = await Api.DataAsync(await client.GetAsync($"{path}?status=suspended"));
        var active = await Api.DataAsync(await client.GetAsync($"{path}?status=active"));

        Assert.Equal([ids[2], ids[1]], Ids(page1));
        Assert.Equal([ids[0]], Ids(page2));
        Assert.Equal((3L, 2), (page1.GetProperty("pagination").GetProperty("total").GetInt64(), page1.GetProperty("pagination").GetProperty("total_pages").GetInt32()));
        Assert.Equal([ids[1]], Ids(suspended));
        Assert.Equal([ids[2], ids[0]], Ids(active));
        await Api.ValidationErrorAsync(await client.GetAsync($"{path}?status=deleted"), "status");
        await Api.ValidationErrorAsync(await client.GetAsync($"{path}?per_page=101"), "per_page");
        await Api.ValidationErrorAsync(await client.GetAsync($"{path}?page=0"), "page");
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_a_sub_user_When_patched_Then_only_the_fields_sent_change_and_null_clears(string mode)
    {
        var id = await CreateAsync(mode, new { name = "Jane", traffic_limit_gb = 5, end_user_reference = "crm-1" });

        var renamed = await Patch(id, """{"name":"Jane Roe"}""", mode);
        var limited = await Patch(id, """{"traffic_limit_gb":"7.25","status":"suspended"}""", mode);
        var cleared = await Patch(id, """{"traffic_limit_gb":null,"end_user_reference":null,"status":"active"}""", mode);

        Assert.Equal(("Jane Roe", 5m, "crm-1"), (renamed.GetProperty("name").GetString(), renamed.GetProperty("traffic_limit_gb").GetDecimal(),
            renamed.GetProperty("end_user_reference").GetString()));
        Assert.Equal((7.25m, "suspended"), (limited.GetProperty("traffic_limit_gb").GetDecimal(), limited.GetProperty("status").GetString()));
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null, "active", "Jane Roe"), (cleared.GetProperty("traffic_limit_gb").ValueKind,
            cleared.GetProperty("end_user_reference").ValueKind, cleared.GetProperty("status").GetString(), cleared.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("bytes_remaining").ValueKind);
    }

    [Theory]
    [InlineData("""{"nickname":"J"}""", "nickname")]
    [InlineData("""{"status":"deleted"}""", "status")]
    [InlineData("""{"status":null}""", "status")]
    [InlineData("""{"name":null}""", "name")]
    [InlineData("""{"traffic_limit_gb":-1}""", "traffic_limit_gb")]
    [InlineData("""{"traffic_limit_gb":true}""", "traffic_limit_gb")]
    [InlineData("""{"end_user_reference":42}""", "end_user_reference")]
    public async Task Given_a_bad_patch_Then_400_naming_the_field_and_nothing_changes(string body, string field)
    {
        foreach (var mode in Modes)
        {
            var id = await CreateAsync(mode, new { name = "Jane", traffic_limit_gb = 5 });

            await Api.ValidationErrorAsync(await _reseller.Client(mode).PatchAsync($"{TestReseller.Base(mode)}/sub-users/{id}", JsonHttp.RequestBody(body)), field);

            var unchanged = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/sub-users/{id}"));
            Assert.Equal(("Jane", "active", 5m), (unchanged.GetProperty("name").GetString(), unchanged.GetProperty("status").GetString(), unchanged.GetProperty("traffic_limit_gb").GetDecimal()));
        }
    }

    [Fact]
    public async Task Given_an_id_that_is_not_a_uuid_another_resellers_or_the_other_modes_Then_404()
    {
        var other = await app.CreateResellerAsync("Other");
        var theirs = await Api.DataAsync(await other.Live().PostJsonAsync("/api/v1/sub-users", new { name = "Theirs" }));
        var sandbox = await CreateAsync("test", new { name = "Sandbox" });
        var live = await CreateAsync("live", new { name = "Live" });

        foreach (var (mode, id) in new[] { ("live", "{id}"), ("live", "not-a-uuid"), ("live", theirs.GetProperty("id").GetString()!), ("live", sandbox.ToString()),
                     ("test", "not-a-uuid"), ("test", Guid.NewGuid().ToString()), ("test", live.ToString()) })
        {
            var path = $"{TestReseller.Base(mode)}/sub-users/{id}";
            await Api.ErrorAsync(await _reseller.Client(mode).GetAsync(path), HttpStatusCode.NotFound, "NOT_FOUND");
            await Api.ErrorAsync(await _reseller.Client(mode).PatchAsync(path, JsonHttp.RequestBody("""{"name":"x"}""")), HttpStatusCode.NotFound, "NOT_FOUND");
        }

        Assert.Equal("Sandbox", (await Api.DataAsync(await _reseller.Sandbox().GetAsync($"/sandbox/api/v1/sub-users/{sandbox}"))).GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_plans_bought_for_a_sub_user_Then_they_carry_its_id_and_GET_plans_filters_by_it(string mode)
    {
        var jane = await CreateAsync(mode, new { name = "Jane" });
        var john = await CreateAsync(mode, new { name = "John" });
        var forJane = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1, sub_user_id = jane }, mode);
        await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1, sub_user_id = john }, mode);
        await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1 }, mode);

        var janes = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/plans?sub_user_id={jane}&status=active"));
        var sub = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/sub-users/{jane}"));

        Assert.Equal([forJane], janes.GetProperty("plans").EnumerateArray().Select(p => p.GetProperty("plan_id").GetGuid()));
        Assert.Equal(jane, janes.GetProperty("plans")[0].GetProperty("sub_user_id").GetGuid());
        Assert.Equal(1, sub.GetProperty("plans").GetInt32());
        await Api.ValidationErrorAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/plans?sub_user_id=jane"), "sub_user_id");
    }

    [Fact]
    public async Task Given_a_suspended_or_unknown_sub_user_Then_a_plan_for_it_is_400_and_nothing_is_charged()
    {
        var suspended = await CreateAsync("live", new { name = "Jane", status = "suspended" });
        var sandboxOnly = await CreateAsync("test", new { name = "Sandbox" });

        foreach (var subUser in new[] { suspended, sandboxOnly, Guid.NewGuid() })
        {
            var response = await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 1, sub_user_id = subUser });
            await Api.ValidationErrorAsync(response, "sub_user_id");
        }

        Assert.Equal(1_000_000, await app.BalanceAsync(_reseller.Id));
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_a_suspended_sub_user_Then_its_plans_accept_no_traffic_until_it_is_reactivated(string mode)
    {
        var jane = await CreateAsync(mode, new { name = "Jane" });
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1, sub_user_id = jane }, mode);
        var unrelated = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1 }, mode);
        await Patch(jane, """{"status":"suspended"}""", mode);

        var whileSuspended = await app.ReportAcceptedAsync(app.Record(plan, 1000), app.Record(unrelated, 1000));
        await Patch(jane, """{"status":"active"}""", mode);
        var afterwards = await app.ReportAcceptedAsync(app.Record(plan, 500));

        Assert.Equal(1000, whileSuspended.GetProperty("bytes_accepted").GetInt64());
        var overage = Assert.Single(whileSuspended.GetProperty("overage").EnumerateArray());
        Assert.Equal((plan, "sub_user_suspended"), (overage.GetProperty("plan_id").GetGuid(), overage.GetProperty("reason").GetString()));
        var stopped = Assert.Single(whileSuspended.GetProperty("stopped_plans").EnumerateArray());
        Assert.Equal((plan, "sub_user_suspended"), (stopped.GetProperty("plan_id").GetGuid(), stopped.GetProperty("reason").GetString()));
        Assert.Equal(500, afterwards.GetProperty("bytes_accepted").GetInt64());
        var limits = (await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/plans/{plan}"))).GetProperty("limits");
        Assert.Equal((500L, 1000L), (limits.GetProperty("bytes_used").GetInt64(), limits.GetProperty("overage_bytes").GetInt64()));
    }

    [Fact]
    public async Task Given_a_traffic_limit_Then_all_plans_of_the_sub_user_together_stop_at_it()
    {
        var jane = await CreateAsync("live", new { name = "Jane", traffic_limit_gb = 1.5 });
        var first = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 10, sub_user_id = jane });
        var second = await app.BuyAsync(_reseller, new { product = "unlimited_residential", duration = "1_day", bandwidth_mbps = 200, sub_user_id = jane });

        var result = await app.ReportAcceptedAsync(app.Record(first, Gb, ago: TimeSpan.FromMinutes(1)), app.Record(second, Gb));

        Assert.Equal(1_500_000_000, result.GetProperty("bytes_accepted").GetInt64());
        Assert.Equal("sub_user_limit", Assert.Single(result.GetProperty("overage").EnumerateArray()).GetProperty("reason").GetString());
        Assert.Equal(2, result.GetProperty("stopped_plans").GetArrayLength());
        var sub = await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/sub-users/{jane}"));
        Assert.Equal((1_500_000_000L, 0L, 2), (sub.GetProperty("bytes_used").GetInt64(), sub.GetProperty("bytes_remaining").GetInt64(), sub.GetProperty("plans").GetInt32()));

        var raised = await Patch(jane, """{"traffic_limit_gb":3}""");
        var more = await app.ReportAcceptedAsync(app.Record(second, 200));
        Assert.Equal(1_500_000_000, raised.GetProperty("bytes_remaining").GetInt64());
        Assert.Equal(200, more.GetProperty("bytes_accepted").GetInt64());
    }

    private async Task<Guid> CreateAsync(string mode, object body)
    {
        var response = await _reseller.Client(mode).PostJsonAsync($"{TestReseller.Base(mode)}/sub-users", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Api.DataAsync(response)).GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> Patch(Guid id, string body, string mode = "live")
    {
        var response = await _reseller.Client(mode).PatchAsync($"{TestReseller.Base(mode)}/sub-users/{id}", JsonHttp.RequestBody(body));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Api.DataAsync(response);
    }

    private static List<Guid> Ids(JsonElement list) => [.. list.GetProperty("sub_users").EnumerateArray().Select(s => s.GetProperty("id").GetGuid())];
}
