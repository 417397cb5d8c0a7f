using FluxSuite.Listings.Providers;

namespace FluxSuite.Listings.Pull;

/// <summary>A listing's sync state: its pull settings (when it has any), how pulls went, and when push and pull last wrote.</summary>
internal sealed record SyncStatusView(
    string Slug,
    bool PullConfigured,
    bool Enabled,
    string? Url,
    int? IntervalMinutes,
    IReadOnlyDictionary<string, string> Mapping,
    DateTimeOffset? LastAttemptAt,
    DateTimeOffset? LastSuccessAt,
    string? LastOutcome,
    int? LastHttpStatus,
    string? LastError,
    DateTimeOffset? LastErrorAt,
    int ConsecutiveFailures,
    DateTimeOffset? NextRunAt,
    IReadOnlyList<string> SkippedFields,
    IReadOnlyList<IgnoredField> IgnoredFields,
    IReadOnlyList<string> MissingPaths,
    DateTimeOffset? LastPushAt,
    DateTimeOffset? LastPullAt)
{
    public static SyncStatusView From(string slug, PullSource? source, DateTimeOffset? lastPushAt, DateTimeOffset? lastPullAt) => source is null
        ? new(slug, false, false, null, null, new Dictionary<string, string>(), null, null, null, null, null, null, 0, null, [], [], [],
            lastPushAt, lastPullAt)
        : new(slug, true, source.Enabled, source.Url, source.IntervalMinutes, source.Mapping, source.LastAttemptAt, source.LastSuccessAt,
            source.LastOutcome, source.LastHttpStatus, source.LastError, source.LastErrorAt, source.ConsecutiveFailures,
            source.Enabled ? source.NextRunAt : null, source.SkippedFields, source.IgnoredFields, source.MissingPaths, lastPushAt, lastPullAt);
}
