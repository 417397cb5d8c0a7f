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
            return new ApiErrorResult(ApiError.Unauthorized(ApiKeyLookup.MissingKeyMessage));
        }

        var now = clock.GetUtcNow();
        var (valid, problem) = EventRules.Check(request, 0, now);
        if (valid is null)
        {
            // Who is asking comes before what is wrong with the request.
            return await SdkAccess.RefuseAsync(keys, key, cancellationToken) ?? new ApiErrorResult(problem!.ToApiError());
        }

        var result = await writer.WriteAsync(key, [valid]);
        if (SdkAccess.Refusal(result) is { } refusal)
        {
            return refusal;
        }

        var written = result.Events[0];
        return EventWriter.Problem(written) is { } eventProblem
            ? new ApiErrorResult(eventProblem.ToApiError())
            : MeteringResults.Accepted(
                new TrackResponse(written.EventId!.Value, written.Outcome == EventOutcome.Duplicate ? "duplicate" : "accepted",
                    written.Outcome == EventOutcome.Duplicate, written.Timestamp!.Value));
    }
}

/// <summary>The 401 and 403 answers of the SDK routes.</summary>
internal static class SdkAccess
{
    public static IResult? Refusal(WriteResult result) =>
        result.OrganizationId is null ? new ApiErrorResult(ApiError.Unauthorized(ApiKeyLookup.InvalidKeyMessage))
        : !result.CanWrite ? new ApiErrorResult(ApiError.Forbidden($"This API key lacks the {MeteringAuthentication.UsageWrite} scope."))
        : null;

    /// <summary>401 or 403 when the key cannot write; null when it can.</summary>
    public static async Task<IResult?> RefuseAsync(ApiKeyLookup keys, string presented, CancellationToken cancellationToken)
    {
        var found = await keys.FindAsync(presented, cancellationToken);
        return Refusal(new WriteResult(found?.OrganizationId, found?.Scopes.Contains(MeteringAuthentication.UsageWrite) == true, []));
    }
}
