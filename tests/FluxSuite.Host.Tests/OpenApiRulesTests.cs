using System.Text.Json;

namespace FluxSuite.Host.Tests;

/// <summary>
/// The documents say what the server enforces: every JSON request body with declared fields refuses
/// others, every operation can answer 503 with Retry-After, and every operator route 401.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class OpenApiRulesTests(HostApp app)
{
    [Theory]
    [InlineData("listings")]
    [InlineData("reseller")]
    [InlineData("metering")]
    public async Task Given_a_document_Then_every_request_body_schema_with_fields_has_additionalProperties_false(string document)
    {
        using var json = JsonDocument.Parse(await app.CreateClient().GetStringAsync($"/swagger/{document}/swagger.json"));
        var schemas = json.RootElement.GetProperty("components").GetProperty("schemas");
        var checkedBodies = 0;
        foreach (var path in json.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (!operation.Value.TryGetProperty("requestBody", out var body)
                    || !body.GetProperty("content").TryGetProperty("application/json", out var media)
                    || !media.GetProperty("schema").TryGetProperty("$ref", out var reference))
                {
                    continue;
                }

                var schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
                if (schema.TryGetProperty("properties", out _))
                {
                    Assert.True(schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False,
                        $"{operation.Name.ToUpperInvariant()} {path.Name}: {reference.GetString()} does not say additionalProperties: false");
                    checkedBodies++;
                }
            }
        }

        Assert.True(checkedBodies > 0, $"the {document} document has no request body with declared fields");
    }

    [Theory]
    [InlineData("listings")]
    [InlineData("reseller")]
    [InlineData("metering")]
    public async Task Given_a_document_Then_its_operations_document_503_with_Retry_After_and_operator_routes_401(string document)
    {
        using var json = JsonDocument.Parse(await app.CreateClient().GetStringAsync($"/swagger/{document}/swagger.json"));
        var operations = 0;
        foreach (var path in json.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var responses = operation.Value.GetProperty("responses");
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                Assert.True(responses.TryGetProperty("503", out var unavailable), $"{name} does not document 503");
                Assert.True(unavailable.GetProperty("headers").TryGetProperty("Retry-After", out _), $"{name}: 503 without Retry-After");
                if (path.Name.StartsWith("/admin/", StringComparison.Ordinal))
                {
                    Assert.True(responses.TryGetProperty("401", out _), $"{name} does not document 401");
                }

                operations++;
            }
        }

        Assert.True(operations > 0);
    }
}
