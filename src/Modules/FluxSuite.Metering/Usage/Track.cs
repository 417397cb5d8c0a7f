using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;

namespace FluxSuite.Metering.Usage;

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
    public static async Task<IResult> Handle(
        TrackRequest request, HttpContext http, EventWriteQueue writer, ApiKeyLookup keys, TimeProvider clock, CancellationToken cancellationToken)
    {
        var key = http.Request.Headers[MeteringAuthentication.ApiKeyHeader].ToString();
        if (key.Length == 0)
        {
            throw new ApiErrorException(ApiError.Unauthorized(ApiKeyLookup.MissingKeyMessage));
        }

        var now = clock.GetUtcNow();
        var (valid, problem) = EventRules.Check(request, 0, now);
        if (valid is null)
        {
            // Who is asking comes before what is wrong with the request.
            await SdkAccess.ThrowUnlessWriterAsync(keys, key, cancellationToken);
            throw new ApiErrorException(problem!.ToApiError());
        }

        var result = await writer.WriteAsync(key, [valid]);
        SdkAccess.ThrowUnlessWriter(result);

        var written = result.Events[0];
        return EventWriter.Problem(written) is { } eventProblem
            ? throw new ApiErrorException(eventProblem.ToApiError())
            : MeteringResults.Accepted(
                new TrackResponse(written.EventId!.Value, written.Outcome == EventOutcome.Duplicate ? "duplicate" : "accepted",
                    written.Outcome == EventOutcome.Duplicate, written.Timestamp!.Value));
    }
}

/// <summary>The 401 and 403 answers of the SDK routes.</summary>
internal static class SdkAccess
{
    public static void ThrowUnlessWriter(WriteResult result)
    {
        if (result.OrganizationId is null)
        {
            throw new ApiErrorException(ApiError.Unauthorized(ApiKeyLookup.InvalidKeyMessage));
        }

        if (!result.CanWrite)
        {
            throw new ApiErrorException(ApiError.Forbidden($"This API key lacks the {MeteringAuthentication.UsageWrite} scope."));
        }
    }

    /// <summary>Refuses with 401 or 403 when the key cannot write.</summary>
    public static async Task ThrowUnlessWriterAsync(ApiKeyLookup keys, string presented, CancellationToken cancellationToken)
    {
        var found = await keys.FindAsync(presented, cancellationToken);
        ThrowUnlessWriter(new WriteResult(found?.OrganizationId, found?.Scopes.Contains(MeteringAuthentication.UsageWrite) == true, []));
    }
}
