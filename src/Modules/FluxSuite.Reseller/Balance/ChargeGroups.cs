using FluxSuite.Reseller.Catalog;
using Npgsql;

namespace FluxSuite.Reseller.Balance;

/// <summary>
/// Group commit for purchases of one balance. A purchase whose transaction has sent nothing yet (no stock taken, no
/// idempotency claim) offers its statements here while it waits for the balance's turn (<see cref="BalanceQueue"/>). The
/// purchase whose turn comes takes the offers of its balance waiting then and sends them with its own, each purchase's
/// writes followed by its charge, in its transaction and with the <c>COMMIT</c>, in one round trip: under load PostgreSQL
/// pays one transaction and one WAL flush for several purchases. A purchase taken into a group does not wait for a turn
/// of its own; it is answered with the group's outcome. A group that fails (a charge refused, because the balance does
/// not cover it or a <c>balance.low</c> event is due, or any statement's error) keeps nothing, and each of its purchases is
/// then made alone, as one that was never offered, so one purchase's 402 is never another's.
/// </summary>
internal sealed class ChargeGroups
{
    /// <summary>Purchases written in one transaction at most.</summary>
    public const int MaxPurchases = 16;

    private readonly Dictionary<(Guid Reseller, Mode Mode), List<Offer>> _offers = [];

    /// <summary>How a purchase taken into a group ended.</summary>
    internal enum Outcome
    {
        /// <summary>Committed with the group.</summary>
        Committed,

        /// <summary>The group kept nothing; the purchase is to be made alone.</summary>
        Alone,
    }

    /// <summary>A purchase's statements (its writes, then its charge), offered to the balance's next turn.</summary>
    internal sealed class Offer((Guid, Mode) balance, IReadOnlyList<NpgsqlBatchCommand> statements)
    {
        public readonly (Guid, Mode) Balance = balance;
        public readonly IReadOnlyList<NpgsqlBatchCommand> Statements = statements;

        /// <summary>Completed when a turn takes the offer into its group; then with the group's outcome.</summary>
        public readonly TaskCompletionSource Taken = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public readonly TaskCompletionSource<Outcome> Result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Offers waiting for a turn of any balance.</summary>
    public int Offered
    {
        get
        {
            lock (_offers)
            {
                return _offers.Values.Sum(o => o.Count);
            }
        }
    }

    /// <summary>Offers <paramref name="statements"/> of a purchase of the balance to the balance's next turn.</summary>
    public Offer Make(Guid resellerId, Mode mode, IReadOnlyList<NpgsqlBatchCommand> statements)
    {
        var offer = new Offer((resellerId, mode), statements);
        lock (_offers)
        {
            if (!_offers.TryGetValue(offer.Balance, out var list))
            {
                _offers[offer.Balance] = list = [];
            }

            list.Add(offer);
        }

        return offer;
    }

    /// <summary>
    /// Withdraws <paramref name="offer"/>, whose purchase got a turn of its own; false when a turn took it first (its
    /// purchase is then answered by that turn's group).
    /// </summary>
    public bool Withdraw(Offer offer)
    {
        lock (_offers)
        {
            if (!_offers.TryGetValue(offer.Balance, out var list) || !list.Remove(offer))
            {
                return false;
            }

            if (list.Count == 0)
            {
                _offers.Remove(offer.Balance);
            }

            return true;
        }
    }

    /// <summary>Takes the offers of the balance waiting now, oldest first, up to <paramref name="count"/>.</summary>
    public List<Offer> Take(Guid resellerId, Mode mode, int count)
    {
        List<Offer> taken;
        lock (_offers)
        {
            if (!_offers.TryGetValue((resellerId, mode), out var list))
            {
                return [];
            }

            taken = list[..Math.Min(count, list.Count)];
            list.RemoveRange(0, taken.Count);
            if (list.Count == 0)
            {
                _offers.Remove((resellerId, mode));
            }
        }

        foreach (var offer in taken)
        {
            offer.Taken.TrySetResult();
        }

        return taken;
    }

    /// <summary>A copy of <paramref name="command"/>, for a group's batch (the original stays free for the purchase if it is made alone).</summary>
    public static NpgsqlBatchCommand Copy(NpgsqlBatchCommand command)
    {
        var copy = new NpgsqlBatchCommand(command.CommandText);
        foreach (NpgsqlParameter parameter in command.Parameters)
        {
            copy.Parameters.Add(parameter.Clone());
        }

        return copy;
    }
}
