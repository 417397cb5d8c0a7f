using System.Net;
using System.Text.Json;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FluxSuite.Host.Tests;

/// <summary>A stop (SIGTERM) turns readiness 503 first and keeps serving for the drain delay, so a load balancer moves away before requests are refused.</summary>
public sealed class ShutdownTests : IAsyncLifetime
{
    private readonly DrainingApp _app = new();

    public ValueTask InitializeAsync() => _app.InitializeAsync();

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Given_the_host_is_asked_to_stop_Then_readiness_is_503_at_once_while_requests_are_still_served()
    {
        var client = _app.CreateClient();
        Assert.True(await Eventually.WaitUntilAsync(
            async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20)));
        var lifetime = _app.Factory.Services.GetRequiredService<IHostApplicationLifetime>();

        var stopping = Task.Run(lifetime.StopApplication, TestContext.Current.CancellationToken);
        HttpResponseMessage? ready = null;
        Assert.True(await Eventually.WaitUntilAsync(
            async () => (ready = await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5)),
            "readiness did not turn 503 when the host was asked to stop");

        using var body = JsonDocument.Parse(await ready!.Content.ReadAsStringAsync());
        Assert.Equal("Unhealthy", body.RootElement.GetProperty("checks").GetProperty("shutdown").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/providers")).StatusCode);
        await stopping;
    }

    private sealed class DrainingApp : FluxSuiteApp
    {
        protected override void Configure(FluxSuiteFactory factory) => factory.WithSetting("Shutdown:DrainDelay", "00:00:03");
    }
}
