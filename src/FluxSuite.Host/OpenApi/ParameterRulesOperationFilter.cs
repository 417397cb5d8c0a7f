using System.Globalization;
using System.Text.Json.Nodes;
using FluxSuite.BuildingBlocks.OpenApi;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace FluxSuite.Host;

/// <summary>Writes each <see cref="ParameterRule"/> of an endpoint into its query parameter's schema.</summary>
internal sealed class ParameterRulesOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var rules = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ParameterRule>().ToList();
        foreach (var rule in rules)
        {
            var parameter = operation.Parameters?.OfType<OpenApiParameter>()
                .FirstOrDefault(p => p.In == ParameterLocation.Query && string.Equals(p.Name, rule.Name, StringComparison.Ordinal));
            if (parameter is null)
            {
                continue;
            }

            var schema = parameter.Schema as OpenApiSchema ?? new OpenApiSchema();
            parameter.Schema = schema;
            parameter.Required = rule.Required;
            if (rule.Type is "integer")
            {
                schema.Type = JsonSchemaType.Integer;
                schema.Format = "int64";
            }

            if (rule.AllowedValues is { } allowed)
            {
                schema.Enum = [.. allowed.Select(v => (JsonNode)JsonValue.Create(v))];
            }

            if (rule.Minimum is { } minimum)
            {
                schema.Minimum = minimum.ToString(CultureInfo.InvariantCulture);
            }

            if (rule.Maximum is { } maximum)
            {
                schema.Maximum = maximum.ToString(CultureInfo.InvariantCulture);
            }

            if (rule.Example is { } example)
            {
                parameter.Example = rule.Type is "integer" ? JsonValue.Create(long.Parse(example, CultureInfo.InvariantCulture)) : JsonValue.Create(example);
            }

            if (rule.Description is { } description)
            {
                parameter.Description = description;
            }
        }
    }
}
