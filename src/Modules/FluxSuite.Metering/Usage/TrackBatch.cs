using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;

namespace FluxSuite.Metering.Usage;

/// <summary>
/// <c>POST /sdk/track/batch</c> <c>{"events": [...]}</c>: up to 1,000 events in one statement. The batch
/// is answered 202 with one result per event, in order: accepted, duplicate, or the error that event
/// alone would have got. Events are independent: a bad one does not hold back the others.
/// </summary>
internal static class TrackBatch
{
    public const int MaxEvents = 1000;

    /// <summary>1,000 events with properties can pass the default 1 MiB body limit.</summary>
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    internal sealed class Request
    {
        [Required]
        public IReadOnlyList<TrackRequest?>? Events { get; init; }
    }

    internal sealed record EventError(int Status, string Code, string Detail, string? Field);

    internal sealed record EventResult(
        int Index,
        string Status,
        [property: JsonPropertyName("event_id")] Guid? EventId,
        [property: JsonPropertyName("idempotency_key")] string? IdempotencyKey,
        DateTimeOffset? Timestamp,
        EventError? Error);

    internal sealed record Response(int Accepted, int Duplicates, int Failed, IReadOnlyList<EventResult> Results);

    public static async Task<ApiAccepted<Response>> Handle(
        SdkKey key, Request request, EventWriteQueue writer, ApiKeyLookup keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (request.Events is not { Count: > 0 and <= MaxEvents })
        {
            await SdkAccess.ThrowUnlessWriterAsync(keys, key, cancellationToken);
            throw Problems.Invalid("events", $"must hold 1 to {MaxEvents:N0} events (got {request.Events?.Count ?? 0}).");
        }

        var now = clock.GetUtcNow();
        var results = new EventResult?[request.Events.Count];
        var valid = new List<ValidEvent>(request.Events.Count);
        for (var i = 0; i < request.Events.Count; i++)
        {
            var (checkedEvent, problem) = EventRules.Check(request.Events[i]!, i, now, $"events[{i}].");
            if (checkedEvent is null)
            {
                results[i] = Failure(i, request.Events[i]?.IdempotencyKey, problem!);
            }
            else
            {
                valid.Add(checkedEvent);
            }
        }

        if (valid.Count == 0)
        {
            await SdkAccess.ThrowUnlessWriterAsync(keys, key, cancellationToken);
        }
        else
        {
            var written = await writer.WriteAsync(key.Value, valid);
            SdkAccess.ThrowUnlessWriter(written);

            foreach (var e in written.Events)
            {
                var index = e.Event.Index;
                results[index] = EventWriter.Problem(e, $"events[{index}].") is { } problem
                    ? Failure(index, e.Event.IdempotencyKey, problem)
                    : new EventResult(index, e.Outcome == EventOutcome.Duplicate ? "duplicate" : "accepted", e.EventId,
                        e.Event.IdempotencyKey, e.Timestamp, null);
            }
        }

        var all = results.Select(r => r!).ToList();
        return ApiResults.Accepted(
            new Response(all.Count(r => r.Status == "accepted"), all.Count(r => r.Status == "duplicate"), all.Count(r => r.Status == "error"), all));
    }

    private static EventResult Failure(int index, string? idempotencyKey, EventProblem problem) =>
        new(index, "error", null, idempotencyKey, null, new EventError(problem.Status, problem.Code, problem.Message, problem.Field));
}
