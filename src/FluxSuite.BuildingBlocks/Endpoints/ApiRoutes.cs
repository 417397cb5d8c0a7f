using System.Text.Json;
using FluxSuite.BuildingBlocks.OpenApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace FluxSuite.BuildingBlocks.Endpoints;

/// <summary>
/// How every module declares its routes, in its one <c>…Routes.cs</c> file: a route group per area with its
/// tag, the module's <see cref="ApiWireFormat"/> on the module's root group, and on each route its summary,
/// the error answers it can give (<see cref="ProducesErrors{TBuilder}"/>), its examples and its parameter
/// rules. The success answer is not declared: it comes from the handler's typed result (<see cref="ApiResults"/>).
/// </summary>
public static class ApiRoutes
{
    /// <summary>Declares the module's wire format for every route below the group.</summary>
    public static RouteGroupBuilder WithWireFormat(this RouteGroupBuilder group, ApiWireFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        return group.WithMetadata(format);
    }

    /// <summary>Documents error answers with these statuses, in the body and content type of the module's error format.</summary>
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(statuses);
        // Finally: the group's wire format is in the metadata only once every convention has run.
        builder.Finally(endpoint =>
        {
            var errors = ApiWireFormat.Of(endpoint.Metadata, endpoint.DisplayName).Errors;
            foreach (var status in statuses)
            {
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, errors.BodyType, [errors.ContentType]));
            }
        });
        return builder;
    }

    /// <summary>
    /// Documents an example request body and the answer it gets, with <paramref name="status"/> (every 2xx when
    /// null). Each is JSON text as is, or an object written in the module's wire format.
    /// </summary>
    public static TBuilder WithExamples<TBuilder>(this TBuilder builder, object? request, object? response, int? status = null)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Finally(endpoint =>
        {
            var json = request is null or string && response is null or string
                ? null
                : ApiWireFormat.Of(endpoint.Metadata, endpoint.DisplayName).JsonOptions(endpoint.ApplicationServices);
            endpoint.Metadata.Add(new ApiExample(Serialize(request, json), Serialize(response, json), status));
        });
        return builder;
    }

    private static string? Serialize(object? value, JsonSerializerOptions? options) => value switch
    {
        null => null,
        string json => json,
        _ => JsonSerializer.Serialize(value, value.GetType(), options),
    };
}
