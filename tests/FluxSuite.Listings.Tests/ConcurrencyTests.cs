using System.Net;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Listings.Tests;

[Collection(ListingsCollection.Name)]
public sealed class ConcurrencyTests(ListingsApp app) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_concurrent_patches_of_different_fields_Then_every_one_survives()
    {
        var client = await app.ProviderClientAsync("acme");
        string[] bodies =
        [
            """{"totalNodes": 101}""", """{"totalClients": 202}""", """{"dataCenters": 3}""", """{"country": "Poland"}""",
            """{"sla": 99.5}""", """{"uptimePercentage": 99.9}""", """{"hasDiscount": true}""", """{"acceptsFlux": true}""",
            """{"acceptsStripe": false}""", """{"acceptsFiat": true}""", """{"whiteLabel": true}""", """{"autoRenew": false}""",
            """{"delegationAvailable": true}""", """{"languages": ["en", "de"]}""", """{"supportChannels": ["email"]}""",
            """{"tiers": [{"tier": "nimbus", "price": 12.5, "planName": "Nimbus"}]}""", """{"comments": "VAT incl."}""",
            """{"type": "dedicated"}""", """{"responseTimeHours": 2}""", """{"pnrEligiblePercent": 98}""",
        ];

        // Several rounds, all requests of a round released together.
        for (var round = 0; round < 3; round++)
        {
            using var start = new SemaphoreSlim(0);
            var requests = bodies.Select(async body =>
            {
                await start.WaitAsync();
                return await ListingsApp.PatchAsync(client, "acme", body);
            }).ToList();
            start.Release(bodies.Length);
            var responses = await Task.WhenAll(requests);
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        }

        var data = (await JsonHttp.ReadBodyAsync(await app.CreateClient().GetAsync("/api/providers/acme"))).GetProperty("data");
        foreach (var body in bodies)
        {
            using var sent = JsonDocument.Parse(body);
            var field = sent.RootElement.EnumerateObject().Single();
            Assert.True(JsonElement.DeepEquals(field.Value, data.GetProperty(field.Name)), $"{field.Name} was lost: {data.GetProperty(field.Name)}");
        }

        Assert.Equal(bodies.Length, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.listing_changes WHERE source = 'push'"));
    }
}
