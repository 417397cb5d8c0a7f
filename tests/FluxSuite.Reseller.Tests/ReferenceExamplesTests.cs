using System.Net;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

/// <summary>The reference's own example requests (this part's endpoints), with only the base URL changed.</summary>
[Collection(ResellerCollection.Name)]
public sealed class ReferenceExamplesTests(ResellerApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;
    private Guid _plan;
    private Guid _ispPlan;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _reseller = await app.CreateResellerAsync();
        await app.TopUpAsync(_reseller.Id, 100_000);
        await app.SetPoolAsync("ISP_US_SNEAKERS", 10);
        _plan = (await Api.DataAsync(await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential-lite", bandwidth_gb = 1 })))
            .GetProperty("plan_id").GetGuid();
        _ispPlan = (await Api.DataAsync(await _reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "dedicated_isp", quantity = 1, pool = "ISP_US_SNEAKERS" })))
            .GetProperty("plan_id").GetGuid();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("/api/v1/proxies/pools?type=isp&country=string")]
    [InlineData("/api/v1/plans?page=1&per_page=20&status=all&product=residential-lite")]
    [InlineData("/api/v1/balance/transactions?page=1&per_page=20&type=all")]
    [InlineData("/api/v1/balance/pricing")]
    [InlineData("/api/v1/balance")]
    [InlineData("/api/v1/proxies/stock")]
    [InlineData("/api/v1/servers/stock/dedicated-mobile")]
    [InlineData("/api/v1/servers/stock/unlimited-residential-trial")]
    public async Task Given_a_GET_example_of_the_reference_Then_200(string path)
    {
        var response = await _reseller.Live().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Api.DataAsync(response);
    }

    [Fact]
    public async Task Given_the_plan_examples_of_the_reference_Then_200()
    {
        Assert.Equal(HttpStatusCode.OK, (await _reseller.Live().GetAsync($"/api/v1/plans/{_plan}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _reseller.Live().GetAsync($"/api/v1/plans/{_ispPlan}/proxies")).StatusCode);
    }

    [Fact]
    public async Task Given_the_references_extend_example_body_Then_a_400_naming_the_fields_that_do_not_apply()
    {
        var response = await _reseller.Live().PostAsync($"/api/v1/plans/{_plan}/extend",
            JsonHttp.RequestBody("""{ "add_bandwidth_gb": "0", "add_days": "0", "extend_30_days": "true" }"""));

        await Api.ValidationErrorAsync(response, "add_bandwidth_gb");
        var error = await Api.ErrorAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        Assert.True(error.GetProperty("details").TryGetProperty("add_days", out _));
        Assert.True(error.GetProperty("details").TryGetProperty("extend_30_days", out _));
    }

    [Fact]
    public async Task Given_the_references_upgrade_example_body_Then_a_400_invalid_upgrade()
    {
        var response = await _reseller.Live().PostAsync($"/api/v1/plans/{_plan}/upgrade", JsonHttp.RequestBody("""{ "bandwidth_mbps": "0" }"""));

        await Api.ValidationErrorAsync(response, "bandwidth_mbps");
    }
}
