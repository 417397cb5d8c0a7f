using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluxSuite.Testing;
using Microsoft.AspNetCore.Http;
using FluxSuite.Listings.Jobs;
using Hangfire;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Listings.Tests;

/// <summary>Pull sync against a real HTTP server on loopback (the test factory allows private networks).</summary>
[Collection(ListingsCollection.Name)]
public sealed class PullTests(ListingsApp app) : IAsyncLifetime
{
    private PullServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _server = await PullServer.StartAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Given_a_document_with_listing_fields_Then_a_run_applies_them_and_records_pull_in_the_history()
    {
        await app.CreateProviderAsync("acme");
        _server.Json("/listing.json", """{"totalNodes": 42, "country": "Poland", "tiers": [{"tier": "nimbus", "price": 15, "planName": "N"}]}""");
        await ConfigureAsync("acme", "/listing.json");

        var result = await RunAsync("acme");

        Assert.Equal("updated", result.GetProperty("outcome").GetString());
        Assert.Equal(["totalNodes", "country", "tiers"], result.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        var listing = await ListingAsync("acme");
        Assert.Equal(42, listing.GetProperty("totalNodes").GetInt32());
        Assert.Equal(15m, listing.GetProperty("tiers")[0].GetProperty("price").GetDecimal());
        Assert.Equal(app.Clock.GetUtcNow(), listing.GetProperty("lastPullAt").GetDateTimeOffset());
        Assert.Equal(3L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.listing_changes WHERE source = 'pull'"));
        var status = result.GetProperty("status");
        Assert.Equal(0, status.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal(app.Clock.GetUtcNow(), status.GetProperty("lastSuccessAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Given_an_ETag_Then_the_next_run_is_conditional_and_a_304_changes_nothing()
    {
        await app.CreateProviderAsync("acme");
        _server.Json("/listing.json", """{"totalNodes": 42}""", etag: "\"v1\"");
        await ConfigureAsync("acme", "/listing.json");
        await RunAsync("acme");
        await app.CreateAdminClient().PatchAsync("/admin/providers/acme", JsonHttp.RequestBody("""{"totalNodes": 7}"""));

        var second = await RunAsync("acme");

        Assert.Equal("notModified", second.GetProperty("outcome").GetString());
        Assert.Equal(304, second.GetProperty("httpStatus").GetInt32());
        Assert.Equal("\"v1\"", _server.Received.Last().IfNoneMatch);
        Assert.Equal(7, (await ListingAsync("acme")).GetProperty("totalNodes").GetInt32());
        Assert.Equal(1L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.listing_changes WHERE source = 'pull'"));
    }

    [Fact]
    public async Task Given_a_Last_Modified_Then_the_next_run_sends_If_Modified_Since()
    {
        await app.CreateProviderAsync("acme");
        _server.Routes["/listing.json"] = async context =>
        {
            context.Response.ContentType = "application/json";
            context.Response.Headers.LastModified = "Wed, 14 Jan 2026 10:00:00 GMT";
            await context.Response.WriteAsync("""{"totalNodes": 1}""");
        };
        await ConfigureAsync("acme", "/listing.json");

        await RunAsync("acme");
        await RunAsync("acme");

        Assert.Equal("Wed, 14 Jan 2026 10:00:00 GMT", _server.Received.Last().IfModifiedSince);
    }

    [Fact]
    public async Task Given_a_server_slower_than_the_timeout_Then_the_run_fails_with_a_timeout_and_data_is_kept()
    {
        await app.CreateProviderAsync("acme", "\"totalNodes\": 5");
        _server.Routes["/slow.json"] = async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
            await context.Response.WriteAsJsonAsync(new { totalNodes = 99 });
        };
        await ConfigureAsync("acme", "/slow.json");

        var result = await RunAsync("acme");

        Assert.Equal("failed", result.GetProperty("outcome").GetString());
        Assert.Contains("timed out after 1 s", result.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, (await ListingAsync("acme")).GetProperty("totalNodes").GetInt32());
    }

    [Fact]
    public async Task Given_a_body_over_1_MiB_Then_the_run_fails_and_data_is_kept()
    {
        await app.CreateProviderAsync("acme", "\"totalNodes\": 5");
        var padding = new string(' ', 1024 * 1024);
        _server.Json("/big.json", "{\"totalNodes\": 99" + padding + "}");
        _server.Routes["/big-chunked.json"] = async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"totalNodes\": 99");
            await context.Response.Body.FlushAsync();
            await context.Response.WriteAsync(padding + "}");
        };
        await ConfigureAsync("acme", "/big.json");

        var declared = await RunAsync("acme");
        await ConfigureAsync("acme", "/big-chunked.json");
        var chunked = await RunAsync("acme");

        Assert.Contains("larger than the limit of 1,048,576 bytes", declared.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("larger than the limit", chunked.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, (await ListingAsync("acme")).GetProperty("totalNodes").GetInt32());
    }

    [Fact]
    public async Task Given_a_body_just_under_1_MiB_Then_it_is_applied()
    {
        await app.CreateProviderAsync("acme");
        var json = "{\"totalNodes\": 99}";
        _server.Json("/large.json", json + new string(' ', (1024 * 1024) - json.Length));
        await ConfigureAsync("acme", "/large.json");

        Assert.Equal("updated", (await RunAsync("acme")).GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData("""{"totalNodes": 95,""", "application/json", "invalid JSON")]
    [InlineData("""<html>status</html>""", "text/html", "not application/json")]
    [InlineData("""[1, 2, 3]""", "application/json", "must be a JSON object")]
    [InlineData("""{"totalNodes": -4}""", "application/json", "totalNodes: must be 0 or more")]
    public async Task Given_an_invalid_document_Then_the_run_fails_with_the_reason_and_nothing_is_applied(string body, string contentType, string error)
    {
        await app.CreateProviderAsync("acme", "\"totalNodes\": 5, \"country\": \"Poland\"");
        _server.Json("/listing.json", body.Replace("-4}", "-4, \"country\": \"Spain\"}", StringComparison.Ordinal), contentType: contentType);
        await ConfigureAsync("acme", "/listing.json");

        var result = await RunAsync("acme");

        Assert.Equal("failed", result.GetProperty("outcome").GetString());
        Assert.Contains(error, result.GetProperty("error").GetString(), StringComparison.Ordinal);
        var listing = await ListingAsync("acme");
        Assert.Equal(5, listing.GetProperty("totalNodes").GetInt32());
        Assert.Equal("Poland", listing.GetProperty("country").GetString());
        Assert.Contains(error, result.GetProperty("status").GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_error_status_Then_the_run_fails_naming_it()
    {
        await app.CreateProviderAsync("acme");
        _server.Status("/listing.json", StatusCodes.Status503ServiceUnavailable);
        await ConfigureAsync("acme", "/listing.json?token=secret-in-query");

        var result = await RunAsync("acme");

        Assert.Equal(503, result.GetProperty("httpStatus").GetInt32());
        Assert.Contains("HTTP 503", result.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-in-query", result.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_protected_and_unknown_fields_in_the_document_Then_they_are_ignored_and_reported()
    {
        await app.CreateProviderAsync("acme");
        _server.Json("/listing.json", """{"totalNodes": 8, "verified": true, "rating": 5, "createdAt": "2020-01-01T00:00:00Z", "colour": "red"}""");
        await ConfigureAsync("acme", "/listing.json");

        var result = await RunAsync("acme");

        Assert.Equal("updated", result.GetProperty("outcome").GetString());
        var ignored = result.GetProperty("ignoredFields").EnumerateArray()
            .Select(i => $"{i.GetProperty("field").GetString()}:{i.GetProperty("reason").GetString()}").ToList();
        Assert.Equal(["verified:protected", "rating:protected", "createdAt:readOnly", "colour:unknown"], ignored);
        var listing = await ListingAsync("acme");
        Assert.Equal(8, listing.GetProperty("totalNodes").GetInt32());
        Assert.False(listing.GetProperty("verified").GetBoolean());
        Assert.Equal(4, result.GetProperty("status").GetProperty("ignoredFields").GetArrayLength());
    }

    [Fact]
    public async Task Given_a_field_mapping_Then_mapped_paths_with_array_indexes_fill_fields_and_unmapped_fields_keep_their_names()
    {
        await app.CreateProviderAsync("acme");
        _server.Json("/api/status", """
            {
              "stats": {"nodes": {"total": 321}, "clients": [{"count": 11}, {"count": 77}]},
              "health": {"uptime": 99.97},
              "plans": [{"tier": "cumulus", "price": 6.5, "planName": "Small"}],
              "country": "Norway",
              "totalNodes": 1
            }
            """);

        await ConfigureAsync("acme", "/api/status", new Dictionary<string, string>
        {
            ["totalNodes"] = "stats.nodes.total",
            ["totalClients"] = "stats.clients[1].count",
            ["uptimePercentage"] = "health.uptime",
            ["tiers"] = "plans",
            ["dataCenters"] = "stats.datacenters",
        });
        var result = await RunAsync("acme");

        var listing = await ListingAsync("acme");
        Assert.Equal(321, listing.GetProperty("totalNodes").GetInt32());
        Assert.Equal(77, listing.GetProperty("totalClients").GetInt32());
        Assert.Equal(99.97m, listing.GetProperty("uptimePercentage").GetDecimal());
        Assert.Equal("Small", listing.GetProperty("tiers")[0].GetProperty("planName").GetString());
        Assert.Equal("Norway", listing.GetProperty("country").GetString());
        Assert.Equal(["stats.datacenters"], result.GetProperty("missingPaths").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(0, result.GetProperty("ignoredFields").GetArrayLength());
    }

    [Theory]
    [InlineData("""{"url": "ftp://example.com/x", "intervalMinutes": 60, "enabled": true}""", "url", "http")]
    [InlineData("""{"url": "https://user:pw@example.com/x", "intervalMinutes": 60, "enabled": true}""", "url", "user name")]
    [InlineData("""{"url": "https://example.com/x", "intervalMinutes": 4, "enabled": true}""", "intervalMinutes", "between 5 and 1440")]
    [InlineData("""{"url": "https://example.com/x", "intervalMinutes": 1441, "enabled": true}""", "intervalMinutes", "between 5 and 1440")]
    [InlineData("""{"url": "https://example.com/x", "intervalMinutes": 60, "enabled": true, "mapping": {"verified": "a.b"}}""", "mapping.verified", "protected")]
    [InlineData("""{"url": "https://example.com/x", "intervalMinutes": 60, "enabled": true, "mapping": {"nodes": "a.b"}}""", "mapping.nodes", "not a listing field")]
    [InlineData("""{"url": "https://example.com/x", "intervalMinutes": 60, "enabled": true, "mapping": {"totalNodes": "a..b"}}""", "mapping.totalNodes", "empty member")]
    [InlineData("""{"url": "https://example.com/x", "intervalMinutes": 60, "enabled": true, "mapping": {"totalNodes": "a[x]"}}""", "mapping.totalNodes", "array index")]
    [InlineData("""{"url": "https://example.com/x", "intervalMinutes": 60}""", "enabled", "required")]
    [InlineData("""{"url": "https://example.com/x", "intervalMinutes": "60", "enabled": true}""", "intervalMinutes", "integer")]
    [InlineData("""{"url": "https://example.com/x", "intervalMinutes": 60, "enabled": true, "timeout": 5}""", "timeout", "not a known field")]
    public async Task Given_bad_pull_settings_Then_400_naming_the_field(string body, string field, string problem)
    {
        await app.CreateProviderAsync("acme");

        var response = await app.CreateAdminClient().PutAsync("/admin/providers/acme/pull", JsonHttp.RequestBody(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await JsonHttp.ReadBodyAsync(response);
        Assert.Contains(field, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(problem, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_pull_settings_on_the_bounds_Then_they_are_saved_and_shown_to_operators()
    {
        await app.CreateProviderAsync("acme");

        var five = await app.CreateAdminClient().PutAsJsonAsync("/admin/providers/acme/pull", new { url = _server.Url("/a"), intervalMinutes = 5, enabled = true });
        var day = await app.CreateAdminClient().PutAsJsonAsync("/admin/providers/acme/pull", new { url = _server.Url("/a"), intervalMinutes = 1440, enabled = false });

        Assert.Equal(HttpStatusCode.OK, five.StatusCode);
        Assert.Equal(HttpStatusCode.OK, day.StatusCode);
        var status = (await JsonHttp.ReadBodyAsync(await app.CreateAdminClient().GetAsync("/admin/providers/acme/pull"))).GetProperty("data");
        Assert.Equal(1440, status.GetProperty("intervalMinutes").GetInt32());
        Assert.False(status.GetProperty("enabled").GetBoolean());
        Assert.Equal(_server.Url("/a"), status.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Given_redirects_Then_up_to_three_are_followed_and_a_fourth_fails()
    {
        await app.CreateProviderAsync("acme");
        _server.Redirect("/r1", "/r2");
        _server.Redirect("/r2", _server.Url("/r3"), StatusCodes.Status301MovedPermanently);
        _server.Redirect("/r3", "/listing.json", StatusCodes.Status307TemporaryRedirect);
        _server.Redirect("/r0", "/r1", StatusCodes.Status308PermanentRedirect);
        _server.Json("/listing.json", """{"totalNodes": 3}""");

        await ConfigureAsync("acme", "/r1");
        var three = await RunAsync("acme");
        await ConfigureAsync("acme", "/r0");
        var four = await RunAsync("acme");

        Assert.Equal("updated", three.GetProperty("outcome").GetString());
        Assert.Equal("failed", four.GetProperty("outcome").GetString());
        Assert.Contains("more than 3 redirects", four.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_field_pushed_within_the_window_Then_pull_skips_it_reports_it_and_fills_the_rest()
    {
        var client = await app.ProviderClientAsync("acme");
        await ListingsApp.PatchAsync(client, "acme", """{"totalNodes": 50}""");
        _server.Json("/listing.json", """{"totalNodes": 10, "totalClients": 20}""", etag: "\"same\"");
        await ConfigureAsync("acme", "/listing.json");
        app.Clock.Advance(TimeSpan.FromHours(23));

        var within = await RunAsync("acme");

        Assert.Equal(["totalNodes"], within.GetProperty("skippedFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["totalClients"], within.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        var listing = await ListingAsync("acme");
        Assert.Equal(50, listing.GetProperty("totalNodes").GetInt32());
        Assert.Equal(20, listing.GetProperty("totalClients").GetInt32());
        var sync = (await JsonHttp.ReadBodyAsync(await client.GetAsync("/api/providers/acme/sync"))).GetProperty("data");
        Assert.Equal(["totalNodes"], sync.GetProperty("skippedFields").EnumerateArray().Select(f => f.GetString()));

        // Past the window pull takes the field over, even though the document (and its ETag) did not change.
        app.Clock.Advance(TimeSpan.FromHours(2));
        var after = await RunAsync("acme");

        Assert.Equal(["totalNodes"], after.GetProperty("changedFields").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(10, (await ListingAsync("acme")).GetProperty("totalNodes").GetInt32());
        Assert.Empty(after.GetProperty("skippedFields").EnumerateArray());
    }

    [Fact]
    public async Task Given_repeated_failures_Then_the_next_run_backs_off_exponentially_with_jitter_up_to_24_hours_and_a_success_resets_it()
    {
        await app.CreateProviderAsync("acme");
        _server.Status("/listing.json", StatusCodes.Status500InternalServerError);
        await ConfigureAsync("acme", "/listing.json", intervalMinutes: 30);

        var delays = new List<TimeSpan>();
        for (var failure = 1; failure <= 8; failure++)
        {
            var status = (await RunAsync("acme")).GetProperty("status");
            Assert.Equal(failure, status.GetProperty("consecutiveFailures").GetInt32());
            var nextRun = await app.Database.ScalarAsync<DateTime>("SELECT next_run_at FROM listings.pull_sources");
            delays.Add(nextRun - app.Clock.GetUtcNow().UtcDateTime);
        }

        for (var i = 0; i < delays.Count; i++)
        {
            var full = TimeSpan.FromMinutes(Math.Min(30 * Math.Pow(2, i + 1), 24 * 60));
            Assert.InRange(delays[i], full * 0.75, full);
        }

        Assert.True(delays[^1] <= TimeSpan.FromHours(24));
        Assert.True(delays[^1] >= TimeSpan.FromHours(18));

        _server.Json("/listing.json", """{"totalNodes": 1}""");
        var recovered = (await RunAsync("acme")).GetProperty("status");

        Assert.Equal(0, recovered.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal((app.Clock.GetUtcNow() + TimeSpan.FromMinutes(30)).UtcDateTime,
            await app.Database.ScalarAsync<DateTime>("SELECT next_run_at FROM listings.pull_sources"));
        Assert.Contains("HTTP 500", recovered.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_sync_status_Then_the_provider_sees_its_own_and_not_another_ones()
    {
        var client = await app.ProviderClientAsync("acme");
        await app.CreateProviderAsync("other");
        _server.Status("/listing.json", StatusCodes.Status404NotFound);
        await ConfigureAsync("acme", "/listing.json");
        await RunAsync("acme");

        var own = await client.GetAsync("/api/providers/acme/sync");
        var foreign = await client.GetAsync("/api/providers/other/sync");
        var anonymous = await app.CreateClient().GetAsync("/api/providers/acme/sync");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var data = (await JsonHttp.ReadBodyAsync(own)).GetProperty("data");
        Assert.True(data.GetProperty("pullConfigured").GetBoolean());
        Assert.Equal(1, data.GetProperty("consecutiveFailures").GetInt32());
        Assert.Equal("failed", data.GetProperty("lastOutcome").GetString());
        Assert.Contains("HTTP 404", data.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(app.Clock.GetUtcNow(), data.GetProperty("lastAttemptAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("lastSuccessAt").ValueKind);
        Assert.True(data.TryGetProperty("nextRunAt", out _));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Given_no_pull_settings_Then_the_provider_sync_status_says_so_and_a_run_is_404()
    {
        var client = await app.ProviderClientAsync("acme");

        var data = (await JsonHttp.ReadBodyAsync(await client.GetAsync("/api/providers/acme/sync"))).GetProperty("data");
        var run = await app.CreateAdminClient().PostAsync("/admin/providers/acme/pull/run", null);

        Assert.False(data.GetProperty("pullConfigured").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, run.StatusCode);
    }

    [Fact]
    public async Task Given_the_dispatcher_Then_a_run_enqueues_one_sync_job_per_due_provider_and_each_job_pulls_its_source()
    {
        await app.CreateProviderAsync("due");
        await app.CreateProviderAsync("later");
        await app.CreateProviderAsync("off");
        _server.Json("/due.json", """{"totalNodes": 64}""");
        _server.Json("/later.json", """{"totalNodes": 65}""");
        _server.Json("/off.json", """{"totalNodes": 66}""");
        await ConfigureAsync("later", "/later.json", enabled: true, intervalMinutes: 5);
        await ConfigureAsync("off", "/off.json", enabled: false);
        await ConfigureAsync("due", "/due.json", enabled: true, intervalMinutes: 5);
        await app.Database.ScalarAsync<int>(
            "UPDATE listings.pull_sources s SET next_run_at = now() + interval '1 day' FROM listings.providers p WHERE p.id = s.provider_id AND p.slug = 'later' RETURNING 1");

        await app.Factory.RunRecurringJobAsync(PullDispatchJob.Id);

        var sync = await SyncJobAsync("due");
        Assert.Equal(SucceededState.StateName, (await app.Factory.WaitForJobAsync(sync)).Name);
        Assert.Equal(64, await app.Database.ScalarAsync<int?>("SELECT total_nodes FROM listings.providers WHERE slug = 'due'"));
        Assert.Equal("updated", await app.Database.ScalarAsync<string>(
            "SELECT s.last_outcome FROM listings.pull_sources s JOIN listings.providers p ON p.id = s.provider_id WHERE p.slug = 'due'"));
        Assert.Equal(0, _server.Count("/later.json") + _server.Count("/off.json"));
        Assert.Equal(1, _server.Count("/due.json"));
        var status = (await JsonHttp.ReadBodyAsync(await app.CreateAdminClient().GetAsync("/admin/providers/due/pull"))).GetProperty("data");
        Assert.Equal(app.Clock.GetUtcNow() + TimeSpan.FromMinutes(5), status.GetProperty("nextRunAt").GetDateTimeOffset());

        // Run twice (a retry, or a second delivery of the same job): the claim is gone, the source is not due, nothing is pulled twice at once.
        await app.Factory.RunRecurringJobAsync(PullDispatchJob.Id);
        Assert.Equal(1, _server.Count("/due.json"));
    }

    [Fact]
    public async Task Given_a_pull_that_fails_Then_its_sync_job_is_failed_with_the_reason_and_requeueing_it_pulls_again()
    {
        await app.CreateProviderAsync("flaky");
        _server.Status("/flaky.json", StatusCodes.Status503ServiceUnavailable);
        await ConfigureAsync("flaky", "/flaky.json", enabled: true, intervalMinutes: 5);

        await app.Factory.RunRecurringJobAsync(PullDispatchJob.Id);

        var sync = await SyncJobAsync("flaky");
        var failed = await app.Factory.WaitForJobAsync(sync);
        Assert.Equal(FailedState.StateName, failed.Name);
        Assert.Contains("\"flaky\" failed", failed.Data["ExceptionMessage"], StringComparison.Ordinal);
        Assert.Contains("503", failed.Data["ExceptionMessage"], StringComparison.Ordinal);
        Assert.Equal(1, await app.Database.ScalarAsync<int>(
            "SELECT s.consecutive_failures FROM listings.pull_sources s JOIN listings.providers p ON p.id = s.provider_id WHERE p.slug = 'flaky'"));
        // Not retried by itself: the source's own backoff decides the next scheduled pull.
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.Equal(1, _server.Count("/flaky.json"));

        // The provider is back; an operator requeues the failed job (the dashboard's "Requeue").
        _server.Json("/flaky.json", """{"totalNodes": 7}""");
        Assert.True(app.Factory.Services.GetRequiredService<IBackgroundJobClient>().Requeue(sync));

        Assert.Equal(SucceededState.StateName, (await app.Factory.WaitForJobAsync(sync)).Name);
        Assert.Equal(7, await app.Database.ScalarAsync<int?>("SELECT total_nodes FROM listings.providers WHERE slug = 'flaky'"));
        Assert.Equal(0, await app.Database.ScalarAsync<int>(
            "SELECT s.consecutive_failures FROM listings.pull_sources s JOIN listings.providers p ON p.id = s.provider_id WHERE p.slug = 'flaky'"));
    }

    /// <summary>The id of the sync job the dispatcher enqueued for a provider (its display name is "Pull sync of {slug}").</summary>
    private async Task<string> SyncJobAsync(string slug)
    {
        string? id = null;
        var storage = app.Factory.Services.GetRequiredService<JobStorage>();
        Assert.True(await Eventually.WaitUntilAsync(async () =>
        {
            id = await app.Database.ScalarAsync<string>(
                "SELECT id::text FROM hangfire.job WHERE invocationdata::jsonb ->> 'Type' LIKE '%PullSyncJob%' AND arguments::jsonb ->> 1 = @slug ORDER BY id DESC LIMIT 1",
                ("slug", $"\"{slug}\""));
            return id is not null;
        }, TimeSpan.FromSeconds(10)), $"no sync job was enqueued for {slug}");
        Assert.Equal(slug, storage.GetMonitoringApi().JobDetails(id!).Job.Args[1]);
        return id!;
    }

    private async Task ConfigureAsync(string slug, string path, Dictionary<string, string>? mapping = null, bool enabled = false, int intervalMinutes = 60)
    {
        // Disabled unless asked: the tests drive runs themselves, so the scheduler stays out of their way.
        var response = await app.CreateAdminClient().PutAsJsonAsync($"/admin/providers/{slug}/pull",
            new { url = _server.Url(path), intervalMinutes, enabled, mapping });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> RunAsync(string slug)
    {
        var response = await app.CreateAdminClient().PostAsync($"/admin/providers/{slug}/pull/run", null);
        var body = await JsonHttp.ReadBodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        return body.GetProperty("data");
    }

    private async Task<JsonElement> ListingAsync(string slug) =>
        (await JsonHttp.ReadBodyAsync(await app.CreateClient().GetAsync($"/api/providers/{slug}"))).GetProperty("data");
}
