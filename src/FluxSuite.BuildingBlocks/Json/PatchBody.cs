using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Validation;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.BuildingBlocks.Json;

/// <summary>
/// The one way a PATCH body is read: as the JSON object it must be, field by field, so that a field sent
/// as null is named and one left out is not. Nothing is applied here: the caller checks every field into
/// <see cref="FieldErrors"/> (and <see cref="Optional{T}"/> values), and applies them only when none has
/// a problem. A typed request tells the same through an <see cref="Optional{T}"/> set by its init accessor.
/// </summary>
public static class PatchBody
{
    /// <summary>
    /// Reads the request body as a JSON document (typed binding can neither tell an absent field from a
    /// null one nor name unknown fields): a body that is not JSON is 415, an empty one 400, malformed
    /// JSON a 400 that says where, in the owning module's field naming.
    /// </summary>
    public static async Task<JsonDocument> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
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
            var naming = request.HttpContext.RequestServices.GetService<ApiErrorFormats>()?.For(request.Path).FieldNaming ?? JsonNamingPolicy.CamelCase;
            throw new ApiErrorException(ex.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal)
                ? ApiError.Validation("A JSON request body is required.")
                : JsonErrorDescriber.Describe(ex, naming));
        }
    }

    /// <summary>The fields of the body in the order sent, or null when the body is not a JSON object.</summary>
    public static IReadOnlyList<(string Name, JsonElement Value)>? Fields(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object ? [.. body.EnumerateObject().Select(p => (p.Name, p.Value))] : null;
}
