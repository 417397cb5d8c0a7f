using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Metering.Auth;

namespace FluxSuite.Metering.Usage;

/// <summary>One usage event as the SDK sends it (<c>POST /sdk/track</c>, or one element of a batch).</summary>
internal sealed class TrackRequest
{
    [JsonPropertyName("meter_token")]
    [Required]
    public string? MeterToken { get; init; }

    [JsonPropertyName("customer_external_id")]
    [Required]
    public string? CustomerExternalId { get; init; }

    public decimal? Quantity { get; init; }

    [JsonPropertyName("idempotency_key")]
    public string? IdempotencyKey { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    public Dictionary<string, JsonElement>? Properties { get; init; }
}

internal sealed record TrackResponse(
    [property: JsonPropertyName("event_id")] Guid EventId,
    string Status,
    bool Duplicate,
    DateTimeOffset Timestamp);

/// <summary>
/// <c>POST /sdk/track</c> with <c>X-API-Key</c> (scope usage.write): 202 once the event is committed;
/// a retry with the same idempotency key and payload gets the first event back, marked duplicate.
/// </summary>
internal static class TrackEvent
{
    public static async Task<ApiAccepted<TrackResponse>> Handle(
        SdkKey key, TrackRequest request, EventWriteQueue writer, ApiKeyLookup keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (valid, problem) = EventRules.Check(request, 0, now);
        if (valid is null)
        {
            // Who is asking comes before what is wrong with the request.
            await SdkAccess.ThrowUnlessWriterAsync(keys, key, cancellationToken);
            throw new ApiErrorException(problem!.ToApiError());
        }

        var result = await writer.WriteAsync(key.Value, [valid]);
        SdkAccess.ThrowUnlessWriter(result);

        var written = result.Events[0];
        return EventWriter.Problem(written) is { } eventProblem
            ? throw new ApiErrorException(eventProblem.ToApiError())
            : ApiResults.Accepted(
                new TrackResponse(written.EventId!.Value, written.Outcome == EventOutcome.Duplicate ? "duplicate" : "accepted",
                    written.Outcome == EventOutcome.Duplicate, written.Timestamp!.Value));
    }
}
