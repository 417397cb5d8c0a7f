using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxSuite.Listings.Pull;

/// <summary>What one pull run did.</summary>
internal sealed record PullRunResult(
    string Outcome,
    int? HttpStatus,
    IReadOnlyList<string> ChangedFields,
    IReadOnlyList<string> SkippedFields,
    IReadOnlyList<IgnoredField> IgnoredFields,
    IReadOnlyList<string> MissingPaths,
    string? Error,
    SyncStatusView Status);

/// <summary>
/// Runs one pull: fetch, read, apply what push does not own, record the outcome and the next run.
/// A failed or invalid pull changes no listing field, records its error and backs off.
/// </summary>
internal sealed partial class PullRunner(
    ListingsDbContext db,
    ListingWriter writer,
    PullFetcher fetcher,
    IOptions<ListingsOptions> options,
    TimeProvider clock,
    ILogger<PullRunner> logger)
{
    private readonly PullOptions _options = options.Value.Pull;

    /// <summary>How long a claim on a source lasts: past it, a run that died is taken over.</summary>
    public TimeSpan Lease => _options.Timeout + TimeSpan.FromMinutes(2);

    /// <summary>Claims the source for a run now, scheduled or not; false when another run holds it.</summary>
    public async Task<bool> TryClaimAsync(Guid providerId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = now + Lease;
        var claimed = await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE listings.pull_sources SET lease_until = {until}
            WHERE provider_id = {providerId} AND (lease_until IS NULL OR lease_until <= {now})
            """, cancellationToken);
        return claimed == 1;
    }

    /// <summary>
    /// Takes the claim for a sync job: the one the dispatcher made for it (<paramref name="claimedUntil"/>,
    /// the lease's end, is the token), or a free one. A live claim of its own is left as it is, so that
    /// the same job run again after its instance died still finds its token; a free or lapsed one gets a
    /// new lease. False when another run holds the source.
    /// </summary>
    public async Task<bool> TryTakeClaimAsync(Guid providerId, DateTimeOffset claimedUntil, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var until = ToStoredPrecision(now + Lease);
        var claimed = await db.Database.ExecuteSqlAsync(
            $"""
            UPDATE listings.pull_sources
            SET lease_until = CASE WHEN lease_until = {claimedUntil} AND lease_until > {now} THEN lease_until ELSE {until} END
            WHERE provider_id = {providerId} AND (lease_until = {claimedUntil} OR lease_until IS NULL OR lease_until <= {now})
            """, cancellationToken);
        return claimed == 1;
    }

    /// <summary>A time as PostgreSQL stores it (whole microseconds), so a value read back compares equal.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset value) => value.AddTicks(-(value.Ticks % 10));

    /// <summary>Runs the pull of a source this instance has claimed, and releases the claim.</summary>
    public async Task<PullRunResult?> RunClaimedAsync(Guid providerId, CancellationToken cancellationToken)
    {
        var source = await db.PullSources.FirstOrDefaultAsync(s => s.ProviderId == providerId, cancellationToken);
        if (source is null)
        {
            return null;
        }

        var startedAt = clock.GetUtcNow();
        // Validators are sent only when the last document was applied whole: a 304 would otherwise keep
        // fields that push owned back then from ever being pulled.
        var conditional = source.SkippedFields.Count == 0;
        var fetch = await fetcher.FetchAsync(source.Url, conditional ? source.ETag : null, conditional ? source.LastModified : null, cancellationToken);
        using (fetch.Document)
        {
            source.LastAttemptAt = startedAt;
            source.LastHttpStatus = fetch.HttpStatus;
            switch (fetch.Outcome)
            {
                case FetchOutcome.NotModified:
                    Succeeded(source, PullOutcome.NotModified, startedAt);
                    await db.Providers.Where(p => p.Id == providerId)
                        .ExecuteUpdateAsync(s => s.SetProperty(p => p.LastPullAt, startedAt), cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                    return await ResultAsync(source, PullOutcome.NotModified, [], null, cancellationToken);
                case FetchOutcome.Failed:
                    return await FailAsync(source, fetch.Error!, cancellationToken);
            }

            var extraction = PullMapping.Extract(fetch.Document!.RootElement, source.Mapping);
            var errors = new FieldErrors();
            var patch = fetch.Document.RootElement.ValueKind is System.Text.Json.JsonValueKind.Object || source.Mapping.Count > 0
                ? ListingPatch.Read(extraction.Fields, PatchMode.Pull, errors)
                : null;
            if (patch is null)
            {
                return await FailAsync(source, errors.Any
                    ? $"invalid document: {errors.Describe()}"
                    : "invalid document: it must be a JSON object of listing fields.", cancellationToken);
            }

            var skipped = new List<string>();
            var write = await writer.WriteAsync(providerId, (provider, now) =>
            {
                var ownedSince = now - _options.PushPriorityWindow;
                skipped.AddRange(patch.Values.Select(v => v.Field.Name)
                    .Where(f => provider.PushedFields.TryGetValue(f, out var pushedAt) && pushedAt > ownedSince));
                var changes = ListingEditor.Apply(provider, patch.Without(skipped.ToHashSet(StringComparer.Ordinal)), ChangeSource.Pull, now);
                provider.LastPullAt = now;
                var outcome = changes.Count > 0 ? PullOutcome.Updated : PullOutcome.Unchanged;
                Succeeded(source, outcome, now);
                source.ETag = fetch.ETag;
                source.LastModified = fetch.LastModified;
                source.SkippedFields = skipped;
                source.IgnoredFields = [.. patch.Ignored];
                source.MissingPaths = extraction.MissingPaths;
                return changes;
            }, cancellationToken);
            if (write is null)
            {
                return null;
            }

            LogApplied(logger, write.Provider.Slug, write.Changes.Count, skipped.Count);
            return await ResultAsync(source, source.LastOutcome!, [.. write.Changes.Select(c => c.Field)], null, cancellationToken);
        }
    }

    private void Succeeded(PullSource source, string outcome, DateTimeOffset now)
    {
        source.LastOutcome = outcome;
        source.LastSuccessAt = now;
        source.ConsecutiveFailures = 0;
        source.NextRunAt = now + TimeSpan.FromMinutes(source.IntervalMinutes);
        source.LeaseUntil = null;
        source.UpdatedAt = now;
    }

    private async Task<PullRunResult> FailAsync(PullSource source, string error, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        source.LastOutcome = PullOutcome.Failed;
        source.LastError = error.Length > 2000 ? error[..2000] : error;
        source.LastErrorAt = now;
        source.ConsecutiveFailures++;
        source.NextRunAt = now + PullBackoff.Delay(source.IntervalMinutes, source.ConsecutiveFailures, _options.MaxBackoff, Random.Shared.NextDouble());
        source.LeaseUntil = null;
        source.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        LogFailed(logger, source.ProviderId, source.ConsecutiveFailures, error);
        return await ResultAsync(source, PullOutcome.Failed, [], error, cancellationToken);
    }

    private async Task<PullRunResult> ResultAsync(
        PullSource source, string outcome, IReadOnlyList<string> changed, string? error, CancellationToken cancellationToken)
    {
        var provider = await db.Providers.AsNoTracking()
            .Where(p => p.Id == source.ProviderId)
            .Select(p => new { p.Slug, p.LastPushAt, p.LastPullAt })
            .FirstAsync(cancellationToken);
        var status = SyncStatusView.From(provider.Slug, source, provider.LastPushAt, provider.LastPullAt);
        return new PullRunResult(outcome, source.LastHttpStatus, changed,
            outcome == PullOutcome.Failed ? [] : source.SkippedFields,
            outcome == PullOutcome.Failed ? [] : source.IgnoredFields,
            outcome == PullOutcome.Failed ? [] : source.MissingPaths,
            error, status);
    }

    [LoggerMessage(LogLevel.Information, "Pull for {Slug} applied {Changed} change(s); {Skipped} field(s) left to push")]
    private static partial void LogApplied(ILogger logger, string slug, int changed, int skipped);

    [LoggerMessage(LogLevel.Warning, "Pull for provider {ProviderId} failed ({Failures} in a row): {Error}")]
    private static partial void LogFailed(ILogger logger, Guid providerId, int failures, string error);
}
