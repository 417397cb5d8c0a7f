using System.Linq.Expressions;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Paging;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Providers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Directory;

/// <summary><c>GET /api/providers</c>: the public directory, filtered, sorted and paged.</summary>
internal static class ListProviders
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static readonly IReadOnlyList<string> Sorts = ["rating", "price", "totalNodes", "uptimePercentage", "name", "updatedAt"];

    internal sealed record Query(
        [property: FromQuery(Name = "type")] string? Type,
        [property: FromQuery(Name = "country")] string? Country,
        [property: FromQuery(Name = "tier")] string? Tier,
        [property: FromQuery(Name = "verified")] string? Verified,
        [property: FromQuery(Name = "acceptsFlux")] string? AcceptsFlux,
        [property: FromQuery(Name = "acceptsStripe")] string? AcceptsStripe,
        [property: FromQuery(Name = "acceptsFiat")] string? AcceptsFiat,
        [property: FromQuery(Name = "q")] string? Q,
        [property: FromQuery(Name = "sort")] string? Sort,
        [property: FromQuery(Name = "order")] string? Order,
        [property: FromQuery(Name = "page")] string? Page,
        [property: FromQuery(Name = "pageSize")] string? PageSize,
        [property: FromQuery(Name = "includeDemo")] string? IncludeDemo);

    /// <summary>The query with its flags and numbers read; problems are added to the errors.</summary>
    private sealed record Flags(bool? Verified, bool? AcceptsFlux, bool? AcceptsStripe, bool? AcceptsFiat, bool IncludeDemo);

    internal sealed record Response(IReadOnlyList<ProviderView> Providers, int Page, int PageSize, long Total, int TotalPages);

    public static async Task<ApiOk<ListingsEnvelope<Response>>> HandleAsync([AsParameters] Query query, ListingsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (query.Type is { } type && !FieldReaders.ProviderTypes.Contains(type, StringComparer.Ordinal))
        {
            errors.Add("type", $"must be one of {string.Join(", ", FieldReaders.ProviderTypes)}.");
        }

        if (query.Tier is { } tier && !FieldReaders.TierNames.Contains(tier, StringComparer.Ordinal))
        {
            errors.Add("tier", $"must be one of {string.Join(", ", FieldReaders.TierNames)}.");
        }

        var sort = query.Sort ?? "rating";
        if (!Sorts.Contains(sort, StringComparer.Ordinal))
        {
            errors.Add("sort", $"must be one of {string.Join(", ", Sorts)}.");
        }
        else if (sort == "price" && query.Tier is null)
        {
            errors.Add("tier", "is required when sort=price: the price of which tier (cumulus, nimbus or stratus)?");
        }

        if (query.Order is { } order && order is not ("asc" or "desc"))
        {
            errors.Add("order", "must be asc or desc.");
        }

        if (query.Q is { Length: > 100 })
        {
            errors.Add("q", "must be at most 100 characters.");
        }

        if (query.Country is { Length: > 100 })
        {
            errors.Add("country", "must be at most 100 characters.");
        }

        var flags = new Flags(
            Flag(query.Verified, "verified", errors), Flag(query.AcceptsFlux, "acceptsFlux", errors),
            Flag(query.AcceptsStripe, "acceptsStripe", errors), Flag(query.AcceptsFiat, "acceptsFiat", errors),
            Flag(query.IncludeDemo, "includeDemo", errors) ?? false);
        var pageNumber = Number(query.Page, "page", errors);
        var pageSize = Number(query.PageSize, "pageSize", errors);
        if (!PageRequest.TryCreate(pageNumber, pageSize, DefaultPageSize, MaxPageSize, out var page, out var pageProblem))
        {
            errors.Add(pageNumber is < 1 ? "page" : "pageSize", pageProblem!);
        }

        errors.ThrowIfAny();

        var filtered = Filter(db.Providers.AsNoTracking(), query, flags);
        var result = (await Sort(filtered, sort, query.Order, query.Tier).ToPageAsync(page, cancellationToken)).Map(ProviderView.From);
        return ListingsResults.Ok("Providers retrieved successfully",
            new Response(result.Items, result.Number, result.PageSize, result.Total, result.TotalPages));
    }

    private static IQueryable<Provider> Filter(IQueryable<Provider> providers, Query query, Flags flags)
    {
        if (!flags.IncludeDemo)
        {
            providers = providers.Where(p => !p.IsDemo);
        }

        if (query.Type is { } type)
        {
            providers = providers.Where(p => p.Type == type);
        }

        if (!string.IsNullOrWhiteSpace(query.Country))
        {
            var country = query.Country.Trim().ToLowerInvariant();
            providers = providers.Where(p => p.Country != null && p.Country.ToLower() == country);
        }

        if (query.Tier is { } tier)
        {
            var price = TierPrice(tier);
            providers = providers.Where(Expression.Lambda<Func<Provider, bool>>(
                Expression.NotEqual(price.Body, Expression.Constant(null, typeof(decimal?))), price.Parameters));
        }

        if (flags.Verified is { } verified)
        {
            providers = providers.Where(p => p.Verified == verified);
        }

        if (flags.AcceptsFlux is { } flux)
        {
            providers = providers.Where(p => p.AcceptsFlux == flux);
        }

        if (flags.AcceptsStripe is { } stripe)
        {
            providers = providers.Where(p => p.AcceptsStripe == stripe);
        }

        if (flags.AcceptsFiat is { } fiat)
        {
            providers = providers.Where(p => p.AcceptsFiat == fiat);
        }

        if (!string.IsNullOrWhiteSpace(query.Q))
        {
            var pattern = LikePattern.Containing(query.Q.Trim());
            providers = providers.Where(p => EF.Functions.ILike(p.Name, pattern, LikePattern.Escape)
                                             || (p.Description != null && EF.Functions.ILike(p.Description, pattern, LikePattern.Escape)));
        }

        return providers;
    }

    /// <summary>Sorts with listings that lack the value last either way, then by slug so pages are stable.</summary>
    private static IOrderedQueryable<Provider> Sort(IQueryable<Provider> providers, string sort, string? order, string? tier) => sort switch
    {
        "price" => By(providers, TierPrice(tier!), descending: order == "desc"),
        "totalNodes" => By(providers, p => p.TotalNodes, descending: order != "asc"),
        "uptimePercentage" => By(providers, p => p.UptimePercentage, descending: order != "asc"),
        "name" => (order == "desc" ? providers.OrderByDescending(p => p.Name) : providers.OrderBy(p => p.Name)).ThenBy(p => p.Slug),
        "updatedAt" => (order == "asc" ? providers.OrderBy(p => p.UpdatedAt) : providers.OrderByDescending(p => p.UpdatedAt)).ThenBy(p => p.Slug),
        _ => By(providers, p => p.Rating, descending: order != "asc"),
    };

    private static IOrderedQueryable<Provider> By<T>(IQueryable<Provider> providers, Expression<Func<Provider, T?>> key, bool descending)
        where T : struct
    {
        var isNull = Expression.Lambda<Func<Provider, bool>>(
            Expression.Equal(key.Body, Expression.Constant(null, typeof(T?))), key.Parameters);
        var nullsLast = providers.OrderBy(isNull);
        return (descending ? nullsLast.ThenByDescending(key) : nullsLast.ThenBy(key)).ThenBy(p => p.Slug);
    }

    private static Expression<Func<Provider, decimal?>> TierPrice(string tier) => p => TierPrices.Of(p.Tiers, tier);

    private static bool? Flag(string? value, string name, FieldErrors errors)
    {
        switch (value)
        {
            case null:
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                errors.Add(name, "must be true or false.");
                return null;
        }
    }

    private static int? Number(string? value, string name, FieldErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        errors.Add(name, "must be a whole number.");
        return null;
    }
}
