using FluxSuite.Reseller.Catalog;

namespace FluxSuite.Reseller.Data;

/// <summary>An end user of a reseller; plans bought for it carry its id and count against its traffic limit.</summary>
internal sealed class SubUser
{
    public Guid Id { get; set; }

    public Guid ResellerId { get; set; }

    public Mode Mode { get; set; }

    public required string Name { get; set; }

    /// <summary><c>active</c> or <c>suspended</c>; a suspended sub-user's plans accept no traffic.</summary>
    public required string Status { get; set; }

    /// <summary>Traffic its plans may carry in total; null = no limit beyond each plan's own.</summary>
    public long? TrafficLimitBytes { get; set; }

    /// <summary>Traffic accepted on its plans (kept by the usage reports).</summary>
    public long BytesUsed { get; set; }

    public string? EndUserReference { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal static class SubUserStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";
}

/// <summary>
/// One traffic report as a gateway sent it, kept as the audit trail of the rollups. Reads never scan
/// these: they use <see cref="UsageHour"/>, <see cref="UsagePlanDay"/>, <see cref="UsageDay"/> and <see cref="UsageMinute"/>.
/// An append-only log with no key of its own (see its configuration).
/// </summary>
internal sealed class UsageRecord
{
    public Guid PlanId { get; set; }

    /// <summary>The gateway's id for the record; a second report with the same id for the same plan is a duplicate.</summary>
    public string? RecordId { get; set; }

    /// <summary>When the traffic happened.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>Bytes reported.</summary>
    public long Bytes { get; set; }

    /// <summary>Bytes counted against the plan; the rest is overage.</summary>
    public long AcceptedBytes { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>What every rollup keeps of the records it sums (not an entity of its own).</summary>
internal abstract class UsageTotals
{
    /// <summary>Accepted bytes.</summary>
    public long Bytes { get; set; }

    /// <summary>Reported bytes that were not accepted.</summary>
    public long OverageBytes { get; set; }

    public long Records { get; set; }
}

/// <summary>A plan's traffic in one UTC hour, kept up to date as reports arrive.</summary>
internal sealed class UsageHour : UsageTotals
{
    public Guid PlanId { get; set; }

    public DateTimeOffset Hour { get; set; }
}

/// <summary>
/// A plan's traffic in one UTC day: the hourly rows of that day summed, kept by the same ingest statement batch, so
/// that daily and weekly series read one row per day instead of 24.
/// </summary>
internal sealed class UsagePlanDay : UsageTotals
{
    public Guid PlanId { get; set; }

    public DateTimeOffset Day { get; set; }
}

/// <summary>
/// How many plans of a reseller, mode and product that are not cancelled end by <see cref="EndsBy"/>: their expiry
/// rounded up to a UTC midnight, <c>infinity</c> when they do not expire. Every summary period starts at a UTC midnight
/// (or has no start), so the plans that ran in it are the sum of the counts that end after its start. Kept from
/// <c>plans</c> by a trigger that runs at the commit of the transaction that changed it (migrations CountPlansByEnd
/// and CountPlansFromPlans); a count that reaches 0 is deleted.
/// </summary>
internal sealed class PlanCount
{
    public Guid ResellerId { get; set; }

    public Mode Mode { get; set; }

    public DateTimeOffset EndsBy { get; set; }

    public Product Product { get; set; }

    public int Plans { get; set; }
}

/// <summary>A reseller's traffic per product in one UTC day (mode included): what the usage summary reads.</summary>
internal sealed class UsageDay : UsageTotals
{
    public Guid ResellerId { get; set; }

    public Mode Mode { get; set; }

    public Product Product { get; set; }

    public DateTimeOffset Day { get; set; }
}

/// <summary>A plan's traffic in one minute, kept for the last hour only: what the real-time view reads.</summary>
internal sealed class UsageMinute : UsageTotals
{
    public Guid PlanId { get; set; }

    public DateTimeOffset Minute { get; set; }

    public Guid ResellerId { get; set; }

    public Mode Mode { get; set; }
}

/// <summary>The server behind an unlimited residential or dedicated mobile plan.</summary>
internal sealed class Server
{
    public Guid PlanId { get; set; }

    /// <summary>The address the server had when it was provisioned; rotations are <see cref="ServerEvent"/>s.</summary>
    public required string Ip { get; set; }

    /// <summary>Until then the server is provisioning.</summary>
    public DateTimeOffset ReadyAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A rotation or restart of a server: requested at one time, done at another.</summary>
internal sealed class ServerEvent
{
    public long Id { get; set; }

    public Guid PlanId { get; set; }

    /// <summary><c>rotation</c> or <c>restart</c>.</summary>
    public required string Kind { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset CompletesAt { get; set; }

    /// <summary>The new address of a rotation.</summary>
    public string? Ip { get; set; }

    /// <summary><c>api</c> (an API key) or <c>link</c> (an IP reset link).</summary>
    public required string Source { get; set; }
}

internal static class ServerEventKind
{
    public const string Rotation = "rotation";
    public const string Restart = "restart";
}

/// <summary>A key the module keeps for itself (the IP reset link signing key), made once and shared by every instance.</summary>
internal sealed class SigningKey
{
    public required string Name { get; set; }

    public required byte[] Key { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
