using System.Net;
using System.Text.Json;

namespace FluxSuite.Reseller.Tests;

[Collection(ResellerCollection.Name)]
public sealed class OpenApiTests(ResellerApp app)
{
    /// <summary>The reference's 32 operations (method and path as it lists them).</summary>
    private static readonly string[] ReferenceOperations =
    [
        "GET /usage/summary", "GET /usage/plans/{planId}", "GET /servers/{planId}/monitoring", "GET /proxies/pools", "GET /plans/{planId}",
        "GET /proxies/connection-info", "GET /plans", "POST /plans", "GET /plans/{planId}/usage", "GET /usage/realtime",
        "GET /proxies/stock", "GET /servers/{planId}/stats", "GET /plans/{planId}/proxies", "GET /servers/stock/unlimited-residential-trial",
        "GET /sub-users", "GET /balance/pricing", "GET /proxies/{planId}/vpn-config", "GET /servers/{planId}/ip", "GET /balance",
        "GET /geo/asn", "GET /sub-users/{id}", "GET /geo/countries", "GET /plans/{planId}/usage-stats", "GET /balance/transactions",
        "GET /proxies/{planId}/ip-reset-link", "GET /geo/cities", "GET /geo/states", "POST /servers/{planId}/rotate-ip",
        "GET /servers/stock/dedicated-mobile", "POST /plans/{planId}/extend", "POST /servers/{planId}/restart", "POST /plans/{planId}/upgrade",
    ];

    /// <summary>Ours beyond the reference: managing sub-users, and the IP reset link itself (no API key).</summary>
    private static readonly string[] ExtraOperations =
    [
        "POST /sub-users", "PATCH /sub-users/{id}", "GET /proxies/{planId}/ip-reset", "POST /proxies/{planId}/ip-reset",
        "POST /webhooks", "GET /webhooks", "GET /webhooks/settings", "PUT /webhooks/settings", "GET /webhooks/{id}", "PATCH /webhooks/{id}",
        "DELETE /webhooks/{id}", "POST /webhooks/{id}/rotate-secret", "GET /webhooks/{id}/deliveries",
        "POST /webhooks/{id}/deliveries/{deliveryId}/redeliver", "POST /webhooks/{id}/test",
    ];

    private static readonly string[] AdminOperations =
    [
        "POST /admin/resellers", "GET /admin/resellers/{id}/keys", "POST /admin/resellers/{id}/keys", "DELETE /admin/resellers/{id}/keys/{keyId}",
        "POST /admin/resellers/{id}/topups", "PUT /admin/resellers/{id}/status", "PUT /admin/resellers/{id}/products/{product}",
        "PUT /admin/resellers/{id}/pricing", "PUT /admin/pools/{pool}", "PUT /admin/stock/dedicated-mobile", "POST /admin/usage",
        "GET /admin/resellers/webhooks",
    ];

    [Fact]
    public async Task Given_the_reseller_document_Then_each_of_the_32_reference_operations_is_listed_under_both_base_paths()
    {
        using var document = await DocumentAsync();

        var operations = Operations(document.RootElement).ToHashSet();

        Assert.Equal(32, ReferenceOperations.Distinct().Count());
        Assert.All(ReferenceOperations, operation =>
        {
            var (method, path) = Split(operation);
            Assert.Contains($"{method} /api/v1{path}", operations);
            Assert.Contains($"{method} /sandbox/api/v1{path}", operations);
        });
    }

    [Fact]
    public async Task Given_the_reseller_document_Then_it_lists_exactly_the_reference_operations_ours_and_the_operator_routes()
    {
        using var document = await DocumentAsync();

        var operations = Operations(document.RootElement).ToHashSet();

        Assert.All(ExtraOperations, operation =>
        {
            var (method, path) = Split(operation);
            Assert.Contains($"{method} /api/v1{path}", operations);
            Assert.Contains($"{method} /sandbox/api/v1{path}", operations);
        });
        Assert.All(AdminOperations, o => Assert.Contains(o, operations));
        Assert.Equal(((ReferenceOperations.Length + ExtraOperations.Length) * 2) + AdminOperations.Length, operations.Count);
    }

    [Fact]
    public async Task Given_the_reseller_document_Then_the_reference_query_parameters_and_their_enums_are_declared()
    {
        using var document = await DocumentAsync();
        var paths = document.RootElement.GetProperty("paths");

        Assert.Equal(["period"], QueryParameters(paths, "/api/v1/usage/summary", "get"));
        Assert.Contains("granularity", QueryParameters(paths, "/sandbox/api/v1/usage/plans/{planId}", "get"));
        Assert.Equal(["from", "to"], QueryParameters(paths, "/api/v1/plans/{planId}/usage-stats", "get").Order());
        Assert.Equal(["format"], QueryParameters(paths, "/api/v1/proxies/{planId}/vpn-config", "get"));
        Assert.Equal(["country_code", "product_type"], QueryParameters(paths, "/api/v1/geo/asn", "get").Order());
        Assert.Equal(["country_code", "product_type", "state_code"], QueryParameters(paths, "/api/v1/geo/cities", "get").Order());
        Assert.Equal(["page", "per_page", "status"], QueryParameters(paths, "/api/v1/sub-users", "get").Order());
        Assert.Contains("sub_user_id", QueryParameters(paths, "/api/v1/plans", "get"));
        var reset = paths.GetProperty("/api/v1/proxies/{planId}/ip-reset").GetProperty("get");
        Assert.False(reset.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, "the reset link takes no API key");
    }

    [Fact]
    public async Task Given_the_reseller_document_Then_the_reset_link_expiry_states_the_configured_default_and_bounds()
    {
        using var document = await DocumentAsync();
        var expiresIn = document.RootElement.GetProperty("paths").GetProperty("/api/v1/proxies/{planId}/ip-reset-link").GetProperty("get")
            .GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "expires_in");

        Assert.Contains("(default 24 hours)", expiresIn.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("60", expiresIn.GetProperty("schema").GetProperty("minimum").ToString());
        Assert.Equal("2592000", expiresIn.GetProperty("schema").GetProperty("maximum").ToString());
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

    private static List<string> QueryParameters(JsonElement paths, string path, string method) =>
        [.. paths.GetProperty(path).GetProperty(method).GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "query").Select(p => p.GetProperty("name").GetString()!)];

    private static (string Method, string Path) Split(string operation)
    {
        var space = operation.IndexOf(' ', StringComparison.Ordinal);
        return (operation[..space], operation[(space + 1)..]);
    }
}
