using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace FluxSuite.Listings.Api;

/// <summary>Endpoint metadata: an example request body and an example success response, as JSON.</summary>
internal sealed record OpenApiExample(string? Request, string? Response);

internal static class OpenApiExampleExtensions
{
    public static RouteHandlerBuilder WithExamples(this RouteHandlerBuilder builder, object? request, object? response) =>
        builder.WithMetadata(new OpenApiExample(Serialize(request), Serialize(response)));

    private static string? Serialize(object? value) => value switch
    {
        null => null,
        string json => json,
        _ => JsonSerializer.Serialize(value, value.GetType(), ListingsJson.Options),
    };
}

/// <summary>Puts the <see cref="OpenApiExample"/> of each Listings operation into its document.</summary>
internal sealed class OpenApiExamplesFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var example = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<OpenApiExample>().LastOrDefault();
        if (example is null)
        {
            return;
        }

        if (example.Request is not null && operation.RequestBody?.Content is { } requestContent)
        {
            foreach (var media in requestContent.Values.OfType<OpenApiMediaType>())
            {
                media.Example = JsonNode.Parse(example.Request);
            }
        }

        if (example.Response is not null && operation.Responses is { } responses)
        {
            foreach (var (status, response) in responses)
            {
                if (status.StartsWith('2') && response.Content is { } content)
                {
                    foreach (var media in content.Values.OfType<OpenApiMediaType>())
                    {
                        media.Example = JsonNode.Parse(example.Response);
                    }
                }
            }
        }
    }
}
