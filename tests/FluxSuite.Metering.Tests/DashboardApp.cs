using FluxSuite.Testing;
using FluxSuite.Testing.Pages;

namespace FluxSuite.Metering.Tests;

/// <summary>The Metering host on a real loopback port, and one headless Chromium for the dashboard's page tests.</summary>
public sealed class DashboardApp : MeteringApp, IAsyncLifetime
{
    public PageBrowser Browser { get; private set; } = null!;

    public Uri Address => Factory.ServerAddress;

    public new async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Browser = await PageBrowser.LaunchAsync();
    }

    public new async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override void Configure(FluxSuiteFactory factory)
    {
        base.Configure(factory);
        factory.WithRealServer();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardApp>
{
    public const string Name = "metering-dashboard";
}
