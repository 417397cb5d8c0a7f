using System.Text.Json;
using FluxSuite.BuildingBlocks.OpenApi;
using Microsoft.AspNetCore.Builder;

namespace FluxSuite.Listings.Api;

internal static class OpenApiExampleExtensions
{
    /// <summary>Documents an example request body and success response, written as the Listings API writes JSON.</summary>
    public static RouteHandlerBuilder WithExamples(this RouteHandlerBuilder builder, object? request, object? response) =>
        builder.WithMetadata(new ApiExample(Serialize(request), Serialize(response)));

    private static string? Serialize(object? value) => value switch
    {
        null => null,
        string json => json,
        _ => JsonSerializer.Serialize(value, value.GetType(), ListingsJson.Options),
    };
}
