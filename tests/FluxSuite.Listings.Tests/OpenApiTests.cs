using System.Text.Json;
using FluxSuite.Listings.Providers;
using FluxSuite.Listings.Push;

namespace FluxSuite.Listings.Tests;

[Collection(ListingsCollection.Name)]
public sealed class OpenApiTests(ListingsApp app)
{
    [Theory]
    [InlineData("get", "/api/providers", false)]
    [InlineData("get", "/api/providers/{slug}", false)]
    [InlineData("patch", "/api/providers/{slug}", true)]
    [InlineData("get", "/api/providers/{slug}/sync", false)]
    [InlineData("post", "/admin/providers", true)]
    [InlineData("patch", "/admin/providers/{slug}", true)]
    [InlineData("post", "/admin/providers/{slug}/keys", false)]
    [InlineData("get", "/admin/providers/{slug}/keys", false)]
    [InlineData("post", "/admin/providers/{slug}/keys/import", true)]
    [InlineData("put", "/admin/providers/{slug}/pull", true)]
    [InlineData("get", "/admin/providers/{slug}/pull", false)]
    [InlineData("post", "/admin/providers/{slug}/pull/run", false)]
    [InlineData("get", "/admin/providers/{slug}/history", false)]
    public async Task Given_the_listings_document_Then_each_route_has_its_schemas_and_examples(string method, string path, bool hasBody)
    {
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/swagger/listings/swagger.json"));

        var operation = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method);
        var success = operation.GetProperty("responses").EnumerateObject().First(r => r.Name.StartsWith('2')).Value;
        var media = success.GetProperty("content").GetProperty("application/json");
        Assert.True(media.TryGetProperty("schema", out _), $"{method} {path}: no response schema");
        Assert.Equal("success", media.GetProperty("example").GetProperty("status").GetString());
        Assert.True(operation.GetProperty("responses").EnumerateObject().Any(r => r.Name.StartsWith('4')), $"{method} {path}: no error response");
        if (hasBody)
        {
            var body = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
            Assert.True(body.TryGetProperty("schema", out _));
            Assert.Equal(JsonValueKind.Object, body.GetProperty("example").ValueKind);
        }
    }

    [Fact]
    public async Task Given_the_listings_document_Then_it_declares_the_provider_key_scheme_on_the_provider_routes()
    {
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/swagger/listings/swagger.json"));

        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("ProviderKey");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var patch = document.RootElement.GetProperty("paths").GetProperty("/api/providers/{slug}").GetProperty("patch");
        Assert.Contains("ProviderKey", patch.GetProperty("security").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_documented_PATCH_body_Then_it_lists_exactly_the_fields_a_provider_may_set()
    {
        var documented = typeof(ProviderFieldsDocument).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).Order();
        var writable = ListingFields.All.Where(f => f.Access == FieldAccess.Provider).Select(f => f.Name).Order();

        Assert.Equal(writable, documented);
    }
}
