using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FluxSuite.Host.Tests;

/// <summary>
/// PostgreSQL refusing connections and its connections cut (as in a restart): every module answers 503
/// with Retry-After in its own format, the outage is one warning (no stack trace per request), and the
/// first requests once it is back succeed (no broken pooled connection surfaces).
/// </summary>
public sealed class DatabaseOutageTests : IAsyncLifetime
{
    private readonly OutageApp _app = new();

    public ValueTask InitializeAsync() => _app.InitializeAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Given_the_database_goes_away_Then_503_with_Retry_After_in_each_modules_format_one_warning_and_recovery_without_errors()
    {
        var admin = _app.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/admin/resellers", new { name = "Acme", email = "ops@acme.example" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var reseller = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var resellerClient = _app.Factory.CreateBearerClient(reseller.RootElement.GetProperty("data").GetProperty("live_key").GetString()!);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/admin/providers", new { slug = "acme", name = "Acme Hosting" })).StatusCode);
        var anonymous = _app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/providers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await resellerClient.GetAsync("/api/v1/balance")).StatusCode);

        await _app.Database.SetConnectionsAllowedAsync(false);
        try
        {
            var listings = await anonymous.GetAsync("/api/providers");
            var operators = await admin.GetAsync("/admin/providers/acme/keys");
            var resellers = await resellerClient.GetAsync("/api/v1/balance");
            var metering = await anonymous.PostAsync("/metering/api/v1/auth/login",
                JsonContent.Create(new { email = "someone@example.com", password = "correct horse battery" }));

            foreach (var response in new[] { listings, operators, resellers, metering })
            {
                Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable,
                    $"{response.RequestMessage?.RequestUri?.AbsolutePath}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n"
                    + string.Join("\n", _app.Logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.AllText)));
                Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
            }

            Assert.Equal("error", (await JsonHttp.ReadBodyAsync(listings)).GetProperty("status").GetString());
            var resellerError = (await JsonHttp.ReadBodyAsync(resellers)).GetProperty("error");
            Assert.Equal("SERVICE_UNAVAILABLE", resellerError.GetProperty("code").GetString());
            Assert.Contains("database", resellerError.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Equal("application/problem+json", metering.Content.Headers.ContentType?.MediaType);
            Assert.Equal(503, (await JsonHttp.ReadBodyAsync(metering)).GetProperty("status").GetInt32());
        }
        finally
        {
            await _app.Database.SetConnectionsAllowedAsync(true);
        }

        // Back: the very first requests succeed.
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/providers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/providers/acme/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await resellerClient.GetAsync("/api/v1/balance")).StatusCode);

        var requestSide = _app.Logs.Entries.Where(e => e.Category.StartsWith("FluxSuite.", StringComparison.Ordinal)).ToList();
        Assert.Single(requestSide, e => e.Level == LogLevel.Warning && e.Category.EndsWith("DatabaseOutageLog", StringComparison.Ordinal));
        // Each request keeps its one access-log line; none carries a stack trace, and none is an unhandled exception.
        Assert.DoesNotContain(requestSide, e => e.Exception is not null && e.Level >= LogLevel.Warning);
        Assert.DoesNotContain(requestSide, e => e.Category.EndsWith("ApiExceptionHandler", StringComparison.Ordinal) && e.Level >= LogLevel.Error);
    }

    private sealed class OutageApp : FluxSuiteApp
    {
        public CapturedLogs Logs { get; } = new();

        protected override void Configure(FluxSuiteFactory factory) =>
            factory.WithServices(services => services.AddSingleton<ILoggerProvider>(Logs));
    }
}
