using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Pricing;

namespace FluxSuite.Reseller.Plans;

/// <summary>The reference's PlanResponse <c>data</c>.</summary>
internal sealed record PlanResponse(
    [property: JsonPropertyName("plan_id")] Guid PlanId,
    [property: JsonPropertyName("product"), AllowedValues("residential-lite", "residential", "mobile", "datacenter", "shared_isp", "ipv6-residential", "ipv6-datacenter", "pool1", "pool2", "pool3", "pool4", "pool5", "unlimited_residential", "dedicated_mobile", "dedicated_isp")] string Product,
    [property: JsonPropertyName("billing_type"), AllowedValues("bandwidth", "time")] string BillingType,
    [property: JsonPropertyName("proxy_username")] string ProxyUsername,
    [property: JsonPropertyName("proxy_password")] string ProxyPassword,
    [property: JsonPropertyName("connection")] PlanConnection Connection,
    [property: JsonPropertyName("limits")] PlanLimits Limits,
    [property: JsonPropertyName("location")] string? Location,
    [property: JsonPropertyName("expires_at")] DateTime? ExpiresAt,
    [property: JsonPropertyName("status"), AllowedValues("active", "expired", "cancelled")] string Status,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("billing")] PlanBilling Billing,
    [property: JsonPropertyName("end_user_reference")] string? EndUserReference,
    [property: JsonPropertyName("sub_user_id")] Guid? SubUserId)
{
    public static PlanResponse From(Plan plan, ConnectionEndpoint endpoint, DateTimeOffset now) => new(
        plan.Id,
        plan.Product.WireName(),
        plan.BillingType.WireName(),
        plan.ProxyUsername,
        plan.ProxyPassword,
        new PlanConnection(plan.Hostname, plan.PortHttp, plan.PortSocks,
            $"{plan.ProxyUsername}{endpoint.UsernameSuffix}:{plan.ProxyPassword}@{plan.Hostname}:{plan.PortHttp}"),
        new PlanLimits(plan.MaxBytes is { } max ? Gb(max) : null, plan.MaxBytes, plan.BytesUsed, plan.BandwidthMbps,
            plan.MaxBytes is { } cap && plan.BytesUsed >= cap, plan.OverageBytes),
        plan.Location,
        plan.ExpiresAt?.UtcDateTime,
        PlanQueries.StatusAt(plan, now),
        plan.CreatedAt.UtcDateTime,
        new PlanBilling(plan.Mode.WireName(), plan.PricePerGbCents, plan.CostCents, Money.Format(plan.CostCents)),
        plan.EndUserReference,
        plan.SubUserId);

    /// <summary>Bytes as decimal GB (10^9 bytes), to the MB.</summary>
    public static decimal Gb(long bytes) => Math.Round((decimal)bytes / Cost.BytesPerGb, 3, MidpointRounding.AwayFromZero);
}

internal sealed record PlanConnection(
    [property: JsonPropertyName("hostname")] string Hostname,
    [property: JsonPropertyName("port_http")] int PortHttp,
    [property: JsonPropertyName("port_socks")] int PortSocks,
    [property: JsonPropertyName("format")] string Format);

/// <summary>
/// The reference's limits, plus <c>exhausted</c> (a bandwidth plan whose <c>bytes_used</c> reached <c>max_bytes</c>:
/// it accepts no more traffic until extended) and <c>overage_bytes</c> (reported traffic it did not accept).
/// </summary>
internal sealed record PlanLimits(
    [property: JsonPropertyName("max_gb")] decimal? MaxGb,
    [property: JsonPropertyName("max_bytes")] long? MaxBytes,
    [property: JsonPropertyName("bytes_used")] long BytesUsed,
    [property: JsonPropertyName("bandwidth_mbps")] int? BandwidthMbps,
    [property: JsonPropertyName("exhausted")] bool Exhausted,
    [property: JsonPropertyName("overage_bytes")] long OverageBytes);

/// <summary><c>mode</c> is <c>live</c> or <c>test</c> (sandbox); <c>cost_cents</c> is everything charged for the plan so far.</summary>
internal sealed record PlanBilling(
    [property: JsonPropertyName("mode"), AllowedValues("live", "test")] string Mode,
    [property: JsonPropertyName("price_per_gb_cents")] long? PricePerGbCents,
    [property: JsonPropertyName("cost_cents")] long CostCents,
    [property: JsonPropertyName("cost_formatted")] string CostFormatted);

internal static class PlanQueries
{
    /// <summary>A plan reads as expired from its <c>expires_at</c> on, whether or not the expiry job has marked it yet.</summary>
    public static string StatusAt(Plan plan, DateTimeOffset now) =>
        plan.Status == PlanStatus.Active && plan.ExpiresAt <= now ? PlanStatus.Expired : plan.Status;

    public static IQueryable<Plan> Active(IQueryable<Plan> plans, DateTimeOffset now) =>
        plans.Where(p => p.Status == PlanStatus.Active && (p.ExpiresAt == null || p.ExpiresAt > now));

    public static IQueryable<Plan> Expired(IQueryable<Plan> plans, DateTimeOffset now) =>
        plans.Where(p => p.Status == PlanStatus.Expired || (p.Status == PlanStatus.Active && p.ExpiresAt <= now));
}
