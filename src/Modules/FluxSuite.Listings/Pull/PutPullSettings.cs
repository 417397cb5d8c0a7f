using System.Net;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Providers;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Pull;

/// <summary>
/// <c>PUT /admin/providers/{slug}/pull</c> <c>{url, intervalMinutes, enabled, mapping?}</c>: sets where and
/// how often the provider's document is pulled. Saving makes the source due at once and forgets the
/// last document's validators and failures: the next run starts fresh.
/// </summary>
internal static class PutPullSettings
{
    public const int MinInterval = 5;
    public const int MaxInterval = 1440;
    public const int MaxMappings = 50;

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    [JsonNumberHandling(JsonNumberHandling.Strict)]
    internal sealed record Request(
        [property: JsonRequired] string Url,
        [property: JsonRequired] int IntervalMinutes,
        [property: JsonRequired] bool Enabled,
        Dictionary<string, string>? Mapping);

    public static async Task<ApiOk<ListingsEnvelope<SyncStatusView>>> HandleAsync(
        string slug, Request request, ListingsDbContext db, PullAddressPolicy policy, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = Validate(request, policy);
        errors.ThrowIfAny();

        var provider = await db.Providers.AsNoTracking()
            .Where(p => p.Slug == slug)
            .Select(p => new { p.Id, p.LastPushAt, p.LastPullAt })
            .FirstOrDefaultAsync(cancellationToken);
        if (provider is null)
        {
            throw ListingsResults.NotFound(slug);
        }

        var now = clock.GetUtcNow();
        var source = await db.PullSources.FirstOrDefaultAsync(s => s.ProviderId == provider.Id, cancellationToken);
        if (source is null)
        {
            source = new PullSource { ProviderId = provider.Id, CreatedAt = now };
            db.PullSources.Add(source);
        }

        source.Url = request.Url;
        source.IntervalMinutes = request.IntervalMinutes;
        source.Enabled = request.Enabled;
        source.Mapping = request.Mapping ?? [];
        source.ETag = null;
        source.LastModified = null;
        source.ConsecutiveFailures = 0;
        source.NextRunAt = now;
        source.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return ListingsResults.Ok($"Pull settings of provider \"{slug}\" saved",
            SyncStatusView.From(slug, source, provider.LastPushAt, provider.LastPullAt));
    }

    private static FieldErrors Validate(Request request, PullAddressPolicy policy)
    {
        var errors = new FieldErrors();
        if (request.Url is null || request.Url.Length > 2048 || !FieldReaders.IsHttpUrl(request.Url))
        {
            errors.Add("url", "must be an absolute http:// or https:// URL of at most 2048 characters.");
        }
        else
        {
            var uri = new Uri(request.Url);
            if (uri.UserInfo.Length > 0)
            {
                errors.Add("url", "must not carry a user name or password.");
            }

            // Names are checked when pull connects; an address written in the URL can be refused now.
            if (IPAddress.TryParse(uri.IdnHost, out var literal) && policy.Refusal(literal) is { } what)
            {
                errors.Add("url", $"points to {what}, which pull may not reach.");
            }
        }

        if (request.IntervalMinutes is < MinInterval or > MaxInterval)
        {
            errors.Add("intervalMinutes", $"must be between {MinInterval} and {MaxInterval} minutes.");
        }

        if (request.Mapping is { } mapping)
        {
            if (mapping.Count > MaxMappings)
            {
                errors.Add("mapping", $"must have at most {MaxMappings} entries.");
            }

            foreach (var (field, path) in mapping)
            {
                var name = $"mapping.{field}";
                var target = ListingFields.Find(field);
                if (target is null)
                {
                    errors.Add(name, "is not a listing field that pull can set.");
                }
                else if (target.Access != FieldAccess.Provider)
                {
                    errors.Add(name, "is protected: pull cannot set it.");
                }

                if (path is null)
                {
                    errors.Add(name, "must be a path such as 'stats.nodes.total'.");
                }
                else if (PullMapping.Parse(path, out var problem) is null)
                {
                    errors.Add(name, $"path '{path}' {problem}");
                }
            }
        }

        return errors;
    }
}
