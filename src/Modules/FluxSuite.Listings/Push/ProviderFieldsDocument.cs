using System.Globalization;
using System.Text.Json.Nodes;
using FluxSuite.Listings.Providers;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace FluxSuite.Listings.Push;

/// <summary>
/// The body of <c>PATCH /api/providers/{slug}</c> as the OpenAPI document describes it: every field a
/// provider may set, all optional. Its fields are not written out here: <see cref="ListingFieldsSchemaFilter"/>
/// describes each from the field table (<see cref="ListingFields.All"/>), the same rules the endpoint reads
/// the body with (the endpoint reads it field by field, to tell an absent field from a null one).
/// </summary>
internal class ProviderFieldsDocument;

/// <summary>
/// The body of the operator's <c>POST</c> and <c>PATCH /admin/providers</c>: the provider's fields plus
/// the protected ones. <c>slug</c> and <c>name</c> are required on create.
/// </summary>
internal sealed class OperatorFieldsDocument : ProviderFieldsDocument;

/// <summary>Fills the two body documents' schemas from the field table, one property per writable field.</summary>
internal sealed class ListingFieldsSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema target
            || (context.Type != typeof(ProviderFieldsDocument) && context.Type != typeof(OperatorFieldsDocument)))
        {
            return;
        }

        var operatorFields = context.Type == typeof(OperatorFieldsDocument);
        target.Type = JsonSchemaType.Object;
        target.Properties = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);
        foreach (var field in ListingFields.All.Where(f => f.Access == FieldAccess.Provider || (operatorFields && f.Access == FieldAccess.Protected)))
        {
            target.Properties[field.Name] = Describe(field.Schema, context);
        }
    }

    private static IOpenApiSchema Describe(FieldSchema field, SchemaFilterContext context)
    {
        var schema = new OpenApiSchema
        {
            Type = field.Nullable ? field.Type | JsonSchemaType.Null : field.Type,
            MinLength = field.MinLength,
            MaxLength = field.MaxLength,
            Minimum = Number(field.Minimum),
            Maximum = field.Maximum is int.MaxValue ? null : Number(field.Maximum),
            Format = field.Format,
            Pattern = field.Pattern,
            MaxItems = field.MaxItems,
        };
        if (field.Enum is { } values)
        {
            schema.Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v)), .. field.Nullable ? new JsonNode[] { null! } : []];
        }

        if (field.Items is { } items)
        {
            schema.Items = Describe(items, context);
        }
        else if (field.ItemsReference is not null)
        {
            schema.Items = context.SchemaGenerator.GenerateSchema(typeof(PricingTier), context.SchemaRepository);
        }

        return schema;
    }

    private static string? Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);
}
