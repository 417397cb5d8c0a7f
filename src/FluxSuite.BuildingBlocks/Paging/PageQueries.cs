using Microsoft.EntityFrameworkCore;

namespace FluxSuite.BuildingBlocks.Paging;

/// <summary>Reads one page of an ordered query.</summary>
public static class PageQueries
{
    /// <summary>The total of <paramref name="ordered"/> and the rows of the requested page (two queries).</summary>
    public static async Task<Page<T>> ToPageAsync<T>(this IQueryable<T> ordered, PageRequest request, CancellationToken cancellationToken)
    {
        var total = await ordered.LongCountAsync(cancellationToken);
        // A page past every row is empty, however far past (an offset beyond int's range cannot be skipped).
        var items = request.Offset >= total ? [] : await ordered.Skip((int)request.Offset).Take(request.PageSize).ToListAsync(cancellationToken);
        return new Page<T>(items, request.Page, request.PageSize, total);
    }

    /// <summary>The same page with each item mapped.</summary>
    public static Page<TOut> Map<T, TOut>(this Page<T> page, Func<T, TOut> map)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new Page<TOut>([.. page.Items.Select(map)], page.Number, page.PageSize, page.Total);
    }
}
