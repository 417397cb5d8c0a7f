using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluxSuite.Reseller.Data;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

/// <summary>
/// One host and database for the reseller tests, which reset the reseller schema before each test. The
/// plan expiry job is registered but fires only when a test triggers it, so that each test decides when
/// plans expire (the test clock moves by days; Hangfire's schedule runs on real minutes).
/// </summary>
public class ResellerApp : FluxSuiteApp
{
    protected override void Configure(FluxSuiteFactory factory) =>
        factory.WithSetting($"Scheduler:Jobs:{Jobs.PlanExpiryJob.Id}", "never");

    public async Task ResetAsync() => await Database.TruncateAsync(ResellerDbContext.Schema);

    /// <summary>
    /// A second host on this app's database and clock, configured as this one, whose <c>ConnectionStrings:Default</c> goes
    /// through a transaction-mode pooler (<c>ConnectionStrings:Direct</c> is set): its pool prepares no statement. The caller
    /// disposes it.
    /// </summary>
    public FluxSuiteFactory CreateHostBehindPooler() => CreateHostWith("ConnectionStrings:Direct", Database.ConnectionString);

    /// <summary>A second host on this app's database and clock, configured as this one and with <paramref name="key"/> set. The caller disposes it.</summary>
    public FluxSuiteFactory CreateHostWith(string key, string value)
    {
        var factory = new FluxSuiteFactory(Database.ConnectionString, Clock).WithSetting(key, value);
        Configure(factory);
        return factory;
    }

    /// <summary>Creates a reseller through the operator API; its keys are shown this once.</summary>
    public async Task<TestReseller> CreateResellerAsync(string name = "Acme Proxies")
    {
        var response = await CreateAdminClient().PostAsJsonAsync("/admin/resellers", new { name, email = "ops@acme.example" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var data = await Api.DataAsync(response);
        return new TestReseller(this, data.GetProperty("id").GetGuid(), data.GetProperty("live_key").GetString()!, data.GetProperty("test_key").GetString()!);
    }

    /// <summary>A reseller with <paramref name="cents"/> on its live balance and as much in the sandbox.</summary>
    public async Task<TestReseller> CreateFundedResellerAsync(long cents)
    {
        var reseller = await CreateResellerAsync();
        await TopUpAsync(reseller.Id, cents);
        await TopUpAsync(reseller.Id, cents, "test");
        return reseller;
    }

    public async Task TopUpAsync(Guid reseller, long cents, string mode = "live")
    {
        var response = await CreateAdminClient().PostAsJsonAsync($"/admin/resellers/{reseller}/topups", new { amount_cents = cents, mode, note = "test top-up" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    public async Task SetPoolAsync(string pool, int stock, string provider = "ISP", string country = "US", string mode = "live")
    {
        var response = await CreateAdminClient().PutAsJsonAsync($"/admin/pools/{pool}?mode={mode}",
            new { title = $"{pool} pool", provider, country, stock });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task SetDedicatedMobileStockAsync(int nl, int uk, string mode = "live")
    {
        var response = await CreateAdminClient().PutAsJsonAsync($"/admin/stock/dedicated-mobile?mode={mode}", new Dictionary<string, int> { ["NL"] = nl, ["UK"] = uk });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Buys a plan through the API and returns its id.</summary>
    public async Task<Guid> BuyAsync(TestReseller reseller, object order, string mode = "live")
    {
        var response = await reseller.Client(mode).PostJsonAsync($"{TestReseller.Base(mode)}/plans", order);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Api.DataAsync(response)).GetProperty("plan_id").GetGuid();
    }

    /// <summary>Reports traffic as a gateway does: <c>POST /admin/usage</c>.</summary>
    public Task<HttpResponseMessage> ReportAsync(params object[] records) =>
        CreateAdminClient().PostAsJsonAsync("/admin/usage", new { records });

    /// <summary>Reports traffic and returns the 202's data.</summary>
    public async Task<JsonElement> ReportAcceptedAsync(params object[] records)
    {
        var response = await ReportAsync(records);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return await Api.DataAsync(response);
    }

    /// <summary>A record at the current test time (or <paramref name="ago"/> before it).</summary>
    public object Record(Guid plan, long bytes, string? id = null, TimeSpan? ago = null) =>
        new { plan_id = plan, bytes, at = Clock.GetUtcNow() - (ago ?? TimeSpan.Zero), id };

    public Task<long> LedgerSumAsync(Guid reseller, string mode = "live") =>
        ScalarAsync<long>("SELECT coalesce(sum(amount_cents), 0)::bigint FROM reseller.ledger_entries WHERE reseller_id = @r AND mode = @m", reseller, mode);

    public Task<long> BalanceAsync(Guid reseller, string mode = "live") =>
        ScalarAsync<long>("SELECT balance_cents FROM reseller.balances WHERE reseller_id = @r AND mode = @m", reseller, mode);

    public Task<long> CountAsync(string sql, Guid reseller, string mode = "live") => ScalarAsync<long>(sql, reseller, mode);

    private async Task<T> ScalarAsync<T>(string sql, Guid reseller, string mode) =>
        (await Database.ScalarAsync<T>(sql, ("r", reseller), ("m", mode)))!;
}

[CollectionDefinition(Name)]
public sealed class ResellerCollection : ICollectionFixture<ResellerApp>
{
    public const string Name = "reseller";
}

/// <summary>The unit the tests write traffic in: a gigabyte as the reference counts it, 10^9 bytes.</summary>
internal static class Traffic
{
    public const long Gb = 1_000_000_000;
}

public sealed record TestReseller(ResellerApp App, Guid Id, string LiveKey, string TestKey)
{
    public HttpClient Live() => App.Factory.CreateBearerClient(LiveKey);

    public HttpClient Sandbox() => App.Factory.CreateBearerClient(TestKey);

    public HttpClient Client(string mode) => mode == "live" ? Live() : Sandbox();

    public static string Base(string mode) => mode == "live" ? "/api/v1" : "/sandbox/api/v1";
}

internal static class Api
{

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("X-Idempotency-Key", idempotencyKey);
        }

        return client.SendAsync(request);
    }

    /// <summary>The <c>data</c> of a success envelope (asserting the envelope).</summary>
    public static async Task<JsonElement> DataAsync(HttpResponseMessage response)
    {
        var body = await JsonHttp.ReadBodyAsync(response);
        Assert.True(body.GetProperty("success").GetBoolean(), body.ToString());
        return body.GetProperty("data");
    }

    /// <summary>Asserts an error envelope with the status and code; returns its <c>error</c>.</summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        using var document = JsonDocument.Parse(text);
        var body = document.RootElement.Clone();
        Assert.False(body.GetProperty("success").GetBoolean());
        var error = body.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        return error;
    }

    /// <summary>Asserts a 400 VALIDATION_ERROR naming <paramref name="field"/> in its details.</summary>
    public static async Task<string> ValidationErrorAsync(HttpResponseMessage response, string field)
    {
        var error = await ErrorAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.True(error.TryGetProperty("details", out var details) && details.TryGetProperty(field, out _),
            $"expected details naming '{field}': {error}");
        return error.GetProperty("message").GetString()!;
    }
}
