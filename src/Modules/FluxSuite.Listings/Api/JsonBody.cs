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
    public static async Task<JsonDocument> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new ApiErrorException(ApiError.NotJson);
        }

        if (request.ContentLength == 0)
        {
            throw new ApiErrorException(ApiError.Validation("A JSON request body is required."));
        }

        try
        {
            return await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new ApiErrorException(ex.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal)
                ? ApiError.Validation("A JSON request body is required.")
                : JsonErrorDescriber.Describe(ex, JsonNamingPolicy.CamelCase));
        }
    }
}
