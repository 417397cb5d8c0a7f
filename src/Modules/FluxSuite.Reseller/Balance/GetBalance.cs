using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Balance;

/// <summary>
/// <c>GET /balance</c>: the balance, what is pre-paid but not yet used in active bandwidth plans (per
/// product), and the total spent, in the caller's mode.
/// </summary>
internal static class GetBalance
{
    internal sealed record Allocation(
        [property: JsonPropertyName("gb_remaining")] decimal GbRemaining,
        [property: JsonPropertyName("bytes_remaining")] long BytesRemaining);

    internal sealed record Response(
        [property: JsonPropertyName("balance_cents")] long BalanceCents,
        [property: JsonPropertyName("balance_formatted")] string BalanceFormatted,
        [property: JsonPropertyName("allocations")] IReadOnlyDictionary<string, Allocation> Allocations,
        [property: JsonPropertyName("total_spent_cents")] long TotalSpentCents,
        [property: JsonPropertyName("total_spent_formatted")] string TotalSpentFormatted);

    public static async Task<ApiOk<Envelope<Response>>> Handle(ResellerCaller caller, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        ApiResults.Ok(Envelope.Of(await ReadAsync(db, caller.ResellerId, caller.Mode, clock.GetUtcNow(), cancellationToken)));

    /// <summary>The balance as the route answers it (also the <c>balance.low</c> event's).</summary>
    public static async Task<Response> ReadAsync(ResellerDbContext db, Guid resellerId, Mode mode, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var balance = await db.Balances.AsNoTracking()
            .Where(b => b.ResellerId == resellerId && b.Mode == mode)
            .Select(b => new { b.BalanceCents, b.TotalSpentCents })
            .FirstAsync(cancellationToken);
        var remaining = await PlanQueries.Active(db.Plans.AsNoTracking(), now)
            .Where(p => p.ResellerId == resellerId && p.Mode == mode && p.MaxBytes != null)
            .GroupBy(p => p.Product)
            .Select(g => new { Product = g.Key, Bytes = g.Sum(p => p.MaxBytes!.Value - p.BytesUsed) })
            .ToListAsync(cancellationToken);
        var allocations = Products.All.Where(p => p.SellsBandwidth()).ToDictionary(
            p => p.WireName(),
            p =>
            {
                var bytes = Math.Max(0, remaining.FirstOrDefault(r => r.Product == p)?.Bytes ?? 0);
                return new Allocation(PlanResponse.Gb(bytes), bytes);
            });
        return new Response(
            balance.BalanceCents, Money.Format(balance.BalanceCents), allocations,
            balance.TotalSpentCents, Money.Format(balance.TotalSpentCents));
    }
}
