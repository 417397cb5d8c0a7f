using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.Reseller.Data;

namespace FluxSuite.Reseller.Stock;

/// <summary>A pool as the reference shows it (camelCase <c>inStock</c>/<c>isSubnet</c>, as the reference has them).</summary>
internal sealed record PoolResponse(
    [property: JsonPropertyName("pool")] string Pool,
    [property: JsonPropertyName("inStock")] bool InStock,
    [property: JsonPropertyName("stock")] int Stock,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("provider"), AllowedValues("ISP", "SN")] string Provider,
    [property: JsonPropertyName("isSubnet")] bool IsSubnet)
{
    public static PoolResponse From(ProxyPool p) => new(p.Name, p.Stock > 0, p.Stock, p.Title, p.Provider, p.IsSubnet);
}
