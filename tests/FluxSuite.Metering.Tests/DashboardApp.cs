namespace FluxSuite.Metering.Tests;

/// <summary>The Metering host on a real loopback port, and one headless Chromium for the dashboard's page tests.</summary>
public sealed class DashboardApp : MeteringApp
{
    protected override bool UsesBrowser => true;
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardApp>
{
    public const string Name = "metering-dashboard";
}
