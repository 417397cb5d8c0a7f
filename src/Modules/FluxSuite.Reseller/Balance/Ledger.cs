using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace FluxSuite.Reseller.Balance;

/// <summary>
/// Every change of a balance: one statement that updates the balance row conditionally (taking its row
/// lock, so concurrent charges of one reseller queue behind each other) and appends the ledger entry of
/// the same amount, in the caller's transaction. The balance can never go below zero: the UPDATE only matches
/// while the result stays at or above it, and a check constraint backs that up.
/// </summary>
internal static class Ledger
{
    /// <summary>
    /// Posts <paramref name="amountCents"/> (negative for a charge), for <paramref name="plan"/> when it charges one (the entry
    /// keeps the plan's id and product); throws 402 when the balance does not cover it.
    /// </summary>
    public static async Task<LedgerEntry> PostAsync(
        ResellerDbContext db, Guid resellerId, Mode mode, string type, long amountCents, long spentDeltaCents,
        Plan? plan, string description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var modeName = mode.WireName();
        var planId = plan?.Id;
        var product = plan?.Product.WireName();
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
                INSERT INTO reseller.ledger_entries (id, reseller_id, mode, type, amount_cents, balance_after_cents, plan_id, product, description, created_at)
                SELECT {id}, {resellerId}, {modeName}, {type}, {amountCents}, balance_cents, CAST({planId} AS uuid), CAST({product} AS varchar), {description}, {now}
                FROM changed
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
            Product = plan?.Product,
            Description = description,
            CreatedAt = now,
        };
    }

    private sealed record Posted(long BalanceAfter, long? LowThreshold);

    /// <summary>The SQLSTATE <c>reseller.refuse_charge()</c> raises (migration <c>ChargeAndCommitTogether</c>).</summary>
    public const string ChargeRefusedState = "RS001";

    // The charge of ChargeAndCommitAsync: PostAsync's statement, matching only when the balance covers the cost
    // and the charge leaves the balance.low threshold as it was (crossing it needs the event, written by
    // PostAsync's caller before the commit); otherwise it raises ChargeRefusedState and nothing is charged.
    private const string ChargeOrRefuseSql = """
        WITH changed AS (
            UPDATE reseller.balances b
            SET balance_cents = b.balance_cents - $1, total_spent_cents = b.total_spent_cents + $1, updated_at = $2
            WHERE b.reseller_id = $3 AND b.mode = $4 AND b.balance_cents - $1 >= 0
              AND NOT EXISTS (SELECT 1 FROM reseller.webhook_settings s WHERE s.reseller_id = $3 AND s.mode = $4
                              AND b.balance_cents >= s.balance_low_threshold_cents AND b.balance_cents - $1 < s.balance_low_threshold_cents)
            RETURNING b.balance_cents),
        entry AS (
            INSERT INTO reseller.ledger_entries (id, reseller_id, mode, type, amount_cents, balance_after_cents, plan_id, product, description, created_at)
            SELECT $5, $3, $4, $6, -$1, balance_cents, $7, $9, $8, $2 FROM changed
            RETURNING balance_after_cents)
        SELECT COALESCE((SELECT balance_after_cents FROM entry), reseller.refuse_charge())
        """;

    /// <summary>
    /// Sends <paramref name="writes"/> (the purchase's own rows), then charges <paramref name="costCents"/> and commits the
    /// caller's transaction, when the balance covers the cost and no <c>balance.low</c> event is due; returns false, with the
    /// writes made, nothing charged and the transaction still open, otherwise (the caller then charges through
    /// <see cref="ChargeAsync"/>, which answers 402 or writes the event, and commits). Purchases of one reseller queue on its
    /// balance row from the charge to the commit: sent together, the row is held for the statement and the commit's flush
    /// inside PostgreSQL, not for a round trip to this process and back under load. The charge and the commit are sent in
    /// the balance's turn of <paramref name="queue"/>, so this process has at most <see cref="BalanceQueue.ChargesAtOnce"/> charges
    /// of a balance at a time in PostgreSQL, and the writes go with them, in one round trip (the second charge in PostgreSQL
    /// makes its writes while the first holds the row). The statements are fixed texts,
    /// prepared once per connection when the pool's sessions are its own (<see cref="PooledStatements"/>): a savepoint, the
    /// charge and <c>COMMIT</c> after the writes; a refused charge raises, which skips the commit, and the transaction is
    /// rolled back to the savepoint; a write that fails skips the rest, and the caller's transaction rolls back. With
    /// <paramref name="groups"/> (a purchase whose transaction has sent nothing before these writes), the purchase is offered
    /// to its balance's next turn while it waits, and purchases of one balance are committed together (<see cref="ChargeGroups"/>).
    /// </summary>
    public static async Task<bool> ChargeAndCommitAsync(
        ResellerDbContext db, PooledStatements statements, BalanceQueue queue, ChargeGroups? groups, IReadOnlyList<NpgsqlBatchCommand> writes,
        Guid resellerId, Mode mode, string type, long costCents, Plan plan, string description, DateTimeOffset now, CancellationToken cancellationToken)
    {
        description = description.Length > 500 ? description[..500] : description;
        var charge = ChargeOrRefuse(resellerId, mode, type, costCents, plan, description, now);
        var purchase = new Purchase(db, statements, writes, charge);
        if (groups is null)
        {
            await using (await queue.EnterAsync(resellerId, mode, cancellationToken))
            {
                return await purchase.AloneAsync(cancellationToken);
            }
        }

        var offer = groups.Make(resellerId, mode, [.. writes, charge]);
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var turn = queue.EnterAsync(resellerId, mode, stopWaiting.Token).AsTask();
        await Task.WhenAny(turn, offer.Taken.Task);
        if (turn.IsCompleted && groups.Withdraw(offer))
        {
            // This purchase's own turn (or its request cancelled while it waited, which throws here): it leads a group.
            await using (await turn)
            {
                return await purchase.LeadAsync(groups.Take(resellerId, mode, ChargeGroups.MaxPurchases - 1));
            }
        }

        // Taken into another purchase's group: its turn is not needed, and the group's outcome is this purchase's.
        await stopWaiting.CancelAsync();
        try
        {
            await (await turn).DisposeAsync();
        }
        catch (OperationCanceledException)
        {
            // Left the queue without a turn.
        }

        if (await offer.Result.Task == ChargeGroups.Outcome.Committed)
        {
            return true;
        }

        await using (await queue.EnterAsync(resellerId, mode, cancellationToken))
        {
            return await purchase.AloneAsync(cancellationToken);
        }
    }

    private static NpgsqlBatchCommand ChargeOrRefuse(Guid resellerId, Mode mode, string type, long costCents, Plan plan, string description, DateTimeOffset now) =>
        new(ChargeOrRefuseSql)
        {
            Parameters =
            {
                new NpgsqlParameter<long> { TypedValue = costCents, NpgsqlDbType = NpgsqlDbType.Bigint },
                new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                new NpgsqlParameter<Guid> { TypedValue = resellerId, NpgsqlDbType = NpgsqlDbType.Uuid },
                new NpgsqlParameter<string> { TypedValue = mode.WireName(), NpgsqlDbType = NpgsqlDbType.Varchar },
                new NpgsqlParameter<Guid> { TypedValue = Guid.CreateVersion7(now), NpgsqlDbType = NpgsqlDbType.Uuid },
                new NpgsqlParameter<string> { TypedValue = type, NpgsqlDbType = NpgsqlDbType.Varchar },
                new NpgsqlParameter<Guid> { TypedValue = plan.Id, NpgsqlDbType = NpgsqlDbType.Uuid },
                new NpgsqlParameter<string> { TypedValue = description, NpgsqlDbType = NpgsqlDbType.Varchar },
                new NpgsqlParameter<string> { TypedValue = plan.Product.WireName(), NpgsqlDbType = NpgsqlDbType.Varchar },
            },
        };

    /// <summary>A purchase's writes and charge, sent in its balance's turn on its own connection and transaction.</summary>
    private sealed class Purchase(ResellerDbContext db, PooledStatements statements, IReadOnlyList<NpgsqlBatchCommand> writes, NpgsqlBatchCommand charge)
    {
        private readonly NpgsqlConnection _connection = (NpgsqlConnection)db.Database.GetDbConnection();
        private readonly NpgsqlTransaction _transaction = (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction();

        /// <summary>The purchase alone: its writes, a savepoint, its charge and the commit; false when the charge is refused (rolled back to the savepoint).</summary>
        public async Task<bool> AloneAsync(CancellationToken cancellationToken)
        {
            try
            {
                await statements.ExecuteNonQueryAsync(_connection, _transaction,
                    [.. writes, new NpgsqlBatchCommand("SAVEPOINT charge_and_commit"), charge, new NpgsqlBatchCommand("COMMIT")], cancellationToken);
                return true;
            }
            catch (PostgresException ex) when (ex.SqlState == ChargeRefusedState)
            {
                await RollBackToAsync("charge_and_commit", cancellationToken);
                return false;
            }
        }

        /// <summary>
        /// The purchase with the <paramref name="others"/> taken into its group: a savepoint, then each purchase's writes and
        /// charge, and the commit. A group that fails is rolled back to the savepoint, and each purchase is made alone.
        /// </summary>
        public async Task<bool> LeadAsync(List<ChargeGroups.Offer> others)
        {
            if (others.Count == 0)
            {
                return await AloneAsync(CancellationToken.None);
            }

            // Every purchase taken is answered on every path out of here (the ones taken wait for it without a timeout of
            // their own): committed, made alone, or the group's exception.
            try
            {
                List<NpgsqlBatchCommand> group = [new("SAVEPOINT charge_group"), .. writes.Select(ChargeGroups.Copy), ChargeGroups.Copy(charge)];
                foreach (var other in others)
                {
                    group.AddRange(other.Statements.Select(ChargeGroups.Copy));
                }

                group.Add(new NpgsqlBatchCommand("COMMIT"));
                // Not the request's token: the group carries other requests' purchases.
                await statements.ExecuteNonQueryAsync(_connection, _transaction, group, CancellationToken.None);
            }
            catch (PostgresException ex) when (!DatabaseOutage.IsOutage(ex))
            {
                // Nothing of the group was kept: the others are made alone on their own connections (answered first, so
                // that they never wait on this connection's rollback), and this purchase alone here.
                foreach (var other in others)
                {
                    other.Result.TrySetResult(ChargeGroups.Outcome.Alone);
                }

                await RollBackToAsync("charge_group", CancellationToken.None);
                return await AloneAsync(CancellationToken.None);
            }
            catch (Exception ex)
            {
                foreach (var other in others)
                {
                    other.Result.TrySetException(ex);
                }

                throw;
            }

            foreach (var other in others)
            {
                other.Result.TrySetResult(ChargeGroups.Outcome.Committed);
            }

            return true;
        }

        private async Task RollBackToAsync(string savepoint, CancellationToken cancellationToken)
        {
            await using var back = new NpgsqlCommand($"ROLLBACK TO SAVEPOINT {savepoint}", _connection, _transaction);
            await back.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Charges a purchase, extension or upgrade.</summary>
    public static Task<LedgerEntry> ChargeAsync(
        ResellerDbContext db, Guid resellerId, Mode mode, string type, long costCents, Plan plan, string description,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        PostAsync(db, resellerId, mode, type, -costCents, costCents, plan, description, now, cancellationToken);
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
