using System.Text.Encodings.Web;
using System.Text.Json;
using FluxSuite.BuildingBlocks.Json;

namespace FluxSuite.Listings.Api;

/// <summary>The directory speaks camelCase JSON, with times in UTC written with a <c>Z</c>.</summary>
internal static class ListingsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        // Responses are JSON, never inlined into HTML: write "Provider \"x\" updated" as the reference
        // shows it rather than with \u0022 escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new UtcDateTimeOffsetConverter() },
    };
}
