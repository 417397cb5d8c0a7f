using System.Net;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Listings.Tests;

/// <summary>
/// The host as a deployment behind a transaction-mode pooler runs it: <c>ConnectionStrings:Direct</c> is set,
/// so the pool's sessions are not its own and the key lookup and the PATCH statement run unprepared.
/// </summary>
public sealed class SharedSessionsListingsApp : ListingsApp
{
    protected override void Configure(FluxSuiteFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        base.Configure(factory);
        factory.WithSetting("ConnectionStrings:Direct", Database.ConnectionString);
    }
}

[CollectionDefinition(Name)]
public sealed class SharedSessionsCollection : ICollectionFixture<SharedSessionsListingsApp>
{
    public const string Name = "listings-shared-sessions";
}

[Collection(SharedSessionsCollection.Name)]
public sealed class UnpreparedPushTests(SharedSessionsListingsApp app) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_sessions_the_pool_does_not_own_Then_a_push_writes_its_changes_and_their_history_unprepared()
    {
        Assert.False(app.Factory.Services.GetRequiredService<PooledSessions>().Owned);
        var client = await app.ProviderClientAsync("acme", """ "totalNodes": 5, "sla": 99.5 """);

        for (var nodes = 6; nodes <= 8; nodes++)
        {
            var response = await ListingsApp.PatchAsync(client, "acme", $$"""{"totalNodes": {{nodes}}, "sla": 99.50}""");
            var data = (await JsonHttp.ReadBodyAsync(response)).GetProperty("data");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(nodes, data.GetProperty("totalNodes").GetInt32());
            Assert.Equal("99.5", data.GetProperty("sla").GetRawText());
        }

        var changes = (await JsonHttp.ReadBodyAsync(await app.CreateAdminClient().GetAsync("/admin/providers/acme/history?field=totalNodes")))
            .GetProperty("data").GetProperty("changes").EnumerateArray().Where(c => c.GetProperty("source").GetString() == "push").ToList();
        Assert.Equal([8, 7, 6], changes.Select(c => c.GetProperty("new").GetInt32()));
        Assert.Equal(0L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.listing_changes WHERE field = 'sla' AND source = 'push'"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Factory.CreateBearerClient("not-a-key").PatchAsync(
            "/api/providers/acme", JsonHttp.RequestBody("""{"totalNodes": 9}"""))).StatusCode);
    }
}
