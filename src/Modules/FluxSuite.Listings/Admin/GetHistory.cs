using System.Text.Json.Nodes;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Paging;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Providers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Admin;

/// <summary><c>GET /admin/providers/{slug}/history</c>: every change to the listing, newest first.</summary>
internal static class GetHistory
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    internal sealed record Change(string Field, JsonNode? Old, JsonNode? New, string Source, DateTimeOffset At);

    internal sealed record Response(IReadOnlyList<Change> Changes, int Page, int PageSize, long Total, int TotalPages);

    public static async Task<ApiOk<ListingsEnvelope<Response>>> HandleAsync(
        string slug,
        [FromQuery(Name = "field")] string? field,
        [FromQuery(Name = "page")] int? page,
        [FromQuery(Name = "pageSize")] int? pageSize,
        ListingsDbContext db,
        CancellationToken cancellationToken)
    {
        if (!PageRequest.TryCreate(page, pageSize, DefaultPageSize, MaxPageSize, out var request, out var problem))
        {
            throw new ApiErrorException(ApiError.InvalidField(page is < 1 ? "page" : "pageSize", problem!));
        }

        var providerId = await ProviderIds.FindAsync(db, slug, cancellationToken);
        if (providerId is null)
        {
            throw ListingsResults.NotFound(slug);
        }

        var changes = db.ListingChanges.AsNoTracking().Where(c => c.ProviderId == providerId);
        if (field is not null)
        {
            changes = changes.Where(c => c.Field == field);
        }

        var result = (await changes.OrderByDescending(c => c.ChangedAt).ThenByDescending(c => c.Id).ToPageAsync(request, cancellationToken))
            .Map(c => new Change(c.Field, ListingChange.Parse(c.OldValue), ListingChange.Parse(c.NewValue), c.Source, c.ChangedAt));
        return ListingsResults.Ok($"History of provider \"{slug}\"",
            new Response(result.Items, result.Number, result.PageSize, result.Total, result.TotalPages));
    }
}
