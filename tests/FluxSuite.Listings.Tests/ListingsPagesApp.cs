using FluxSuite.Testing;
using FluxSuite.Testing.Pages;

namespace FluxSuite.Listings.Tests;

/// <summary>The Listings host on a real loopback port, and one headless Chromium for the collection's page tests.</summary>
public sealed class ListingsPagesApp : ListingsApp, IAsyncLifetime
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
public sealed class ListingsPagesCollection : ICollectionFixture<ListingsPagesApp>
{
    public const string Name = "listings-pages";
}
