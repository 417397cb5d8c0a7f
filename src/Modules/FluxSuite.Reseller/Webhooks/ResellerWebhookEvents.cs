using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FluxSuite.Reseller.Webhooks;

/// <summary>
/// The events Reseller reports, written to the outbox through the module's DbContext in the transaction
/// of the change. Plans are sent as the API returns them; a threshold event says which threshold too.
/// </summary>
internal static class ResellerWebhookEvents
{
    public const string PlanCreated = "plan.created";
    public const string PlanExpiring = "plan.expiring";
    public const string PlanExpired = "plan.expired";
    public const string PlanBandwidthThreshold = "plan.bandwidth_threshold";
    public const string BalanceLow = "balance.low";

    public static readonly string[] All = [PlanCreated, PlanExpiring, PlanExpired, PlanBandwidthThreshold, BalanceLow];

    /// <summary>The share of a bandwidth plan at which <c>plan.bandwidth_threshold</c> is sent, once each.</summary>
    public static readonly int[] BandwidthPercents = [80, 100];

    /// <summary>How long before a plan's expiry <c>plan.expiring</c> is sent.</summary>
    public static readonly TimeSpan ExpiringNotice = TimeSpan.FromHours(24);

    public static WebhookOwner Owner(Guid resellerId, Mode mode) => new(resellerId, mode.WireName());

    internal sealed record BandwidthThreshold(
        [property: JsonPropertyName("threshold_percent")] int ThresholdPercent,
        [property: JsonPropertyName("plan")] PlanResponse Plan);

    internal sealed record LowBalance(
        [property: JsonPropertyName("threshold_cents")] long ThresholdCents,
        [property: JsonPropertyName("threshold_formatted")] string ThresholdFormatted,
        [property: JsonPropertyName("balance")] GetBalance.Response Balance);

    /// <summary>Adds one event per plan (each in its own mode); returns how many deliveries.</summary>
    public static async Task<int> AddPlansAsync(
        ResellerDbContext db, string type, IReadOnlyList<Plan> plans, ResellerOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var deliveries = 0;
        foreach (var mode in plans.GroupBy(p => p.Mode))
        {
            deliveries += await WebhookOutbox.AddAsync(db, mode.Key.WireName(), type, [.. mode], p => p.ResellerId,
                p => PlanResponse.From(p, options.ConnectionFor(p.Product), now), ResellerJson.Options, now, cancellationToken);
        }

        return deliveries;
    }

    private static readonly string InsertEventSql = WebhookOutbox.InsertSql(ResellerDbContext.Schema);

    /// <summary>
    /// <c>plan.created</c> of a purchase as one statement for its batch: the event of <paramref name="plan"/> (as the
    /// purchase answers it) and its deliveries to <paramref name="endpoints"/>, the reseller's endpoints that take it
    /// (read before the purchase, <c>PurchaseAccount</c>); the rows <see cref="AddPlansAsync"/> adds through EF.
    /// </summary>
    public static NpgsqlBatchCommand PlanCreatedInsert(Guid resellerId, Mode mode, PlanResponse plan, IReadOnlyList<Guid> endpoints, DateTimeOffset now) =>
        WebhookOutbox.InsertCommand(InsertEventSql,
            WebhookOutbox.NewEvent(resellerId, mode.WireName(), PlanCreated, plan, ResellerJson.Options, now), endpoints);

    /// <summary>
    /// Records each crossing as a notice (once per plan and threshold, whoever writes it first) and adds
    /// the event of those it recorded; the plans' counters must already be written in the transaction.
    /// </summary>
    public static async Task<int> AddBandwidthThresholdsAsync(
        ResellerDbContext db, IReadOnlyList<(Guid PlanId, int Percent)> crossings, ResellerOptions options, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var recorded = new List<(Guid PlanId, int Percent)>();
        foreach (var (planId, percent) in crossings)
        {
            if (await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO reseller.plan_notices (plan_id, kind, created_at) VALUES ({planId}, {"bandwidth_" + percent}, {now}) ON CONFLICT DO NOTHING",
                    cancellationToken) == 1)
            {
                recorded.Add((planId, percent));
            }
        }

        var ids = recorded.Select(r => r.PlanId).Distinct().ToList();
        var plans = await db.Plans.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var deliveries = 0;
        foreach (var (planId, percent) in recorded)
        {
            var plan = plans[planId];
            deliveries += await WebhookOutbox.AddAsync(db, plan.Mode.WireName(), PlanBandwidthThreshold, plan.ResellerId,
                new BandwidthThreshold(percent, PlanResponse.From(plan, options.ConnectionFor(plan.Product), now)), ResellerJson.Options, now,
                cancellationToken);
        }

        return deliveries;
    }

    /// <summary>The thresholds a plan's accepted traffic crossed, from <paramref name="before"/> to <paramref name="after"/> bytes.</summary>
    public static IEnumerable<int> Crossed(long maxBytes, long before, long after) =>
        BandwidthPercents.Where(p => (Int128)before * 100 < (Int128)maxBytes * p && (Int128)after * 100 >= (Int128)maxBytes * p);

    /// <summary>
    /// Adds <c>balance.low</c> when a ledger entry took the balance from at or above the reseller's
    /// threshold to below it: once per fall, again only after the balance has been back above it.
    /// <paramref name="threshold"/> is the one the entry's own statement read (null when none is set).
    /// </summary>
    public static async Task<int> AddBalanceLowAsync(
        ResellerDbContext db, Guid resellerId, Mode mode, long before, long after, long? threshold, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (threshold is not { } limit || !(before >= limit && after < limit))
        {
            return 0;
        }

        var modeName = mode.WireName();
        var balance = await GetBalance.ReadAsync(db, resellerId, mode, now, cancellationToken);
        return await WebhookOutbox.AddAsync(db, modeName, BalanceLow, resellerId, new LowBalance(limit, Money.Format(limit), balance),
            ResellerJson.Options, now, cancellationToken);
    }
}
