using System.Text.Json.Serialization;

namespace FluxSuite.Reseller.Usage;

/// <summary>One bucket of a plan's traffic series.</summary>
internal sealed record UsagePoint(
    [property: JsonPropertyName("timestamp")] DateTime Timestamp,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("gb")] decimal Gb,
    [property: JsonPropertyName("overage_bytes")] long OverageBytes,
    [property: JsonPropertyName("records")] long Records);
