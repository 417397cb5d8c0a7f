namespace FluxSuite.Reseller.Catalog;

/// <summary>The 15 products of the reference, spelled on the wire as the reference spells them.</summary>
internal enum Product
{
    ResidentialLite,
    Residential,
    Mobile,
    Datacenter,
    SharedIsp,
    Ipv6Residential,
    Ipv6Datacenter,
    Pool1,
    Pool2,
    Pool3,
    Pool4,
    Pool5,
    UnlimitedResidential,
    DedicatedMobile,
    DedicatedIsp,
}

/// <summary>How a product is bought and charged.</summary>
internal enum BillingModel
{
    /// <summary>Per GB: <c>bandwidth_gb × price_per_gb_cents</c>.</summary>
    Bandwidth,

    /// <summary>Per GB or per time (<c>billing_type</c> chooses).</summary>
    Hybrid,

    /// <summary>Per day at a bandwidth cap, or a trial.</summary>
    Unlimited,

    /// <summary>Per day, per location, from stock.</summary>
    DedicatedMobile,

    /// <summary>Per IP for 30-day periods, from a pool's stock.</summary>
    DedicatedIsp,
}

/// <summary>What a plan's <c>billing_type</c> says: charged by volume or by time.</summary>
internal enum BillingType
{
    Bandwidth,
    Time,
}

/// <summary>Live (<c>/api/v1</c>, fp_live_ keys) or test (<c>/sandbox/api/v1</c>, fp_test_ keys) data.</summary>
internal enum Mode
{
    Live,
    Test,
}

internal static class Products
{
    private static readonly Dictionary<Product, string> Names = new()
    {
        [Product.ResidentialLite] = "residential-lite",
        [Product.Residential] = "residential",
        [Product.Mobile] = "mobile",
        [Product.Datacenter] = "datacenter",
        [Product.SharedIsp] = "shared_isp",
        [Product.Ipv6Residential] = "ipv6-residential",
        [Product.Ipv6Datacenter] = "ipv6-datacenter",
        [Product.Pool1] = "pool1",
        [Product.Pool2] = "pool2",
        [Product.Pool3] = "pool3",
        [Product.Pool4] = "pool4",
        [Product.Pool5] = "pool5",
        [Product.UnlimitedResidential] = "unlimited_residential",
        [Product.DedicatedMobile] = "dedicated_mobile",
        [Product.DedicatedIsp] = "dedicated_isp",
    };

    private static readonly Dictionary<string, Product> ByName =
        Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static IReadOnlyList<Product> All { get; } = Enum.GetValues<Product>();

    /// <summary>The wire names, for error messages and the OpenAPI enum.</summary>
    public static string AllNames { get; } = string.Join(", ", Names.Values);

    public static string WireName(this Product product) => Names[product];

    public static bool TryParse(string? value, out Product product) =>
        ByName.TryGetValue(value ?? string.Empty, out product);

    public static Product Parse(string value) =>
        ByName.TryGetValue(value, out var product) ? product : throw new FormatException($"Unknown product '{value}'.");

    public static BillingModel Billing(this Product product) => product switch
    {
        Product.Datacenter or Product.SharedIsp or Product.Ipv6Residential or Product.Ipv6Datacenter => BillingModel.Hybrid,
        Product.UnlimitedResidential => BillingModel.Unlimited,
        Product.DedicatedMobile => BillingModel.DedicatedMobile,
        Product.DedicatedIsp => BillingModel.DedicatedIsp,
        _ => BillingModel.Bandwidth,
    };

    /// <summary>Products that can be bought per GB (pure bandwidth and the hybrids).</summary>
    public static bool SellsBandwidth(this Product product) =>
        product.Billing() is BillingModel.Bandwidth or BillingModel.Hybrid;

    public static string WireName(this BillingType type) => type == BillingType.Bandwidth ? "bandwidth" : "time";

    public static bool TryParseBillingType(string? value, out BillingType type)
    {
        type = value == "time" ? BillingType.Time : BillingType.Bandwidth;
        return value is "bandwidth" or "time";
    }

    public static string WireName(this Mode mode) => mode == Mode.Live ? "live" : "test";

    public static bool TryParseMode(string? value, out Mode mode)
    {
        mode = value == "test" ? Mode.Test : Mode.Live;
        return value is "live" or "test";
    }

    public static Mode ParseMode(string value) =>
        TryParseMode(value, out var mode) ? mode : throw new FormatException($"Unknown mode '{value}'.");
}
