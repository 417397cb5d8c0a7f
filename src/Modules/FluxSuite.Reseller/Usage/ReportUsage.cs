using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using Microsoft.AspNetCore.Http.Metadata;

namespace FluxSuite.Reseller.Usage;

/// <summary>
/// <c>POST /admin/usage</c>: proxy gateways report traffic, up to <see cref="MaxRecords"/> records a request.
/// Every record is checked before anything is stored (a bad one is a 400 naming it); then the batch is
/// accounted in one transaction and answered 202 with what became of each record that was not simply
/// accepted: unknown plans, duplicates, and traffic a plan could not take (its overage).
/// </summary>
internal static class ReportUsage
{
    public const int MaxRecords = 10_000;
    public const int MaxRecordIdLength = 128;

    /// <summary>10 TB: more than any plan carries between two reports, and 10,000 of them cannot overflow a sum.</summary>
    public const long MaxRecordBytes = 10_000_000_000_000;

    /// <summary>Gateways' clocks may run a little ahead; a record further in the future is refused.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>10,000 records with ids of 128 characters fit well within this.</summary>
    public const long BodyLimitBytes = 8 * 1024 * 1024;

    private const int MaxReportedErrors = 100;

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record Request
    {
        [JsonPropertyName("records"), Required, Description("1–10,000 traffic records.")]
        public List<RecordRequest?>? Records { get; init; }
    }

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record RecordRequest
    {
        [JsonPropertyName("plan_id"), Description("The plan that carried the traffic (live or sandbox).")]
        public Guid? PlanId { get; init; }

        [JsonPropertyName("bytes"), Description("Bytes carried, 0 to 10^13.")]
        public long? Bytes { get; init; }

        [JsonPropertyName("at"), Description("When the traffic happened: an ISO 8601 date-time with its offset, at most 5 minutes ahead of our clock.")]
        public DateTimeOffset? At { get; init; }

        [JsonPropertyName("id"), Description("The gateway's id for the record (1–128 visible characters): a record reported again with the same id for the same plan is counted once.")]
        public string? Id { get; init; }
    }

    public static async Task<ApiAccepted<Envelope<UsageReportResult>>> Handle(
        Request request, UsageIngest ingest, TimeProvider clock, CancellationToken cancellationToken)
    {
        var records = Validate(request, clock.GetUtcNow());
        var result = await ingest.IngestAsync(records, cancellationToken);
        return ApiResults.Accepted(Envelope.Of(result));
    }

    /// <summary>Every problem of every record, named <c>records[i].field</c> (the first hundred).</summary>
    public static List<UsageInput> Validate(Request request, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var count = request.Records?.Count ?? 0;
        if (request.Records is null)
        {
            errors.Add("records", $"is required: an array of 1 to {MaxRecords:N0} records {{plan_id, bytes, at, id?}}.");
        }
        else if (count is 0 or > MaxRecords)
        {
            errors.Add("records", $"must hold 1 to {MaxRecords.ToString("N0", CultureInfo.InvariantCulture)} records; this request has {count}.");
        }

        errors.ThrowIfAny();
        var inputs = new List<UsageInput>(count);
        var problems = 0;
        var latest = now + MaxClockSkew;
        for (var i = 0; i < count; i++)
        {
            var record = request.Records![i];
            var before = problems;
            void Problem(string field, string message)
            {
                if (++problems <= MaxReportedErrors)
                {
                    errors.Add(field.Length == 0 ? $"records[{i}]" : $"records[{i}].{field}", message);
                }
            }

            if (record is null)
            {
                Problem(string.Empty, "must be a record {plan_id, bytes, at, id?}.");
                continue;
            }

            if (record.PlanId is null)
            {
                Problem("plan_id", "is required.");
            }

            if (record.Bytes is null)
            {
                Problem("bytes", "is required.");
            }
            else if (record.Bytes is < 0 or > MaxRecordBytes)
            {
                Problem("bytes", $"must be between 0 and {MaxRecordBytes} (10 TB).");
            }

            if (record.At is null)
            {
                Problem("at", "is required: when the traffic happened (ISO 8601, e.g. 2026-01-15T12:00:00Z).");
            }
            else if (record.At > latest)
            {
                Problem("at", $"is in the future: at most {MaxClockSkew.TotalMinutes:0} minutes ahead of {now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} is accepted.");
            }

            if (record.Id is not null && (record.Id.Length is 0 or > MaxRecordIdLength || record.Id.AsSpan().ContainsAnyExceptInRange('!', '~')))
            {
                Problem("id", $"must be 1 to {MaxRecordIdLength} visible ASCII characters.");
            }

            if (problems == before)
            {
                inputs.Add(new UsageInput(i, record.PlanId!.Value, record.Id, record.At!.Value.ToUniversalTime(), record.Bytes!.Value));
            }
        }

        if (problems > MaxReportedErrors)
        {
            errors.Add("records", $"{problems} problems in all; the first {MaxReportedErrors} are listed. Nothing was stored.");
        }

        errors.ThrowIfAny();
        return inputs;
    }

    /// <summary>Raises the 1 MiB body limit for this endpoint (10,000 records are larger).</summary>
    internal sealed class BodyLimit : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize => BodyLimitBytes;
    }
}

/// <summary>One valid record; <see cref="Index"/> is its position in the request, to report it back.</summary>
internal readonly record struct UsageInput(int Index, Guid PlanId, string? RecordId, DateTimeOffset At, long Bytes);

/// <summary>What the report became. Records not listed were accepted in full.</summary>
internal sealed record UsageReportResult(
    [property: JsonPropertyName("received")] int Received,
    [property: JsonPropertyName("stored")] int Stored,
    [property: JsonPropertyName("duplicates")] int Duplicates,
    [property: JsonPropertyName("unknown")] int Unknown,
    [property: JsonPropertyName("bytes_accepted")] long BytesAccepted,
    [property: JsonPropertyName("bytes_overage")] long BytesOverage,
    [property: JsonPropertyName("unknown_plans")] IReadOnlyList<UnknownPlanRecord> UnknownPlans,
    [property: JsonPropertyName("overage")] IReadOnlyList<OverageRecord> Overage,
    [property: JsonPropertyName("stopped_plans")] IReadOnlyList<StoppedPlan> StoppedPlans);

/// <summary>A record for a plan that does not exist: not stored; the gateway should check its plan id.</summary>
internal sealed record UnknownPlanRecord(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("plan_id")] Guid PlanId);

/// <summary>A stored record the plan could not take in full; <c>overage_bytes</c> is kept on the plan and in the rollups.</summary>
internal sealed record OverageRecord(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("plan_id")] Guid PlanId,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("accepted_bytes")] long AcceptedBytes,
    [property: JsonPropertyName("overage_bytes")] long OverageBytes,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>A plan of the report that accepts no more traffic: the gateway should stop carrying it.</summary>
internal sealed record StoppedPlan(
    [property: JsonPropertyName("plan_id")] Guid PlanId,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>Why traffic was not accepted.</summary>
internal static class OverageReason
{
    /// <summary>The bandwidth plan reached its <c>max_bytes</c>.</summary>
    public const string Exhausted = "exhausted";

    /// <summary>The traffic happened at or after the plan's <c>expires_at</c>.</summary>
    public const string Expired = "expired";

    public const string Cancelled = "cancelled";

    public const string SubUserSuspended = "sub_user_suspended";

    /// <summary>The plan's sub-user reached its traffic limit.</summary>
    public const string SubUserLimit = "sub_user_limit";
}
