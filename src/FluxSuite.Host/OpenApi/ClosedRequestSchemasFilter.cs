using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace FluxSuite.Host;

/// <summary>
/// Every JSON request body refuses unknown fields (the host's JSON binding disallows unmapped members),
/// so every object schema a request body reaches says <c>additionalProperties: false</c>: a client
/// generated from the document learns the rule the server enforces. Object schemas without declared
/// properties (free-form bodies read field by field) are left open; their endpoints say what they take.
/// </summary>
internal sealed class ClosedRequestSchemasFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var schemas = swaggerDoc.Components?.Schemas;
        var seen = new HashSet<IOpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var operation in swaggerDoc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var media in operation.RequestBody?.Content?.Where(c => c.Key.Contains("json", StringComparison.OrdinalIgnoreCase)) ?? [])
            {
                Close(media.Value.Schema, schemas, seen);
            }
        }
    }

    private static void Close(IOpenApiSchema? schema, IDictionary<string, IOpenApiSchema>? components, HashSet<IOpenApiSchema> seen)
    {
        if (schema is OpenApiSchemaReference reference)
        {
            schema = reference.Reference.Id is { } id && components?.TryGetValue(id, out var target) == true ? target : reference.Target;
        }

        if (schema is null || !seen.Add(schema))
        {
            return;
        }

        if (schema is OpenApiSchema concrete && concrete.Properties is { Count: > 0 } && concrete.AdditionalProperties is null)
        {
            concrete.AdditionalPropertiesAllowed = false;
        }

        foreach (var child in (schema.Properties?.Values ?? []).Concat(schema.AllOf ?? []).Concat(schema.OneOf ?? []).Concat(schema.AnyOf ?? []))
        {
            Close(child, components, seen);
        }

        Close(schema.Items, components, seen);
    }
}
