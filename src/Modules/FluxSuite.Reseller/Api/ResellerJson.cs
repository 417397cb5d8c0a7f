using System.Text.Json;

namespace FluxSuite.Reseller.Api;

/// <summary>The reseller API speaks snake_case JSON.</summary>
internal static class ResellerJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
