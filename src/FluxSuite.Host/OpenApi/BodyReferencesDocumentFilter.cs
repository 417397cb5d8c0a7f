using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace FluxSuite.Host;

/// <summary>
/// A request or response body whose schema is nothing but <c>allOf: [$ref]</c> (how references are
/// written so that a property can say nullable beside one) is given as the reference itself, so client
/// generators name the body's type instead of making an anonymous wrapper.
/// </summary>
internal sealed class BodyReferencesDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        foreach (var operation in swaggerDoc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            var bodies = (operation.RequestBody?.Content?.Values.AsEnumerable() ?? [])
                .Concat((operation.Responses?.Values.AsEnumerable() ?? []).SelectMany(r => r.Content?.Values.AsEnumerable() ?? []));
            foreach (var media in bodies)
            {
                if (media is OpenApiMediaType concrete
                    && concrete.Schema is OpenApiSchema { AllOf: [OpenApiSchemaReference only], Type: null } wrapper
                    && wrapper.Properties is not { Count: > 0 })
                {
                    concrete.Schema = only;
                }
            }
        }
    }
}
