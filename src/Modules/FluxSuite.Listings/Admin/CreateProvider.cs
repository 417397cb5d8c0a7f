using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Providers;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Admin;

/// <summary><c>POST /admin/providers</c> <c>{slug, name, …any listing field}</c>: an operator lists a provider.</summary>
internal static class CreateProvider
{
    public static async Task<ApiCreated<ListingsEnvelope<ProviderView>>> HandleAsync(HttpContext context, ListingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var patch = await ListingPatchBody.ReadAsync(context.Request, PatchMode.Create, cancellationToken);

        var now = clock.GetUtcNow();
        var provider = new Provider { Id = Guid.CreateVersion7(now), CreatedAt = now, UpdatedAt = now };
        var changes = ListingEditor.Apply(provider, patch, ChangeSource.Admin, now);
        db.Providers.Add(provider);
        db.ListingChanges.AddRange(changes);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw new ApiErrorException(SlugTaken(provider.Slug));
        }

        return ListingsResults.Created($"/api/providers/{provider.Slug}", $"Provider \"{provider.Slug}\" created successfully",
            ProviderView.From(provider));
    }

    public static ApiError SlugTaken(string slug) =>
        new(StatusCodes.Status409Conflict, ApiErrorCodes.Conflict, $"slug: a provider with slug \"{slug}\" already exists.")
        {
            Errors = new Dictionary<string, string[]> { ["slug"] = [$"\"{slug}\" is taken."] },
        };
}
