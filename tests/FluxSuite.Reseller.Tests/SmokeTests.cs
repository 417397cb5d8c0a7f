using System.Net;

namespace FluxSuite.Reseller.Tests;

[Collection(ResellerCollection.Name)]
public sealed class SmokeTests(ResellerApp app) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_a_topped_up_reseller_When_it_buys_residential_Then_201_with_the_plan()
    {
        var reseller = await app.CreateResellerAsync();
        await app.TopUpAsync(reseller.Id, 10_000);

        var response = await reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 5 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var plan = await Api.DataAsync(response);
        var get = await reseller.Live().GetAsync($"/api/v1/plans/{plan.GetProperty("plan_id").GetGuid()}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }
}
