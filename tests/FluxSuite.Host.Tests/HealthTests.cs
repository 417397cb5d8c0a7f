using System.Net;
using System.Text.Json;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FluxSuite.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class HealthTests(HostApp app)
{
    [Fact]
    public async Task Given_the_process_is_up_Then_live_is_200()
    {
        var response = await app.CreateClient().GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Given_database_migrations_and_scheduler_are_fine_Then_ready_is_200_and_lists_each_check()
    {
        var client = app.CreateClient();

        Assert.True(await Eventually.WaitUntilAsync(
            async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20)));
        using var body = JsonDocument.Parse(await client.GetStringAsync("/health/ready"));
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        var checks = body.RootElement.GetProperty("checks");
        foreach (var check in new[] { "database", "migrations", "scheduler" })
        {
            Assert.Equal("Healthy", checks.GetProperty(check).GetProperty("status").GetString());
        }
    }
}

/// <summary>Readiness failures need a host of their own: they break the host on purpose.</summary>
public sealed class ReadinessFailureTests : IAsyncLifetime
{
    private readonly FluxSuiteApp _app = new();

    public ValueTask InitializeAsync() => _app.InitializeAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Given_the_Hangfire_server_of_the_instance_has_stopped_Then_ready_is_503_and_names_the_scheduler()
    {
        var client = _app.CreateClient();
        Assert.True(await Eventually.WaitUntilAsync(
            async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20)));
        var server = Assert.Single(_app.Factory.Services.GetServices<IHostedService>(), s => s.GetType().Name == "HangfireServerHost");
        await server.StopAsync(TestContext.Current.CancellationToken);

        var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("scheduler").GetProperty("status").GetString());
        Assert.Contains("is not running", checks.GetProperty("scheduler").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Given_PostgreSQL_refuses_connections_Then_ready_is_503_and_names_the_database()
    {
        var client = _app.CreateClient();
        Assert.True(await Eventually.WaitUntilAsync(
            async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20)));
        await _app.Database.SetConnectionsAllowedAsync(false);
        try
        {
            var response = await client.GetAsync("/health/ready");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var database = body.RootElement.GetProperty("checks").GetProperty("database");
            Assert.Equal("Unhealthy", database.GetProperty("status").GetString());
            Assert.Contains("not reachable", database.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        }
        finally
        {
            await _app.Database.SetConnectionsAllowedAsync(true);
        }
    }
}
