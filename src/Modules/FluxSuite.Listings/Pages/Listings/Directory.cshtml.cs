using FluxSuite.BuildingBlocks.Pages;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Directory;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FluxSuite.Listings.Pages.Listings;

/// <summary>
/// <c>/providers</c>: the directory as cards. The query string is the directory API's own (same names,
/// same meaning), read by the same handler, so a filtered page is a link to share and a bad filter
/// shows the API's message next to the field.
/// </summary>
internal sealed class DirectoryModel(ListingsDbContext db) : PageModel
{
    /// <summary>The API's query parameters, in the order a URL lists them.</summary>
    public static readonly string[] Parameters =
        ["q", "type", "country", "tier", "verified", "acceptsFlux", "acceptsStripe", "acceptsFiat", "includeDemo", "sort", "order", "page", "pageSize"];

    public HandlerOutcome<ListingsEnvelope<ListProviders.Response>> Result { get; private set; } = null!;

    public ListProviders.Response? Directory => Result.Value?.Data;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // The filter form sends every field; an empty one means "any". Leave those out of the URL people share.
        if (Request.Query.Any(p => p.Value.All(string.IsNullOrEmpty)))
        {
            return Redirect(Link(null, null));
        }

        var query = new ListProviders.Query(
            Value("type"), Value("country"), Value("tier"), Value("verified"), Value("acceptsFlux"), Value("acceptsStripe"),
            Value("acceptsFiat"), Value("q"), Value("sort"), Value("order"), Value("page"), Value("pageSize"), Value("includeDemo"));
        Result = await HandlerCalls.CallAsync(ListProviders.HandleAsync(query, db, cancellationToken));
        if (!Result.Succeeded)
        {
            Response.StatusCode = Result.Error!.Status;
        }

        return Page();
    }

    public string? Value(string name) => Request.Query.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    public bool IsChecked(string name) => Value(name) == "true";

    /// <summary>This directory's URL with one parameter set (or removed, with a null value); empty parameters dropped.</summary>
    public string Link(string? name, string? value) => "/providers" + QueryString.Create(Filters(name, value)).ToUriComponent();

    /// <summary>The current query string (without <c>?</c>), which a profile carries so that "Back to Providers" returns here.</summary>
    public string CurrentQuery => QueryString.Create(Filters(null, null)).ToUriComponent().TrimStart('?');

    private IEnumerable<KeyValuePair<string, string?>> Filters(string? name, string? value) => Parameters
        .Select(p => new KeyValuePair<string, string?>(p, p == name ? value : Value(p)))
        .Where(p => !string.IsNullOrEmpty(p.Value));
}
