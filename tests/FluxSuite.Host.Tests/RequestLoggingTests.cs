using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace FluxSuite.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class RequestLoggingTests(HostApp app)
{
    [Fact]
    public async Task Given_a_request_Then_one_line_has_method_path_status_elapsed_and_trace_id()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/__probe/page?page=7");

        var trace = Assert.Single(response.Headers.GetValues("X-Trace-Id"));
        var line = Assert.Single(app.Logs.Entries, e => e.Category.EndsWith("RequestLoggingMiddleware", StringComparison.Ordinal)
                                                         && e.Message.Contains(trace, StringComparison.Ordinal));
        Assert.Matches(@"^HTTP GET /api/v1/__probe/page responded 200 in \d+(\.\d)? ms \(trace .+\)$", line.Message);
        Assert.Contains(line.Values, v => v.StartsWith("Elapsed=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/v1/__probe/page?page=1", 200, LogLevel.Information)]
    [InlineData("/api/v1/__probe/no-such-route", 404, LogLevel.Warning)]
    [InlineData("/api/v1/__probe/throw", 500, LogLevel.Error)]
    public async Task Given_a_response_status_Then_the_request_line_is_at_the_level_for_it(string path, int status, LogLevel level)
    {
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        var trace = Assert.Single(response.Headers.GetValues("X-Trace-Id"));
        var line = Assert.Single(app.Logs.Entries, e => e.Category.EndsWith("RequestLoggingMiddleware", StringComparison.Ordinal)
                                                         && e.Message.Contains(trace, StringComparison.Ordinal));
        Assert.Equal(level, line.Level);
        Assert.Contains($"responded {status} in", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_credentials_in_headers_and_query_Then_no_log_event_contains_them()
    {
        const string bearer = "bearer-secret-7f3a9c";
        const string admin = "admin-secret-51d2e8";
        const string apiKey = "org_live_apikey-secret-c0ffee";
        const string cookie = "cookie-secret-b4dc0d";
        const string query = "query-secret-9e9e9e";
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        client.DefaultRequestHeaders.Add("X-Admin-Key", admin);
        client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        client.DefaultRequestHeaders.Add("Cookie", $"access_token={cookie}");

        await client.GetAsync($"/api/v1/__probe/page?page=1&signature={query}");
        await client.GetAsync("/admin/providers");
        await client.GetAsync("/metering/api/v1/__probe/throw");

        foreach (var secret in new[] { bearer, admin, apiKey, cookie, query })
        {
            Assert.DoesNotContain(app.Logs.Entries, e => e.AllText.Contains(secret, StringComparison.Ordinal));
        }
    }
}
