using FluxSuite.Metering.Common;
using Microsoft.AspNetCore.WebUtilities;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary>Previous/next links under a list: the current URL with another <c>page</c>.</summary>
internal sealed record Pager(int Page, int TotalPages)
{
    public static Pager? Of<T>(ListResponse<T>? list) => list is null ? null : new Pager(list.Page, list.TotalPages);

    public static string Link(HttpRequest request, int page)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query.Where(q => q.Key != "page")
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString()))
            .Append(new KeyValuePair<string, string?>("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return QueryHelpers.AddQueryString(request.Path, query);
    }
}
