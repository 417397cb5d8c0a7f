using System.Text.Json;
using FluxSuite.BuildingBlocks.Json;

namespace FluxSuite.Metering.Common;

/// <summary>
/// How Metering writes its resources: the web defaults (names come from <c>JsonPropertyName</c>) with
/// every timestamp in UTC ISO 8601 ending in <c>Z</c>, as ARCHITECTURE.md's wire formats require. The
/// host's shared JSON options are left as they are: the Metering route group declares these
/// (<c>MeteringRoutes.WireFormat</c>), and every answer of its handlers is written with them.
/// </summary>
internal static class MeteringJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new UtcDateTimeOffsetConverter() },
    };
}
