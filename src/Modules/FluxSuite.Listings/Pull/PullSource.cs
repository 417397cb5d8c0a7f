using FluxSuite.Listings.Providers;

namespace FluxSuite.Listings.Pull;

/// <summary>A provider's pull settings and the state of its sync.</summary>
internal sealed class PullSource
{
    public Guid ProviderId { get; set; }

    public string Url { get; set; } = string.Empty;

    public int IntervalMinutes { get; set; }

    public bool Enabled { get; set; }

    /// <summary>Listing field → path in the provider's document (<c>stats.nodes.total</c>, <c>plans[0].price</c>).</summary>
    public Dictionary<string, string> Mapping { get; set; } = [];

    /// <summary>Validators of the last document applied, sent back as <c>If-None-Match</c> / <c>If-Modified-Since</c>.</summary>
    public string? ETag { get; set; }

    public string? LastModified { get; set; }

    public DateTimeOffset NextRunAt { get; set; }

    /// <summary>Set while a run holds the source, so no other run (scheduled or manual) starts on it; expires if that run dies.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }

    /// <summary><c>updated</c>, <c>unchanged</c>, <c>notModified</c> or <c>failed</c>.</summary>
    public string? LastOutcome { get; set; }

    public int? LastHttpStatus { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? LastErrorAt { get; set; }

    public int ConsecutiveFailures { get; set; }

    /// <summary>Fields the last applied document carried that push owned at the time.</summary>
    public List<string> SkippedFields { get; set; } = [];

    /// <summary>Protected, read-only and unknown fields the last document carried.</summary>
    public List<IgnoredField> IgnoredFields { get; set; } = [];

    /// <summary>Mapped paths the last document did not have.</summary>
    public List<string> MissingPaths { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal static class PullOutcome
{
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";
    public const string NotModified = "notModified";
    public const string Failed = "failed";
}
