using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using FluxSuite.Reseller.Connections;
using FluxSuite.Reseller.Idempotency;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace FluxSuite.Reseller.OpenApi;

/// <summary>
/// Puts the reseller types' <see cref="AllowedValuesAttribute"/> (as enums) and <see cref="DescriptionAttribute"/>
/// into their schemas, so Swagger UI shows the reference's enums next to fields that are strings in C#.
/// Touches only this module's types.
/// </summary>
internal sealed class ResellerSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type.Assembly != typeof(ResellerSchemaFilter).Assembly || schema is not OpenApiSchema { Properties: { } properties })
        {
            return;
        }

        foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (name is null || !properties.TryGetValue(name, out var member) || member is not OpenApiSchema target)
            {
                continue;
            }

            if (property.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
            {
                // The listed values are all there is: null only when listed (then the schema says nullable and
                // its enum holds null, or validators would refuse the null the field may hold).
                target.Enum = [.. allowed.Values.Select(v => v is null ? null! : (JsonNode)JsonValue.Create(v.ToString())!)];
                target.Type = allowed.Values.Contains(null)
                    ? target.Type | JsonSchemaType.Null
                    : target.Type & ~JsonSchemaType.Null;
            }

            if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
            {
                target.Description = description.Description;
            }
        }
    }
}

/// <summary>Marks an endpoint that honours <c>X-Idempotency-Key</c>.</summary>
internal sealed class IdempotentEndpoint;

/// <summary>Documents the <c>X-Idempotency-Key</c> header of the operations marked <see cref="IdempotentEndpoint"/>.</summary>
internal sealed class IdempotencyHeaderFilter(IOptions<ResellerOptions> options) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IdempotentEndpoint>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyFilter.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = $"Makes retries safe: the same key and body within {Lifetime(options.Value.IdempotencyKeyLifetime)} returns the first response without charging again; " +
                              "another body is 422, a retry while the first still runs is 409.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotencyFilter.MaxKeyLength },
            });
        }
    }

    /// <summary>The configured lifetime in words: "24 hours", "90 minutes".</summary>
    internal static string Lifetime(TimeSpan lifetime) =>
        lifetime.TotalHours == Math.Floor(lifetime.TotalHours) && lifetime.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{lifetime.TotalHours:0} hour{(lifetime.TotalHours == 1 ? string.Empty : "s")}")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(lifetime.TotalMinutes):0} minutes");
}

/// <summary>Says in the <c>expires_in</c> parameter of the IP reset link route how long a link works by default, as configured.</summary>
internal sealed class IpResetLinkLifetimeFilter(IOptions<ResellerOptions> options) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == "expires_in" && p.In == ParameterLocation.Query) is { } expiresIn)
        {
            expiresIn.Description = string.Create(CultureInfo.InvariantCulture,
                $"Seconds, {CreateIpResetLink.MinExpiresIn:N0} to {CreateIpResetLink.MaxExpiresIn:N0} (default {IdempotencyHeaderFilter.Lifetime(options.Value.IpResetLinks.Lifetime)}); never beyond the plan's expiry.");
        }
    }
}

internal static class ResellerOpenApi
{
    public static IServiceCollection AddResellerOpenApi(this IServiceCollection services)
    {
        services.ConfigureSwaggerGen(options =>
        {
            options.SchemaFilter<ResellerSchemaFilter>();
            options.OperationFilter<IdempotencyHeaderFilter>();
            options.OperationFilter<IpResetLinkLifetimeFilter>();
        });
        return services;
    }

    /// <summary>Adds the <see cref="IdempotencyFilter"/> and documents its header.</summary>
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<IdempotencyFilter>().WithMetadata(new IdempotentEndpoint());
}
