using System.Reflection;
using System.Text.Json.Nodes;
using FluxSuite.BuildingBlocks.OpenApi;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace FluxSuite.Host;

/// <summary>
/// One OpenAPI document per module (<c>/swagger/{listings|reseller|metering}/swagger.json</c>), built from
/// the <see cref="ApiDocument"/> each module registers and the endpoints it tags with that group name.
/// </summary>
internal static class OpenApiSetup
{
    public static WebApplicationBuilder AddFluxOpenApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen();
        builder.Services.AddOptions<SwaggerGenOptions>().Configure<IEnumerable<ApiDocument>>((options, documents) =>
        {
            foreach (var document in documents)
            {
                options.SwaggerDoc(document.Name, new OpenApiInfo
                {
                    Title = document.Title,
                    Version = "v1",
                    Description = document.Description + "\n\nOperators: the scheduled jobs are in the Hangfire dashboard at " +
                                  $"[{SchedulerSetup.DashboardPath}]({SchedulerSetup.DashboardPath}) (sign in with any user name and the operator key as the password).",
                });
            }

            options.DocInclusionPredicate((documentName, api) => string.Equals(api.GroupName, documentName, StringComparison.Ordinal));
            options.CustomSchemaIds(SchemaIds.For);
            // Nullability from the C# annotations (a string? may be null, a string never is), and a
            // nullable object property wrapped in allOf so that it can say nullable: true beside its $ref.
            options.SupportNonNullableReferenceTypes();
            options.UseAllOfToExtendReferenceSchemas();
            // A JsonNode field (a listing history entry's old and new value) holds any JSON value: an empty
            // schema, not the node type's own members.
            options.MapType<JsonNode>(() => new OpenApiSchema { Description = "Any JSON value." });
            options.SchemaFilter<ValidationRulesSchemaFilter>();
            options.DocumentFilter<BodyReferencesDocumentFilter>();
            options.DocumentFilter<SecuritySchemesDocumentFilter>();
            options.DocumentFilter<ClosedRequestSchemasFilter>();
            options.DocumentFilter<SharedResponsesDocumentFilter>();
            options.OperationFilter<SecurityRequirementsOperationFilter>();
            options.OperationFilter<ParameterRulesOperationFilter>();
            options.OperationFilter<ApiExampleFilter>();
        });
        return builder;
    }

    public static WebApplication MapFluxOpenApi(this WebApplication app)
    {
        var documents = app.Services.GetServices<ApiDocument>().ToList();
        app.UseSwagger();
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "swagger";
            ui.DocumentTitle = "FluxSuite";
            foreach (var document in documents)
            {
                ui.SwaggerEndpoint($"/swagger/{document.Name}/swagger.json", document.Title);
            }

            ui.EnablePersistAuthorization();
            ui.DisplayRequestDuration();
        });
        return app;
    }
}

/// <summary>Adds each document's own security schemes, so "Authorize" offers exactly what its routes accept.</summary>
internal sealed class SecuritySchemesDocumentFilter(IEnumerable<ApiDocument> documents) : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var document = documents.FirstOrDefault(d => d.Name == context.DocumentName);
        if (document is null)
        {
            return;
        }

        swaggerDoc.Components ??= new OpenApiComponents();
        swaggerDoc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        foreach (var scheme in document.SecuritySchemes)
        {
            swaggerDoc.Components.SecuritySchemes[scheme.Id] = scheme.Kind switch
            {
                ApiSecuritySchemeKind.BearerToken => new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = scheme.Description,
                },
                ApiSecuritySchemeKind.Cookie => new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Cookie,
                    Name = scheme.Name,
                    Description = scheme.Description,
                },
                _ => new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = scheme.Name,
                    Description = scheme.Description,
                },
            };
        }
    }
}

/// <summary>
/// Marks each operation with the schemes it accepts: those named by <see cref="SecuritySchemeMetadata"/>,
/// and the operator key on every <c>/admin</c> route.
/// </summary>
internal sealed class SecurityRequirementsOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var schemeIds = context.ApiDescription.ActionDescriptor.EndpointMetadata
            .OfType<SecuritySchemeMetadata>()
            .SelectMany(m => m.SchemeIds)
            .ToList();
        var path = "/" + (context.ApiDescription.RelativePath ?? string.Empty);
        if (path.StartsWith("/admin/", StringComparison.OrdinalIgnoreCase) || path.Equals("/admin", StringComparison.OrdinalIgnoreCase))
        {
            schemeIds.Add(OperatorSecurity.Scheme.Id);
        }

        if (schemeIds.Count == 0)
        {
            return;
        }

        operation.Security ??= [];
        foreach (var id in schemeIds.Distinct(StringComparer.Ordinal))
        {
            // Each requirement in the list is an alternative: any one of the schemes is enough.
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(id, context.Document)] = [],
            });
        }
    }
}

/// <summary>
/// Schema ids that stay unique when slices nest their request types (<c>CreatePlan.Request</c> → <c>CreatePlanRequest</c>);
/// a type marked <see cref="SchemaIdAttribute"/> has the id it names.
/// </summary>
internal static class SchemaIds
{
    public static string For(Type type)
    {
        if (type.GetCustomAttribute<SchemaIdAttribute>() is { } pinned)
        {
            return pinned.Id;
        }

        var name = type.IsGenericType
            ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] + "Of" + string.Concat(type.GetGenericArguments().Select(For))
            : type.Name;
        return type.DeclaringType is { } outer ? For(outer) + name : name;
    }
}
