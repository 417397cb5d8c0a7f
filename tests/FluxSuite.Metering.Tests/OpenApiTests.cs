using System.Text.Json;

namespace FluxSuite.Metering.Tests;

[Collection(MeteringCollection.Name)]
public sealed class OpenApiTests(MeteringApp app)
{
    [Fact]
    public async Task Given_the_metering_document_Then_it_lists_the_routes_with_snake_case_schemas_and_the_three_schemes()
    {
        using var document = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/swagger/metering/swagger.json"));
        var root = document.RootElement;

        var paths = root.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/metering/api/v1/auth/signup", "/metering/api/v1/features", "/metering/api/v1/plans/{id}/charges",
                     "/metering/api/v1/subscriptions", "/metering/api/v1/api-keys", "/metering/api/v1/sdk/track", "/metering/api/v1/usage" })
        {
            Assert.Contains(path, paths);
        }

        var schemes = root.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("cookie", schemes.GetProperty("MeteringCookie").GetProperty("in").GetString());
        Assert.Equal("bearer", schemes.GetProperty("MeteringBearer").GetProperty("scheme").GetString());
        Assert.Equal("X-API-Key", schemes.GetProperty("MeteringApiKey").GetProperty("name").GetString());
        var schemas = root.GetProperty("components").GetProperty("schemas").GetRawText();
        Assert.Contains("\"meter_token\"", schemas, StringComparison.Ordinal);
        Assert.Contains("\"customer_external_id\"", schemas, StringComparison.Ordinal);
        Assert.DoesNotContain("\"meterToken\"", schemas, StringComparison.Ordinal);
        var track = root.GetProperty("paths").GetProperty("/metering/api/v1/sdk/track").GetProperty("post");
        Assert.True(track.GetProperty("responses").TryGetProperty("202", out _));
    }
}
