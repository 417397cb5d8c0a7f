using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Validation;

namespace FluxSuite.Listings.Api;

/// <summary>
/// Reads a request body as a JSON document, for the writes that must tell an absent field from a null
/// one and name unknown fields (typed binding can do neither).
/// </summary>
internal static class JsonBody
{
    public static async Task<(JsonDocument? Document, ApiError? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return (null, ApiError.NotJson);
        }

        if (request.ContentLength == 0)
        {
            return (null, ApiError.Validation("A JSON request body is required."));
        }

        try
        {
            var document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
            return (document, null);
        }
        catch (JsonException ex)
        {
            return (null, ex.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal)
                ? ApiError.Validation("A JSON request body is required.")
                : JsonErrorDescriber.Describe(ex, JsonNamingPolicy.CamelCase));
        }
    }
}
