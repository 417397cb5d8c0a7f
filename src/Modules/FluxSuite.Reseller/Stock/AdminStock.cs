namespace FluxSuite.Reseller.Stock;

/// <summary>
/// What the operator stock routes (<c>PUT /admin/pools/{pool}</c>, <c>PUT /admin/stock/dedicated-mobile</c>) share.
/// Stock is per mode: <c>?mode=test</c> sets the sandbox's (default <c>live</c>).
/// </summary>
internal static class AdminStock
{
    public const int MaxStock = 1_000_000;
}
