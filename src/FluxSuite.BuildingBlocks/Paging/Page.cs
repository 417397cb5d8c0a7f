namespace FluxSuite.BuildingBlocks.Paging;

/// <summary>
/// A 1-based page request. <see cref="TryCreate"/> checks values read from a query (out of range is an
/// error, never clamped); a module that checks them itself, to name its own parameters, constructs one directly.
/// </summary>
public readonly record struct PageRequest(int Page, int PageSize)
{
    /// <summary>Rows before the page; a long, because any valid page times any valid size must not overflow.</summary>
    public long Offset => (long)(Page - 1) * PageSize;

    /// <summary>Builds a request from optional query values; out-of-range values are an error, not silently fixed.</summary>
    public static bool TryCreate(int? page, int? pageSize, int defaultSize, int maxSize, out PageRequest request, out string? problem)
    {
        request = default;
        problem = null;
        var p = page ?? 1;
        var s = pageSize ?? defaultSize;
        if (p < 1)
        {
            problem = "page must be 1 or more.";
            return false;
        }

        if (s < 1 || s > maxSize)
        {
            problem = $"page size must be between 1 and {maxSize}.";
            return false;
        }

        request = new PageRequest(p, s);
        return true;
    }
}

/// <summary>One page of results and the total across all pages.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Number, int PageSize, long Total)
{
    public int TotalPages => PageSize == 0 ? 0 : (int)((Total + PageSize - 1) / PageSize);
}
