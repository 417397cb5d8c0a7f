using System.Globalization;
using System.Text.Json.Nodes;
using FluxSuite.BuildingBlocks.OpenApi;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace FluxSuite.Host;

/// <summary>Copies each operation's <see cref="ApiExample"/> metadata into its request and response examples.</summary>
internal sealed class ApiExampleFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var example = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ApiExample>().LastOrDefault();
        if (example is null)
        {
            return;
        }

        if (example.Request is not null && operation.RequestBody?.Content is { } requestContent)
        {
            SetExample(requestContent, example.Request);
        }

        if (example.Response is null || operation.Responses is not { } responses)
        {
            return;
        }

        foreach (var (status, response) in responses)
        {
            var documented = example.Status is { } only
                ? status == only.ToString(CultureInfo.InvariantCulture)
                : status.StartsWith('2');
            if (documented && response.Content is { } content)
            {
                SetExample(content, example.Response);
            }
        }
    }

    private static void SetExample<TMedia>(IDictionary<string, TMedia> content, string json)
    {
        foreach (var media in content.Values.OfType<OpenApiMediaType>())
        {
            media.Example = JsonNode.Parse(json);
        }
    }
}
