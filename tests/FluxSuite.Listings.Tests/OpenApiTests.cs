using System.Text.Json;
using FluxSuite.Listings.Providers;

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
    public async Task Given_the_documented_PATCH_bodies_Then_they_list_exactly_the_fields_each_caller_may_set_with_their_rules()
    {
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/swagger/listings/swagger.json"));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");

        var provider = schemas.GetProperty("ProviderFieldsDocument").GetProperty("properties");
        Assert.Equal(ListingFields.All.Where(f => f.Access == FieldAccess.Provider).Select(f => f.Name).Order(),
            provider.EnumerateObject().Select(p => p.Name).Order());
        var operatorFields = schemas.GetProperty("OperatorFieldsDocument").GetProperty("properties");
        Assert.Equal(ListingFields.All.Where(f => f.Access != FieldAccess.ReadOnly).Select(f => f.Name).Order(),
            operatorFields.EnumerateObject().Select(p => p.Name).Order());

        // The rules the field table reads the body with: a name of at most 100 characters that may not be
        // cleared, an uptime from 0 to 100 that may, the provider types, the slug's pattern.
        var name = provider.GetProperty("name");
        Assert.Equal(100, name.GetProperty("maxLength").GetInt32());
        Assert.False(name.TryGetProperty("nullable", out _));
        var uptime = provider.GetProperty("uptimePercentage");
        Assert.Equal("100", uptime.GetProperty("maximum").ToString());
        Assert.True(uptime.GetProperty("nullable").GetBoolean());
        Assert.Contains("managed", provider.GetProperty("type").GetProperty("enum").EnumerateArray().Select(e => e.ToString()));
        Assert.Equal(ListingFields.SlugPattern, operatorFields.GetProperty("slug").GetProperty("pattern").GetString());
    }
}
