using System.Text.Json;

namespace FluxSuite.BuildingBlocks.Json;

/// <summary>
/// The one way a PATCH body is read: as the JSON object it must be, field by field, so that a field sent
/// as null is named and one left out is not. Nothing is applied here: the caller checks every field into
/// <see cref="Errors.FieldErrors"/> (and <see cref="Optional{T}"/> values), and applies them only when
/// none has a problem. A typed request tells the same through an <see cref="Optional{T}"/> set by its init accessor.
/// </summary>
public static class PatchBody
{
    /// <summary>The fields of the body in the order sent, or null when the body is not a JSON object.</summary>
    public static IReadOnlyList<(string Name, JsonElement Value)>? Fields(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object ? [.. body.EnumerateObject().Select(p => (p.Name, p.Value))] : null;
}
