namespace FluxSuite.Listings.Providers;

/// <summary>
/// One listing in the directory. Field names follow the provider API reference; every optional field
/// is nullable (null means "not stated") and the three lists are never null (empty means "none").
/// </summary>
internal sealed class Provider
{
    public Guid Id { get; set; }

    // Identity
    public string Slug { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string? Description { get; set; }

    public string? LongDescription { get; set; }

    public string? Website { get; set; }

    public string? Discord { get; set; }

    public string? Country { get; set; }

    public string? Type { get; set; }

    // Pricing
    public List<PricingTier> Tiers { get; set; } = [];

    public string? Comments { get; set; }

    public bool? HasDiscount { get; set; }

    // Metrics
    public int? TotalNodes { get; set; }

    public int? TotalClients { get; set; }

    public decimal? UptimePercentage { get; set; }

    public decimal? ResponseTimeHours { get; set; }

    public decimal? PnrEligiblePercent { get; set; }

    public decimal? ArcaneOsPercent { get; set; }

    // Infrastructure
    public int? DataCenters { get; set; }

    public decimal? Sla { get; set; }

    public List<string> Languages { get; set; } = [];

    // Payment methods
    public bool? AcceptsFlux { get; set; }

    public bool? AcceptsStripe { get; set; }

    public bool? AcceptsFiat { get; set; }

    // Services
    public List<string> SupportChannels { get; set; } = [];

    public bool? WhiteLabel { get; set; }

    public bool? AutoRenew { get; set; }

    public bool? DelegationAvailable { get; set; }

    // Managed by the directory's operators
    public bool FluxLabsPartner { get; set; }

    public bool Verified { get; set; }

    public bool IsDemo { get; set; }

    public decimal? Rating { get; set; }

    public int ReviewCount { get; set; }

    /// <summary>When push last wrote each field (wire name → time): pull leaves these alone for a while.</summary>
    public Dictionary<string, DateTimeOffset> PushedFields { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? LastPushAt { get; set; }

    public DateTimeOffset? LastPullAt { get; set; }
}

/// <summary>One pricing tier: <c>{tier, price, planName}</c>.</summary>
internal sealed record PricingTier(string Tier, decimal Price, string? PlanName);
