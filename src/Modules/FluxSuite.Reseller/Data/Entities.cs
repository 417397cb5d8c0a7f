using FluxSuite.Reseller.Catalog;

namespace FluxSuite.Reseller.Data;

internal sealed class ResellerAccount
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Email { get; set; }

    /// <summary><c>active</c> or <c>suspended</c>.</summary>
    public required string Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal static class ResellerStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";
}

/// <summary>An API key, stored as its SHA-256; the plaintext is shown once, when it is made.</summary>
internal sealed class ResellerKey
{
    public Guid Id { get; set; }

    public Guid ResellerId { get; set; }

    public Mode Mode { get; set; }

    public required string KeyHash { get; set; }

    /// <summary>The first characters (<c>fp_live_AbCd</c>), to tell keys apart without revealing them.</summary>
    public required string KeyPrefix { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>When the key last authenticated a request, to the minute (see KeyLastUse); null when never.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>A reseller's money in one mode. Changed only together with a <see cref="LedgerEntry"/> of the same amount.</summary>
internal sealed class Balance
{
    public Guid ResellerId { get; set; }

    public Mode Mode { get; set; }

    public long BalanceCents { get; set; }

    /// <summary>Purchases, extensions and upgrades, less refunds.</summary>
    public long TotalSpentCents { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One append-only ledger transaction; a trigger refuses updates and deletes.</summary>
internal sealed class LedgerEntry
{
    public Guid Id { get; set; }

    public Guid ResellerId { get; set; }

    public Mode Mode { get; set; }

    /// <summary><c>topup | purchase | extend | refund | adjustment</c>.</summary>
    public required string Type { get; set; }

    /// <summary>Signed: credits are positive, charges negative.</summary>
    public long AmountCents { get; set; }

    public long BalanceAfterCents { get; set; }

    public Guid? PlanId { get; set; }

    /// <summary>
    /// The product of the plan a purchase or extension charges (the plan's own, kept on the entry so that the usage summary
    /// sums a period's spend per product from the ledger's index alone); null for entries without a plan.
    /// </summary>
    public Product? Product { get; set; }

    public required string Description { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal static class LedgerType
{
    public const string Topup = "topup";
    public const string Purchase = "purchase";
    public const string Extend = "extend";
    public const string Refund = "refund";
    public const string Adjustment = "adjustment";

    public static IReadOnlyList<string> All { get; } = [Topup, Purchase, Extend, Refund, Adjustment];
}

/// <summary>An operator's choice to enable or disable a product for a reseller (absent: enabled).</summary>
internal sealed class ProductSetting
{
    public Guid ResellerId { get; set; }

    public Product Product { get; set; }

    public bool Enabled { get; set; }
}

/// <summary>One price a reseller's price list sets; anything not set comes from configuration.</summary>
internal sealed class PriceOverride
{
    public Guid ResellerId { get; set; }

    public Product Product { get; set; }

    /// <summary><c>price_per_gb_cents</c>, <c>price_per_day_cents</c>, <c>trial_price_cents</c>, <c>price_per_ip_30_days</c>, <c>locations.NL.price_per_day_cents</c>.</summary>
    public required string Component { get; set; }

    public long Cents { get; set; }
}

internal sealed class Plan
{
    public Guid Id { get; set; }

    public Guid ResellerId { get; set; }

    public Mode Mode { get; set; }

    public Product Product { get; set; }

    public BillingType BillingType { get; set; }

    /// <summary><c>active | expired | cancelled</c> as stored; a plan past <see cref="ExpiresAt"/> reads as expired.</summary>
    public required string Status { get; set; }

    public required string ProxyUsername { get; set; }

    public required string ProxyPassword { get; set; }

    public required string Hostname { get; set; }

    public int PortHttp { get; set; }

    public int PortSocks { get; set; }

    public long? MaxBytes { get; set; }

    /// <summary>Accepted traffic: never above <see cref="MaxBytes"/> (what a report carries beyond it is <see cref="OverageBytes"/>).</summary>
    public long BytesUsed { get; set; }

    /// <summary>Reported traffic the plan did not accept (exhausted, expired, or its sub-user suspended or over its limit).</summary>
    public long OverageBytes { get; set; }

    /// <summary>The end user the plan was bought for, if any.</summary>
    public Guid? SubUserId { get; set; }

    /// <summary>The Mbps cap of a time-billed hybrid or an unlimited plan.</summary>
    public int? BandwidthMbps { get; set; }

    /// <summary>The duration bought (<c>30_days</c>, <c>trial</c>), for time plans.</summary>
    public string? Duration { get; set; }

    public string? Location { get; set; }

    public string? Pool { get; set; }

    public int? Quantity { get; set; }

    public long? PricePerGbCents { get; set; }

    /// <summary>Everything charged for the plan: purchase, extensions and upgrades.</summary>
    public long CostCents { get; set; }

    public string? EndUserReference { get; set; }

    /// <summary>The upstream's id for what it provisioned.</summary>
    public required string UpstreamReference { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<PlanProxy> Proxies { get; set; } = [];
}

internal static class PlanStatus
{
    public const string Active = "active";
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";
}

/// <summary>A static IP of a dedicated ISP plan, as last received from the upstream.</summary>
internal sealed class PlanProxy
{
    public Guid PlanId { get; set; }

    public int Position { get; set; }

    public required string Host { get; set; }

    public int Port { get; set; }
}

/// <summary>A dedicated ISP pool and its stock, per mode.</summary>
internal sealed class ProxyPool
{
    public Mode Mode { get; set; }

    public required string Name { get; set; }

    public required string Title { get; set; }

    /// <summary><c>ISP</c> or <c>SN</c> (subnet).</summary>
    public required string Provider { get; set; }

    public required string Country { get; set; }

    public int Stock { get; set; }

    public bool IsSubnet { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Dedicated mobile devices available per location and mode.</summary>
internal sealed class DedicatedMobileStock
{
    public Mode Mode { get; set; }

    public required string Location { get; set; }

    public int Stock { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An <c>X-Idempotency-Key</c> and, once its request succeeded, the response to replay.</summary>
internal sealed class IdempotencyRecord
{
    public Guid ResellerId { get; set; }

    public Mode Mode { get; set; }

    public required string Key { get; set; }

    public required string RequestHash { get; set; }

    /// <summary><c>in_progress</c> or <c>completed</c>.</summary>
    public required string Status { get; set; }

    public Guid LockToken { get; set; }

    public DateTimeOffset LockedAt { get; set; }

    public int? ResponseStatus { get; set; }

    public string? ResponseBody { get; set; }

    public string? ResponseLocation { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>
/// An API key's current rate-limit window, shared by every instance: the window's start and the permits handed out
/// of it, in blocks claimed by the instances (<c>KeyRateLimiter</c>); the count never passes the limit.
/// </summary>
internal sealed class KeyRateWindow
{
    public Guid KeyId { get; set; }

    public DateTimeOffset WindowStart { get; set; }

    /// <summary>Permits of the window handed out so far, to every instance.</summary>
    public int Count { get; set; }

    /// <summary>The permits the last claim handed out (0 when the window had none left): its statement's answer.</summary>
    public int Granted { get; set; }
}
