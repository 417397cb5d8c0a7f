using System.Text.Json;
using System.Text.Json.Serialization;

namespace FluxSuite.Reseller.Api;

/// <summary>
/// Reads <c>true</c>/<c>false</c> and, as the reference's own examples send them, <c>"true"</c>/<c>"false"</c>.
/// Anything else is a JSON error naming the field.
/// </summary>
internal sealed class LenientBooleanConverter : JsonConverter<bool>
{
    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.String when reader.ValueTextEquals("true") => true,
        JsonTokenType.String when reader.ValueTextEquals("false") => false,
        _ => throw new JsonException("The JSON value could not be converted to System.Boolean."),
    };

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}
