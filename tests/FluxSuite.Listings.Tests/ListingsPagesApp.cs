namespace FluxSuite.Listings.Tests;

/// <summary>The Listings host on a real loopback port, and one headless Chromium for the collection's page tests.</summary>
public sealed class ListingsPagesApp : ListingsApp
{
    protected override bool UsesBrowser => true;
}

[CollectionDefinition(Name)]
public sealed class ListingsPagesCollection : ICollectionFixture<ListingsPagesApp>
{
    public const string Name = "listings-pages";
}
