using System.Net;
using System.Text.Json;
using Microsoft.OpenApi;

namespace FluxSuite.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class SwaggerTests(HostApp app)
{
    [Theory]
    [InlineData("listings", "FluxSuite Listings")]
    [InlineData("reseller", "FluxSuite Reseller")]
    [InlineData("metering", "FluxSuite Metering")]
    public async Task Given_a_module_document_Then_it_is_a_valid_OpenAPI_document_with_its_title(string name, string title)
    {
        var response = await app.CreateClient().GetAsync($"/swagger/{name}/swagger.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (document, diagnostic) = await OpenApiDocument.LoadAsync(await response.Content.ReadAsStreamAsync(), "json");
        Assert.NotNull(document);
        Assert.Empty(diagnostic?.Errors ?? []);
        Assert.Equal(title, document.Info.Title);
    }

    [Theory]
    [InlineData("listings")]
    [InlineData("reseller")]
    public async Task Given_a_module_with_operator_routes_Then_its_document_declares_the_admin_key_scheme(string name)
    {
        using var body = JsonDocument.Parse(await app.CreateClient().GetStringAsync($"/swagger/{name}/swagger.json"));

        var scheme = body.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("AdminKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Admin-Key", scheme.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Given_the_UI_Then_it_offers_all_three_documents()
    {
        var client = app.CreateClient();

        var page = await client.GetAsync("/swagger/index.html");
        var config = await client.GetStringAsync("/swagger/index.js");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        foreach (var name in new[] { "listings", "reseller", "metering" })
        {
            Assert.Contains($"/swagger/{name}/swagger.json", config, StringComparison.Ordinal);
        }
    }
}
