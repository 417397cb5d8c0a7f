using Microsoft.AspNetCore.Builder;

namespace FluxSuite.BuildingBlocks.OpenApi;

/// <summary>
/// Endpoint metadata: an example request body and an example response, as JSON text, that the host
/// puts into the operation's OpenAPI document. The response example goes to <see cref="Status"/>, or to
/// every 2xx response when it is null.
/// </summary>
public sealed record ApiExample(string? Request, string? Response, int? Status = null);

public static class ApiExampleRegistration
{
    /// <summary>Documents an example request body and the response it gets with <paramref name="status"/>.</summary>
    public static TBuilder WithExample<TBuilder>(this TBuilder builder, string? request, int status, string? response)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ApiExample(request, response, status));
}
