using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Paging;

namespace FluxSuite.Metering.Common;

/// <summary>One page of a list: <c>{"data": [...], "page": 1, "page_size": 20, "total": 42, "total_pages": 3}</c>.</summary>
internal sealed record ListResponse<T>(
    IReadOnlyList<T> Data,
    int Page,
    [property: JsonPropertyName("page_size")] int PageSize,
    long Total,
    [property: JsonPropertyName("total_pages")] int TotalPages)
{
    public static ListResponse<T> From(Page<T> page) => new(page.Items, page.Number, page.PageSize, page.Total, page.TotalPages);
}

internal static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>Reads <c>page</c> and <c>page_size</c>, refusing with the 400 that names the bad one.</summary>
    public static PageRequest Read(int? page, int? pageSize) =>
        PageRequest.TryCreate(page, pageSize, DefaultPageSize, MaxPageSize, out var request, out var message)
            ? request
            : throw Problems.Invalid(page is < 1 ? "page" : "page_size", message!);
}
