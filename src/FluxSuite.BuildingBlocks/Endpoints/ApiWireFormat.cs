using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace FluxSuite.BuildingBlocks.Endpoints;

/// <summary>
/// A module's wire format, declared once on the module's route group with <see cref="ApiRoutes.WithWireFormat"/>:
/// how its answers are written (<see cref="Json"/>; null for the host's JSON options) and how its errors are
/// (<see cref="Errors"/>). The typed results of <see cref="ApiResults"/>, the error answers a route documents
/// with <see cref="ApiRoutes.ProducesErrors{TBuilder}"/> and the examples of <see cref="ApiRoutes.WithExamples{TBuilder}"/>
/// all read it from the endpoint's metadata, so no route or handler names its module's format again.
/// </summary>
public sealed record ApiWireFormat(JsonSerializerOptions? Json, IApiErrorFormat Errors)
{
    /// <summary>The JSON options answers are written with.</summary>
    public JsonSerializerOptions JsonOptions(IServiceProvider services) => Json ?? HostJson(services);

    /// <summary>The JSON options of the endpoint that runs (the host's outside every module's group).</summary>
    public static JsonSerializerOptions JsonOptionsFor(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetEndpoint()?.Metadata.GetMetadata<ApiWireFormat>()?.Json ?? HostJson(context.RequestServices);
    }

    /// <summary>The format of the endpoint being built or run; a route outside every module's group has none.</summary>
    internal static ApiWireFormat Of(IEnumerable<object> metadata, string? route) =>
        metadata.OfType<ApiWireFormat>().LastOrDefault()
        ?? throw new InvalidOperationException(
            $"The route {route} uses a module's wire format but its group declares none: call WithWireFormat on the module's route group.");

    private static JsonSerializerOptions HostJson(IServiceProvider services) =>
        services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
}
