using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Host.Tests;

/// <summary>
/// Unknown body fields are refused on every module's write routes with a 400 naming the field: a
/// misspelt optional field must not pass for an absent one (a top-up's "typ" booked as a plain top-up).
/// </summary>
[Collection(HostCollection.Name)]
public sealed class UnknownFieldTests(HostApp app)
{
    [Fact]
    public async Task Given_an_unknown_field_on_a_reseller_operator_route_Then_400_naming_it_and_nothing_booked()
    {
        var admin = app.CreateAdminClient();
        var created = await admin.PostAsJsonAsync("/admin/resellers", new { name = "Typo Proxies", email = "ops@typo.example" });
        using var reseller = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        var id = reseller.RootElement.GetProperty("data").GetProperty("id").GetString();

        var topUp = await admin.PostAsync($"/admin/resellers/{id}/topups", JsonHttp.RequestBody("""{"amount_cents": 1000, "mode": "live", "typ": "adjustment"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, topUp.StatusCode);
        using var error = JsonDocument.Parse(await topUp.Content.ReadAsStringAsync());
        Assert.Equal("typ: is not a known field.", error.RootElement.GetProperty("error").GetProperty("message").GetString());
        var balance = await app.Factory.CreateBearerClient(reseller.RootElement.GetProperty("data").GetProperty("live_key").GetString()!)
            .GetStringAsync("/api/v1/balance");
        Assert.Contains("\"balance_cents\":0", balance, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_unknown_field_on_a_metering_create_route_Then_400_problem_json_naming_it()
    {
        var client = app.CreateClient();
        var signup = await client.PostAsync("/metering/api/v1/auth/signup",
            JsonHttp.RequestBody("""{"email": "typo@example.com", "password": "correct horse battery", "organization_name": "Typo"}"""));
        Assert.Equal(HttpStatusCode.Created, signup.StatusCode);

        var customer = await client.PostAsync("/metering/api/v1/customers",
            JsonHttp.RequestBody("""{"name": "Acme Corp", "email": "billing@acme.com", "external_id": "acme-typo", "nickname": "acme"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, customer.StatusCode);
        Assert.Equal("application/problem+json", customer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("nickname: is not a known field.", await customer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("acme-typo", await client.GetStringAsync("/metering/api/v1/customers"), StringComparison.Ordinal);
    }

}
