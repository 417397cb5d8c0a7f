using System.Text.Json.Serialization;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Invoices;

internal sealed record AppliedTierResponse(
    int Tier,
    [property: JsonPropertyName("up_to")] decimal? UpTo,
    [property: JsonPropertyName("unit_price")] decimal UnitPrice,
    [property: JsonPropertyName("flat_fee")] decimal FlatFee,
    decimal Units,
    decimal Amount);

/// <summary>
/// A line: <c>quantity</c> and <c>amount</c> are this invoice's; <c>period_quantity</c> and
/// <c>period_amount</c> the period's up to the end of the invoice's range, of which earlier invoices of
/// the period already billed <c>previously_billed</c>. <c>unit_price</c> (FIXED, per_unit), <c>tiers</c>
/// (graduated: every tier reached; volume: the tier applied) or the package fields say how the price was reached.
/// </summary>
internal sealed record InvoiceLineResponse(
    [property: JsonPropertyName("charge_id")] Guid ChargeId,
    string Type,
    string Description,
    [property: JsonPropertyName("meter_id")] Guid? MeterId,
    [property: JsonPropertyName("pricing_model")] string? PricingModel,
    decimal Quantity,
    [property: JsonPropertyName("period_quantity")] decimal PeriodQuantity,
    [property: JsonPropertyName("unit_price")] decimal? UnitPrice,
    IReadOnlyList<AppliedTierResponse>? Tiers,
    [property: JsonPropertyName("package_size")] decimal? PackageSize,
    [property: JsonPropertyName("package_price")] decimal? PackagePrice,
    decimal? Packages,
    [property: JsonPropertyName("period_amount")] decimal PeriodAmount,
    [property: JsonPropertyName("previously_billed")] decimal PreviouslyBilled,
    decimal Amount)
{
    public static InvoiceLineResponse From(InvoiceLine l) => new(
        l.ChargeId, l.Type, l.Description, l.MeterId, l.PricingModel, l.Quantity.Normalize(), l.PeriodQuantity.Normalize(), l.UnitPrice.Normalize(),
        l.Tiers?.Select(t => new AppliedTierResponse(t.Tier, t.UpTo.Normalize(), t.UnitPrice.Normalize(), t.FlatFee.Normalize(), t.Units.Normalize(), t.Amount.Normalize())).ToList(),
        l.PackageSize.Normalize(), l.PackagePrice.Normalize(), l.Packages.Normalize(), l.PeriodAmount.Normalize(), l.PreviouslyBilled.Normalize(), l.Amount.Normalize());
}

/// <summary>The invoice's email: <c>pending</c>, <c>sending</c>, <c>sent</c>, <c>failed</c>, <c>canceled</c> or <c>skipped</c>, with the server's last answer.</summary>
internal sealed record InvoiceEmailResponse(
    string Status,
    string? Recipient,
    int Attempts,
    [property: JsonPropertyName("next_attempt_at")] DateTimeOffset? NextAttemptAt,
    [property: JsonPropertyName("sent_at")] DateTimeOffset? SentAt,
    [property: JsonPropertyName("last_response")] string? LastResponse)
{
    public static InvoiceEmailResponse? From(InvoiceEmail? e) => e is null
        ? null
        : new InvoiceEmailResponse(e.Status, e.Recipient, e.Attempts, e.Status == InvoiceEmailStatuses.Pending ? e.NextAttemptAt : null, e.SentAt, e.LastResponse);
}

internal sealed record InvoiceResponse(
    Guid Id,
    string? Number,
    string Status,
    [property: JsonPropertyName("customer_id")] Guid CustomerId,
    [property: JsonPropertyName("customer_name")] string CustomerName,
    [property: JsonPropertyName("customer_email")] string? CustomerEmail,
    [property: JsonPropertyName("subscription_id")] Guid SubscriptionId,
    [property: JsonPropertyName("plan_id")] Guid PlanId,
    [property: JsonPropertyName("plan_name")] string PlanName,
    string Currency,
    [property: JsonPropertyName("period_start")] DateTimeOffset PeriodStart,
    [property: JsonPropertyName("period_end")] DateTimeOffset PeriodEnd,
    [property: JsonPropertyName("range_start")] DateTimeOffset RangeStart,
    [property: JsonPropertyName("range_end")] DateTimeOffset RangeEnd,
    [property: JsonPropertyName("closes_period")] bool ClosesPeriod,
    IReadOnlyList<InvoiceLineResponse> Lines,
    decimal Total,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("finalizes_at")] DateTimeOffset? FinalizesAt,
    [property: JsonPropertyName("issued_at")] DateTimeOffset? IssuedAt,
    [property: JsonPropertyName("due_at")] DateTimeOffset? DueAt,
    [property: JsonPropertyName("paid_at")] DateTimeOffset? PaidAt,
    [property: JsonPropertyName("voided_at")] DateTimeOffset? VoidedAt,
    InvoiceEmailResponse? Email,
    [property: JsonPropertyName("html_url")] string HtmlUrl)
{
    /// <summary>The invoice; <paramref name="gracePeriod"/> tells a DRAFT when the finalize job takes it.</summary>
    public static InvoiceResponse From(Invoice i, InvoiceEmail? email, TimeSpan gracePeriod) => new(
        i.Id, i.Number, i.Status, i.CustomerId, i.CustomerName, i.CustomerEmail, i.SubscriptionId, i.PlanId, i.PlanName, i.Currency,
        i.PeriodStart, i.PeriodEnd, i.RangeStart, i.RangeEnd, i.ClosesPeriod,
        [.. i.Lines.OrderBy(l => l.Position).Select(InvoiceLineResponse.From)], i.Total.Normalize(),
        i.CreatedAt, i.Status == InvoiceStatuses.Draft ? i.CreatedAt + gracePeriod : null, i.IssuedAt, i.DueAt, i.PaidAt, i.VoidedAt,
        InvoiceEmailResponse.From(email), $"{MeteringModule.ApiBase}/invoices/{i.Id}/html");
}
