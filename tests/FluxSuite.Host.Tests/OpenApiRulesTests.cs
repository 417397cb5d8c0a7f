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

    [Fact]
    public async Task Given_a_validated_request_type_Then_its_schema_states_the_validator_rules()
    {
        using var metering = await DocumentAsync("metering");
        var customer = Schema(metering, "CreateCustomerRequest");
        Assert.Equal(["external_id", "name"], customer.GetProperty("required").EnumerateArray().Select(e => e.GetString()).Order());
        var name = customer.GetProperty("properties").GetProperty("name");
        Assert.Equal(1, name.GetProperty("minLength").GetInt32());
        Assert.Equal(200, name.GetProperty("maxLength").GetInt32());
        Assert.False(name.TryGetProperty("nullable", out _));
        Assert.Equal("email", customer.GetProperty("properties").GetProperty("email").GetProperty("format").GetString());
        Assert.Equal("^[A-Za-z0-9][A-Za-z0-9_.-]*$",
            Schema(metering, "CreatePlanRequest").GetProperty("properties").GetProperty("lookup_id").GetProperty("pattern").GetString());

        using var reseller = await DocumentAsync("reseller");
        var status = Schema(reseller, "SetResellerStatusRequest");
        Assert.Equal(["status"], status.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["active", "suspended"], status.GetProperty("properties").GetProperty("status").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        // A rule that holds only sometimes (TopUp's amount range, which depends on the type) is not stated.
        Assert.False(Schema(reseller, "TopUpRequest").GetProperty("properties").GetProperty("amount_cents").TryGetProperty("minimum", out _));
        Assert.Equal(200, Schema(reseller, "CreateResellerRequest").GetProperty("properties").GetProperty("name").GetProperty("maxLength").GetInt32());
    }

    [Fact]
    public async Task Given_hand_parsed_query_parameters_Then_the_documents_state_their_rules()
    {
        using var reseller = await DocumentAsync("reseller");
        var productType = Parameter(reseller, "/api/v1/geo/states", "get", "product_type");
        Assert.True(productType.GetProperty("required").GetBoolean());
        Assert.Contains("residential", productType.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.DoesNotContain("dedicated_mobile", productType.GetProperty("schema").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.True(Parameter(reseller, "/sandbox/api/v1/plans/{planId}/usage-stats", "get", "from").GetProperty("required").GetBoolean());

        using var listings = await DocumentAsync("listings");
        var page = Parameter(listings, "/admin/providers/{slug}/history", "get", "page");
        Assert.Equal("1", page.GetProperty("schema").GetProperty("minimum").ToString());
        Assert.Equal("100", Parameter(listings, "/api/providers", "get", "pageSize").GetProperty("schema").GetProperty("maximum").ToString());
    }

    [Theory]
    [InlineData("metering", "/metering/api/v1/features/{id}/archive", "post", "409")]
    [InlineData("metering", "/metering/api/v1/plans/{id}/charges", "post", "409")]
    [InlineData("metering", "/metering/api/v1/plans/{id}/charges", "get", "404")]
    [InlineData("metering", "/metering/api/v1/customers", "post", "409")]
    [InlineData("metering", "/metering/api/v1/customers/{id}", "patch", "409")]
    [InlineData("listings", "/admin/providers/{slug}/history", "get", "400")]
    public async Task Given_an_answer_the_server_gives_Then_the_operation_documents_it(string document, string path, string method, string status)
    {
        using var json = await DocumentAsync(document);
        var responses = json.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");
        Assert.True(responses.TryGetProperty(status, out var response), $"{method.ToUpperInvariant()} {path} does not document {status}");
        Assert.True(response.TryGetProperty("content", out _), $"{method.ToUpperInvariant()} {path}: {status} has no body schema");
    }

    private async Task<JsonDocument> DocumentAsync(string document) =>
        JsonDocument.Parse(await app.CreateClient().GetStringAsync($"/swagger/{document}/swagger.json"));

    private static JsonElement Schema(JsonDocument document, string name) =>
        document.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static JsonElement Parameter(JsonDocument document, string path, string method, string name) =>
        document.RootElement.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);
}
