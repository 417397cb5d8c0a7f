using FluxSuite.Listings.Providers;

namespace FluxSuite.Listings.Push;

/// <summary>
/// The body of <c>PATCH /api/providers/{slug}</c> as the OpenAPI document describes it: every field a
/// provider may set, all optional. (The endpoint reads the body itself, to tell an absent field from
/// a null one; this type only documents it.)
/// </summary>
internal sealed record ProviderFieldsDocument(
    string? Name,
    string? Description,
    string? LongDescription,
    string? Website,
    string? Discord,
    string? Country,
    string? Type,
    IReadOnlyList<PricingTier>? Tiers,
    string? Comments,
    bool? HasDiscount,
    int? TotalNodes,
    int? TotalClients,
    decimal? UptimePercentage,
    decimal? ResponseTimeHours,
    decimal? PnrEligiblePercent,
    decimal? ArcaneOsPercent,
    int? DataCenters,
    decimal? Sla,
    IReadOnlyList<string>? Languages,
    bool? AcceptsFlux,
    bool? AcceptsStripe,
    bool? AcceptsFiat,
    IReadOnlyList<string>? SupportChannels,
    bool? WhiteLabel,
    bool? AutoRenew,
    bool? DelegationAvailable);

/// <summary>
/// The body of the operator's <c>POST</c> and <c>PATCH /admin/providers</c>: the provider's fields plus
/// the protected ones. <c>slug</c> and <c>name</c> are required on create.
/// </summary>
internal sealed record OperatorFieldsDocument(
    string? Slug,
    string? Name,
    string? Description,
    string? LongDescription,
    string? Website,
    string? Discord,
    string? Country,
    string? Type,
    IReadOnlyList<PricingTier>? Tiers,
    string? Comments,
    bool? HasDiscount,
    int? TotalNodes,
    int? TotalClients,
    decimal? UptimePercentage,
    decimal? ResponseTimeHours,
    decimal? PnrEligiblePercent,
    decimal? ArcaneOsPercent,
    int? DataCenters,
    decimal? Sla,
    IReadOnlyList<string>? Languages,
    bool? AcceptsFlux,
    bool? AcceptsStripe,
    bool? AcceptsFiat,
    IReadOnlyList<string>? SupportChannels,
    bool? WhiteLabel,
    bool? AutoRenew,
    bool? DelegationAvailable,
    bool? FluxLabsPartner,
    bool? Verified,
    bool? IsDemo,
    decimal? Rating,
    int? ReviewCount);
