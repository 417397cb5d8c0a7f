using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Upstream;

namespace FluxSuite.Reseller;

/// <summary>The <c>Reseller</c> configuration section. Every value has a default, so none is required.</summary>
internal sealed class ResellerOptions
{
    public const string Section = "Reseller";

    /// <summary>Default prices, in cents, for resellers whose price list does not set their own.</summary>
    public PricingDefaults Pricing { get; set; } = new();

    /// <summary>Per-product proxy endpoints shown in plans (the reference's "Proxy Connection Formats").</summary>
    public Dictionary<string, ConnectionEndpoint> Connections { get; set; } = new(StringComparer.Ordinal);

    public RateLimitOptions RateLimit { get; set; } = new();

    public TrialOptions UnlimitedResidentialTrial { get; set; } = new();

    /// <summary>How long an <c>X-Idempotency-Key</c> is remembered.</summary>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a request holding an idempotency key may run before a retry may take the key over. The
    /// original can never commit after that (its completion checks that it still holds the key).
    /// </summary>
    public TimeSpan IdempotencyLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The built-in provider simulation's delays (sandbox, and live until a real adapter is registered).</summary>
    public SimulationOptions Simulation { get; set; } = new();

    public ServerOptions Servers { get; set; } = new();

    /// <summary>
    /// How many usage reports (<c>POST /admin/usage</c>) this instance accounts at a time; the others wait in the
    /// instance for a turn (see docs/reseller.md, "Usage reports take turns"). Null: twice the processor count, at least 2.
    /// </summary>
    public int? ConcurrentUsageReports { get; set; }

    public IpResetLinkOptions IpResetLinks { get; set; } = new();

    /// <summary>The endpoint of a product: the configured one, else the built-in default.</summary>
    public ConnectionEndpoint ConnectionFor(Product product) =>
        Connections.TryGetValue(product.WireName(), out var configured) ? configured : DefaultConnections[product];

    /// <summary>The reference's endpoints; datacenter, shared_isp and the dedicated products are ours (the reference has none).</summary>
    public static IReadOnlyDictionary<Product, ConnectionEndpoint> DefaultConnections { get; } = new Dictionary<Product, ConnectionEndpoint>
    {
        [Product.ResidentialLite] = new("lite.proxyserver.bot", 6969, 9696, string.Empty),
        [Product.Residential] = new("geo.proxyserver.bot", 8080, 1080, string.Empty),
        [Product.Mobile] = new("geo.proxyserver.bot", 8080, 1080, string.Empty),
        [Product.Datacenter] = new("dc.proxyserver.bot", 7777, 7778, string.Empty),
        [Product.SharedIsp] = new("isp.proxyserver.bot", 7000, 7001, string.Empty),
        [Product.Ipv6Residential] = new("v3-v6-resi.proxyserver.bot", 30, 31, "-package-ipv6"),
        [Product.Ipv6Datacenter] = new("v3-v6-dc.proxyserver.bot", 50, 51, string.Empty),
        [Product.Pool1] = new("v3-resi-us.proxyserver.bot", 10000, 11000, "-package-pool1"),
        [Product.Pool2] = new("v3-resi-us.proxyserver.bot", 10000, 11000, "-package-pool2"),
        [Product.Pool3] = new("v3-resi-us.proxyserver.bot", 10000, 11000, "-package-pool3"),
        [Product.Pool4] = new("v3-resi-us.proxyserver.bot", 10000, 11000, "-package-pool4"),
        [Product.Pool5] = new("v3-resi-us.proxyserver.bot", 10000, 11000, "-package-pool5"),
        [Product.UnlimitedResidential] = new("unlim.proxyserver.bot", 12000, 12000, "-zone-custom"),
        // Dedicated products are reached on their own server or IP; the hostname is filled in per plan.
        [Product.DedicatedMobile] = new(string.Empty, 9000, 9000, string.Empty),
        [Product.DedicatedIsp] = new(string.Empty, 10001, 11001, string.Empty),
    };
}

/// <summary>A proxy endpoint: the username is suffixed (<c>-package-pool1</c>) in the connection string.</summary>
internal sealed record ConnectionEndpoint(string Hostname, int HttpPort, int SocksPort, string UsernameSuffix)
{
    public ConnectionEndpoint()
        : this(string.Empty, 0, 0, string.Empty)
    {
    }
}

internal sealed class RateLimitOptions
{
    /// <summary>Requests per <see cref="Window"/> and key (the reference: 100 per minute).</summary>
    public int PermitsPerWindow { get; set; } = 100;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests in flight at once per key (the reference: bursts of up to 20).</summary>
    public int ConcurrentRequests { get; set; } = 20;

    /// <summary>
    /// The most permits of a key's window an instance claims from the shared count at once, to count down in memory; near
    /// the limit it claims fewer, down to one at a time (docs/reseller.md, "Rate limits"). 1 writes the count on every request.
    /// </summary>
    public int PermitBlock { get; set; } = 16;
}

internal sealed class ServerOptions
{
    /// <summary>A dedicated mobile IP may be rotated once per this interval (by the API or a reset link), and not while a rotation is pending.</summary>
    public TimeSpan MinRotationInterval { get; set; } = TimeSpan.FromMinutes(1);
}

internal sealed class IpResetLinkOptions
{
    /// <summary>How long a link works when the request does not say (<c>expires_in</c>).</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The HMAC key links are signed with (base64, 32+ bytes). Unset: a key made once and kept in the database.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The scheme and host links start with (e.g. https://rapi.example.com). Unset: those of the request.</summary>
    public string? PublicBaseUrl { get; set; }
}

internal sealed class TrialOptions
{
    /// <summary>Trial servers per mode; a trial takes one for its duration.</summary>
    public int Servers { get; set; } = 10;

    public TimeSpan Duration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The trial's bandwidth: the reference caps hourly plans at 200 Mbps.</summary>
    public int BandwidthMbps { get; set; } = 200;
}

/// <summary>Default prices in cents. Day prices of hybrid and unlimited products are per 100 Mbps.</summary>
internal sealed class PricingDefaults
{
    public Dictionary<string, long> PricePerGbCents { get; set; } = new(StringComparer.Ordinal)
    {
        ["residential-lite"] = 100,
        ["residential"] = 300,
        ["mobile"] = 400,
        ["datacenter"] = 60,
        ["shared_isp"] = 80,
        ["ipv6-residential"] = 50,
        ["ipv6-datacenter"] = 30,
        // The reference's Residential Pool prices.
        ["pool1"] = 80,
        ["pool2"] = 125,
        ["pool3"] = 150,
        ["pool4"] = 180,
        ["pool5"] = 100,
    };

    public Dictionary<string, long> PricePerDayCents { get; set; } = new(StringComparer.Ordinal)
    {
        ["datacenter"] = 100,
        ["shared_isp"] = 150,
        ["ipv6-residential"] = 120,
        ["ipv6-datacenter"] = 80,
        ["unlimited_residential"] = 800,
    };

    public long UnlimitedTrialPriceCents { get; set; }

    public Dictionary<string, long> DedicatedMobilePricePerDayCents { get; set; } = new(StringComparer.Ordinal)
    {
        ["NL"] = 1500,
        ["UK"] = 1800,
    };

    public long DedicatedIspPricePerIp30DaysCents { get; set; } = 300;
}
