using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace FluxSuite.BuildingBlocks.Json;

/// <summary>
/// The wire format of timestamps (ARCHITECTURE.md): UTC ISO 8601 ending in <c>Z</c>, e.g.
/// <c>2026-01-15T12:00:00Z</c>, with fractions of a second only when there are any. Reads any ISO 8601 offset.
/// </summary>
public sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
    }
}
