using System.Text.Json;

namespace FluxSuite.Listings.Api;

/// <summary>The directory speaks camelCase JSON.</summary>
internal static class ListingsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
