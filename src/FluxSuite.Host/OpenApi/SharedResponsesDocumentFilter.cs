using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace FluxSuite.Host;

/// <summary>
/// Documents the answers every route can give besides its own: 503 with Retry-After when the database
/// cannot be reached or a queue is full (any route), and 401 for an operator route without a valid key.
/// Their body is the module's error body, taken from an error the operation (or else the document) already documents. A
/// document filter, so that it sees what every module's own operation filters added.
/// </summary>
internal sealed class SharedResponsesDocumentFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var operations = swaggerDoc.Paths
            .SelectMany(p => (p.Value.Operations?.Values.AsEnumerable() ?? []).Select(o => (Path: p.Key, Operation: o)))
            .ToList();
        // The module's error body, for an operation that documents no error of its own (every module writes one format).
        var moduleError = operations.Select(o => ErrorBody(o.Operation)).FirstOrDefault(b => b is not null);
        if (moduleError is null)
        {
            return;
        }

        foreach (var (path, operation) in operations)
        {
            Apply(path, operation, ErrorBody(operation) ?? moduleError);
        }
    }

    private static IDictionary<string, IOpenApiMediaType>? ErrorBody(OpenApiOperation operation) =>
        operation.Responses?
            .Where(r => r.Key.StartsWith('4') && r.Value.Content is { Count: > 0 })
            .Select(r => r.Value.Content)
            .FirstOrDefault();

    private static void Apply(string path, OpenApiOperation operation, IDictionary<string, IOpenApiMediaType> errorBody)
    {
        operation.Responses ??= [];

        if (path.StartsWith("/admin/", StringComparison.OrdinalIgnoreCase) && !operation.Responses.ContainsKey("401"))
        {
            operation.Responses["401"] = new OpenApiResponse
            {
                Description = "The operator key (X-Admin-Key) is missing or wrong.",
                Content = new Dictionary<string, IOpenApiMediaType>(errorBody),
            };
        }

        if (!operation.Responses.ContainsKey("503"))
        {
            operation.Responses["503"] = new OpenApiResponse
            {
                Description = "The database cannot be reached, a queue is full or the instance is stopping. Retry after Retry-After seconds (with the same idempotency key where the route takes one).",
                Headers = new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before retrying.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
                },
                Content = new Dictionary<string, IOpenApiMediaType>(errorBody),
            };
        }
    }
}
