using System.Net;
using System.Text.Json;

namespace FluxSuite.Reseller.Tests;

[Collection(ResellerCollection.Name)]
public sealed class OpenApiTests(ResellerApp app)
{
    private static readonly string[] ApiOperations =
    [
        "POST /plans", "GET /plans", "GET /plans/{planId}", "POST /plans/{planId}/extend", "POST /plans/{planId}/upgrade",
        "GET /plans/{planId}/proxies", "GET /balance", "GET /balance/transactions", "GET /balance/pricing", "GET /proxies/pools",
        "GET /proxies/stock", "GET /servers/stock/dedicated-mobile", "GET /servers/stock/unlimited-residential-trial",
    ];

    private static readonly string[] AdminOperations =
    [
        "POST /admin/resellers", "POST /admin/resellers/{id}/keys", "DELETE /admin/resellers/{id}/keys/{keyId}",
        "POST /admin/resellers/{id}/topups", "PUT /admin/resellers/{id}/status", "PUT /admin/resellers/{id}/products/{product}",
        "PUT /admin/resellers/{id}/pricing", "PUT /admin/pools/{pool}", "PUT /admin/stock/dedicated-mobile",
    ];

    [Fact]
    public async Task Given_the_reseller_document_Then_every_route_is_listed_under_both_base_paths_and_the_operator_routes()
    {
        using var document = await DocumentAsync();

        var operations = Operations(document.RootElement).ToHashSet();

        foreach (var operation in ApiOperations)
        {
            var (method, path) = Split(operation);
            Assert.Contains($"{method} /api/v1{path}", operations);
            Assert.Contains($"{method} /sandbox/api/v1{path}", operations);
        }

        Assert.All(AdminOperations, o => Assert.Contains(o, operations));
        Assert.Equal((ApiOperations.Length * 2) + AdminOperations.Length, operations.Count);
    }

    [Fact]
    public async Task Given_the_reseller_document_Then_every_schema_property_is_snake_case_except_the_pools_inStock_and_isSubnet()
    {
        using var document = await DocumentAsync();

        var names = document.RootElement.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .SelectMany(s => s.Value.TryGetProperty("properties", out var p) ? p.EnumerateObject().Select(x => x.Name) : [])
            .Distinct()
            .ToList();

        Assert.All(names.Where(n => n is not ("inStock" or "isSubnet")), n => Assert.Matches("^[a-z0-9_]+$", n));
        Assert.Contains("inStock", names);
        Assert.Contains("isSubnet", names);
    }

    [Fact]
    public async Task Given_the_reseller_document_Then_errors_use_the_reseller_envelope_and_the_bearer_scheme_is_declared()
    {
        using var document = await DocumentAsync();
        var root = document.RootElement;

        var create = root.GetProperty("paths").GetProperty("/api/v1/plans").GetProperty("post");
        foreach (var status in new[] { "400", "401", "402", "403", "409", "429" })
        {
            var schema = create.GetProperty("responses").GetProperty(status).GetProperty("content").GetProperty("application/json").GetProperty("schema");
            Assert.EndsWith("/ResellerErrorBody", schema.GetProperty("$ref").GetString(), StringComparison.Ordinal);
        }

        var error = root.GetProperty("components").GetProperty("schemas").GetProperty("ResellerErrorDetail").GetProperty("properties");
        Assert.True(error.TryGetProperty("code", out _) && error.TryGetProperty("trace_id", out _) && error.TryGetProperty("details", out _));
        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("ResellerKey");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(create.TryGetProperty("security", out _));
    }

    [Fact]
    public async Task Given_the_reseller_document_Then_POST_plans_has_the_product_enum_examples_and_the_idempotency_header()
    {
        using var document = await DocumentAsync();
        var root = document.RootElement;

        var request = root.GetProperty("components").GetProperty("schemas").GetProperty("CreatePlanRequest").GetProperty("properties");
        Assert.Equal(15, request.GetProperty("product").GetProperty("enum").GetArrayLength());
        Assert.Equal(8, request.GetProperty("duration").GetProperty("enum").GetArrayLength());
        var create = root.GetProperty("paths").GetProperty("/api/v1/plans").GetProperty("post");
        Assert.Equal("residential", create.GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
            .GetProperty("example").GetProperty("product").GetString());
        Assert.True(create.GetProperty("responses").GetProperty("201").GetProperty("content").GetProperty("application/json")
            .GetProperty("example").GetProperty("data").TryGetProperty("plan_id", out _));
        Assert.Contains(create.GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "X-Idempotency-Key" && p.GetProperty("in").GetString() == "header");
    }

    private async Task<JsonDocument> DocumentAsync()
    {
        var response = await app.CreateClient().GetAsync("/swagger/reseller/swagger.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<string> Operations(JsonElement root) =>
        root.GetProperty("paths").EnumerateObject().SelectMany(path =>
            path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete" or "patch")
                .Select(o => $"{o.Name.ToUpperInvariant()} {path.Name}"));

    private static (string Method, string Path) Split(string operation)
    {
        var space = operation.IndexOf(' ', StringComparison.Ordinal);
        return (operation[..space], operation[(space + 1)..]);
    }
}
