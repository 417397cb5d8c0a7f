using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Balance;

/// <summary>
/// Every change of a balance: one statement that updates the balance row conditionally (taking its row
/// lock, so concurrent charges of one reseller queue behind each other) and appends the ledger entry of
/// the same amount, in the caller's transaction. The balance can never go below zero: the UPDATE only matches
/// while the result stays at or above it, and a check constraint backs that up.
/// </summary>
internal static class Ledger
{
    /// <summary>Posts <paramref name="amountCents"/> (negative for a charge); throws 402 when the balance does not cover it.</summary>
    public static async Task<LedgerEntry> PostAsync(
        ResellerDbContext db, Guid resellerId, Mode mode, string type, long amountCents, long spentDeltaCents,
        Guid? planId, string description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var modeName = mode.WireName();
        var id = Guid.CreateVersion7(now);
        description = description.Length > 500 ? description[..500] : description;
        // One statement: the conditional balance update, its ledger entry, and the reseller's balance.low
        // threshold, so that nothing but this statement and the commit runs while the balance row is locked.
        var posted = await db.Database.SqlQuery<Posted>($"""
            WITH changed AS (
                UPDATE reseller.balances
                SET balance_cents = balance_cents + {amountCents},
                    total_spent_cents = GREATEST(0, total_spent_cents + {spentDeltaCents}),
                    updated_at = {now}
                WHERE reseller_id = {resellerId} AND mode = {modeName} AND balance_cents + {amountCents} >= 0
                RETURNING balance_cents),
            entry AS (
                INSERT INTO reseller.ledger_entries (id, reseller_id, mode, type, amount_cents, balance_after_cents, plan_id, description, created_at)
                SELECT {id}, {resellerId}, {modeName}, {type}, {amountCents}, balance_cents, CAST({planId} AS uuid), {description}, {now} FROM changed
                RETURNING balance_after_cents)
            SELECT entry.balance_after_cents AS "BalanceAfter",
                   (SELECT s.balance_low_threshold_cents FROM reseller.webhook_settings s
                    WHERE s.reseller_id = {resellerId} AND s.mode = {modeName}) AS "LowThreshold"
            FROM entry
            """).ToListAsync(cancellationToken);
        if (posted.Count == 0)
        {
            var current = await db.Balances.AsNoTracking()
                .Where(b => b.ResellerId == resellerId && b.Mode == mode)
                .Select(b => b.BalanceCents)
                .FirstOrDefaultAsync(cancellationToken);
            throw new ApiErrorException(ResellerErrors.InsufficientBalance(-amountCents, current));
        }

        var after = posted[0].BalanceAfter;
        if (await ResellerWebhookEvents.AddBalanceLowAsync(db, resellerId, mode, after - amountCents, after, posted[0].LowThreshold, now, cancellationToken) > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return new LedgerEntry
        {
            Id = id,
            ResellerId = resellerId,
            Mode = mode,
            Type = type,
            AmountCents = amountCents,
            BalanceAfterCents = after,
            PlanId = planId,
            Description = description,
            CreatedAt = now,
        };
    }

    private sealed record Posted(long BalanceAfter, long? LowThreshold);

    /// <summary>Charges a purchase, extension or upgrade.</summary>
    public static Task<LedgerEntry> ChargeAsync(
        ResellerDbContext db, Guid resellerId, Mode mode, string type, long costCents, Guid planId, string description,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        PostAsync(db, resellerId, mode, type, -costCents, costCents, planId, description, now, cancellationToken);
}

/// <summary>A ledger transaction on the wire.</summary>
internal sealed record TransactionResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("type"), AllowedValues("topup", "purchase", "extend", "refund", "adjustment")] string Type,
    [property: JsonPropertyName("mode"), AllowedValues("live", "test")] string Mode,
    [property: JsonPropertyName("amount_cents")] long AmountCents,
    [property: JsonPropertyName("amount_formatted")] string AmountFormatted,
    [property: JsonPropertyName("balance_after_cents")] long BalanceAfterCents,
    [property: JsonPropertyName("balance_after_formatted")] string BalanceAfterFormatted,
    [property: JsonPropertyName("plan_id")] Guid? PlanId,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt)
{
    public static TransactionResponse From(LedgerEntry e) => new(
        e.Id, e.Type, e.Mode.WireName(), e.AmountCents, Money.Format(e.AmountCents), e.BalanceAfterCents,
        Money.Format(e.BalanceAfterCents), e.PlanId, e.Description, e.CreatedAt.UtcDateTime);
}
