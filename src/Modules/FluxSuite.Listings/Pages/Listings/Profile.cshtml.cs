using FluxSuite.BuildingBlocks.Pages;
using FluxSuite.Listings.Data;
using FluxSuite.Listings.Directory;
using FluxSuite.Listings.Providers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace FluxSuite.Listings.Pages.Listings;

/// <summary><c>/providers/{slug}</c>: everything the listing holds, read by the API's own handler.</summary>
internal sealed class ProfileModel(ListingsDbContext db) : PageModel
{
    public ProviderView Provider { get; private set; } = null!;

    /// <summary>"Back to Providers": the directory with the filters the visitor came from (only ever a query string of /providers).</summary>
    public string BackLink { get; private set; } = "/providers";

    public async Task<IActionResult> OnGetAsync(string slug, [FromQuery(Name = "back")] string? back, CancellationToken cancellationToken)
    {
        var result = await HandlerCalls.CallAsync(GetProvider.HandleAsync(slug, db, cancellationToken));
        if (!result.Succeeded)
        {
            return new ErrorPageResult(result.Error!);
        }

        Provider = result.Value!.Data;
        if (!string.IsNullOrEmpty(back))
        {
            var filters = QueryHelpers.ParseQuery(back.TrimStart('?'))
                .Where(p => DirectoryModel.Parameters.Contains(p.Key, StringComparer.Ordinal))
                .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.FirstOrDefault()));
            BackLink = QueryHelpers.AddQueryString("/providers", filters);
        }

        return Page();
    }

    /// <summary>Only http(s) addresses become links; the API accepts no others, and a page never trusts that alone.</summary>
    public static bool IsLink(string? url) => url is not null && FieldReaders.IsHttpUrl(url);
}
