using FluxSuite.Listings.Providers;

namespace FluxSuite.Listings.Push;

/// <summary>
/// The body of <c>PATCH /api/providers/{slug}</c> as the OpenAPI document describes it: every field a
/// provider may set, all optional. (The endpoint reads the body itself, to tell an absent field from
/// a null one; this type only documents it.)
/// </summary>
internal class ProviderFieldsDocument
{
    /// <summary>May be left out, never null: a listing always has a name.</summary>
    public string Name { get; init; } = null!;

    public string? Description { get; init; }

    public string? LongDescription { get; init; }

    public string? Website { get; init; }

    public string? Discord { get; init; }

    public string? Country { get; init; }

    public string? Type { get; init; }

    public IReadOnlyList<PricingTier>? Tiers { get; init; }

    public string? Comments { get; init; }

    public bool? HasDiscount { get; init; }

    public int? TotalNodes { get; init; }

    public int? TotalClients { get; init; }

    public decimal? UptimePercentage { get; init; }

    public decimal? ResponseTimeHours { get; init; }

    public decimal? PnrEligiblePercent { get; init; }

    public decimal? ArcaneOsPercent { get; init; }

    public int? DataCenters { get; init; }

    public decimal? Sla { get; init; }

    public IReadOnlyList<string>? Languages { get; init; }

    public bool? AcceptsFlux { get; init; }

    public bool? AcceptsStripe { get; init; }

    public bool? AcceptsFiat { get; init; }

    public IReadOnlyList<string>? SupportChannels { get; init; }

    public bool? WhiteLabel { get; init; }

    public bool? AutoRenew { get; init; }

    public bool? DelegationAvailable { get; init; }
}

/// <summary>
/// The body of the operator's <c>POST</c> and <c>PATCH /admin/providers</c>: the provider's fields plus
/// the protected ones. <c>slug</c> and <c>name</c> are required on create.
/// </summary>
internal sealed class OperatorFieldsDocument : ProviderFieldsDocument
{
    public string Slug { get; init; } = null!;

    public bool FluxLabsPartner { get; init; }

    public bool Verified { get; init; }

    public bool IsDemo { get; init; }

    public decimal? Rating { get; init; }

    public int ReviewCount { get; init; }
}
