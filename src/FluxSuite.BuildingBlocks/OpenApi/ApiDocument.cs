using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.BuildingBlocks.OpenApi;

/// <summary>How a caller authenticates, as the OpenAPI document should describe it.</summary>
public enum ApiSecuritySchemeKind
{
    /// <summary>A key in a request header (<see cref="ApiSecurityScheme.Name"/> is the header).</summary>
    ApiKeyHeader,

    /// <summary><c>Authorization: Bearer …</c>.</summary>
    BearerToken,

    /// <summary>A cookie (<see cref="ApiSecurityScheme.Name"/> is the cookie).</summary>
    Cookie,
}

/// <summary>A security scheme a module's OpenAPI document declares so that Swagger UI's "Authorize" works.</summary>
public sealed record ApiSecurityScheme(string Id, ApiSecuritySchemeKind Kind, string Name, string Description);

/// <summary>One OpenAPI document (one module): its name in <c>/swagger/{name}/swagger.json</c>, title and schemes.</summary>
public sealed record ApiDocument(string Name, string Title, string Description, IReadOnlyList<ApiSecurityScheme> SecuritySchemes);

/// <summary>The operator scheme every module with <c>/admin</c> routes declares.</summary>
public static class OperatorSecurity
{
    public const string HeaderName = "X-Admin-Key";

    public static ApiSecurityScheme Scheme { get; } = new(
        "AdminKey", ApiSecuritySchemeKind.ApiKeyHeader, HeaderName,
        "Operator key (configuration Admin:ApiKey; scripts/run.sh prints it). Required on every /admin route.");
}

/// <summary>Endpoint metadata naming the security schemes (by <see cref="ApiSecurityScheme.Id"/>) an operation accepts.</summary>
public sealed class SecuritySchemeMetadata(params string[] schemeIds)
{
    public IReadOnlyList<string> SchemeIds { get; } = schemeIds;
}

public static class ApiDocumentRegistration
{
    public static IServiceCollection AddApiDocument(this IServiceCollection services, ApiDocument document) =>
        services.AddSingleton(document);

    /// <summary>Documents that the endpoints accept any one of the given schemes.</summary>
    public static TBuilder WithSecurityScheme<TBuilder>(this TBuilder builder, params string[] schemeIds)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new SecuritySchemeMetadata(schemeIds));
}
