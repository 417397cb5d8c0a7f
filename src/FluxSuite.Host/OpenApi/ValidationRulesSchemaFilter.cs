using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FluentValidation;
using FluentValidation.Validators;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Validation;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace FluxSuite.Host;

/// <summary>
/// Writes the rules of a request type's FluentValidation validator into its schema, so the document states
/// what the validation enforces and the two cannot drift: NotNull/NotEmpty → required and not nullable
/// (NotEmpty also minLength 1 on strings), Length/MaximumLength/MinimumLength → minLength/maxLength,
/// InclusiveBetween/GreaterThan(OrEqual)/LessThan(OrEqual) with constants → minimum/maximum, Matches →
/// pattern, EmailAddress → format email, OneOf → a required enum. A rule with a When/Unless condition holds only sometimes, so it is
/// left to the description; so are Must and custom rules, which no schema keyword can say. A property marked
/// <see cref="NeverNullAttribute"/> (on any request type) is not nullable.
/// </summary>
internal sealed class ValidationRulesSchemaFilter(IServiceProvider services) : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties.Count: > 0 } target)
        {
            return;
        }

        var descriptor = (services.GetService(typeof(IValidator<>).MakeGenericType(context.Type)) as IValidator)?.CreateDescriptor();
        foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = WireName(property, target);
            if (name is null || target.Properties![name] is not OpenApiSchema member)
            {
                continue;
            }

            if (property.GetCustomAttribute<NeverNullAttribute>() is not null && member.Type is { } declared)
            {
                member.Type = declared & ~JsonSchemaType.Null;
            }

            foreach (var component in (descriptor?.GetRulesForMember(property.Name) ?? [])
                         .SelectMany(rule => rule.Components)
                         .Where(c => !c.HasCondition && !c.HasAsyncCondition))
            {
                Apply(component.Validator, name, member, target);
            }
        }
    }

    private static void Apply(IPropertyValidator rule, string name, OpenApiSchema member, OpenApiSchema owner)
    {
        switch (rule)
        {
            case INotNullValidator:
            case INotEmptyValidator:
                owner.Required ??= new HashSet<string>(StringComparer.Ordinal);
                owner.Required.Add(name);
                if (member.Type is { } type)
                {
                    member.Type = type & ~JsonSchemaType.Null;
                }

                if (rule is INotEmptyValidator && member.Type?.HasFlag(JsonSchemaType.String) == true)
                {
                    member.MinLength = Math.Max(member.MinLength ?? 0, 1);
                }

                break;
            case ILengthValidator length:
                if (length.Min > 0)
                {
                    member.MinLength = Math.Max(member.MinLength ?? 0, length.Min);
                }

                if (length.Max > 0)
                {
                    member.MaxLength = member.MaxLength is { } max ? Math.Min(max, length.Max) : length.Max;
                }

                break;
            case IBetweenValidator between when Number(between.From) is { } from && Number(between.To) is { } to:
                member.Minimum = from;
                member.Maximum = to;
                break;
            case IComparisonValidator { ValueToCompare: var value } comparison when Number(value) is { } bound:
                switch (comparison.Comparison)
                {
                    case Comparison.GreaterThan:
                        member.ExclusiveMinimum = bound;
                        break;
                    case Comparison.GreaterThanOrEqual:
                        member.Minimum = bound;
                        break;
                    case Comparison.LessThan:
                        member.ExclusiveMaximum = bound;
                        break;
                    case Comparison.LessThanOrEqual:
                        member.Maximum = bound;
                        break;
                }

                break;
            case IRegularExpressionValidator regex:
                member.Pattern = regex.Expression;
                break;
            case IEmailValidator:
                member.Format = "email";
                break;
            case IOneOfValidator oneOf:
                owner.Required ??= new HashSet<string>(StringComparer.Ordinal);
                owner.Required.Add(name);
                member.Type = JsonSchemaType.String;
                member.Enum = [.. oneOf.Values.Select(v => (JsonNode)JsonValue.Create(v))];
                break;
        }
    }

    private static string? Number(object? value) => value switch
    {
        int or long or short or byte or decimal or double or float => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>The property's name in the schema: its JsonPropertyName, else the schema key that matches it.</summary>
    private static string? WireName(PropertyInfo property, OpenApiSchema schema)
    {
        if (property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name is { } explicitName)
        {
            return schema.Properties!.ContainsKey(explicitName) ? explicitName : null;
        }

        var plain = property.Name.Replace("_", string.Empty, StringComparison.Ordinal);
        return schema.Properties!.Keys.FirstOrDefault(key =>
            string.Equals(key.Replace("_", string.Empty, StringComparison.Ordinal), plain, StringComparison.OrdinalIgnoreCase));
    }
}
