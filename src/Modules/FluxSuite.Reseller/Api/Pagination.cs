using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Paging;

namespace FluxSuite.Reseller.Api;

/// <summary>Paging as the list endpoints report it.</summary>
internal sealed record Pagination(
    [property: JsonPropertyName("page")] int Page,
    [property: JsonPropertyName("per_page")] int PerPage,
    [property: JsonPropertyName("total")] long Total,
    [property: JsonPropertyName("total_pages")] int TotalPages)
{
    public static Pagination For<T>(Page<T> page) => new(page.Number, page.PageSize, page.Total, page.TotalPages);
}
