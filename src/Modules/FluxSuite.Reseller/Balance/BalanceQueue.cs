using FluxSuite.Reseller.Catalog;

namespace FluxSuite.Reseller.Balance;

/// <summary>
/// Charges of one balance (a reseller in one mode) made by this process take turns here: at most
/// <see cref="ChargesAtOnce"/> of them at a time are in PostgreSQL, one holding the balance row's lock and one queued behind it,
/// so that the row passes to the next charge inside PostgreSQL as the first commits, without waiting for a round trip to
/// this process and back. The others wait here. The row lock stays the authority (other instances, and the charges that
/// do not pass through here, queue on it as before); what this saves is PostgreSQL's own queue: a charge that waits there
/// for the row sleeps and wakes on the lock manager, and every charge waiting for the same transaction wakes when it ends
/// and rechecks the updated row (<c>EvalPlanQual</c>), which on the purchase's charge more than doubled PostgreSQL's CPU per
/// purchase with eight purchases queued on each balance (see docs/performance.md). One charge queued there wakes alone.
/// A wait here is an awaited semaphore, and a cancelled request leaves the queue without having sent anything.
/// </summary>
internal sealed class BalanceQueue
{
    /// <summary>Charges of one balance in PostgreSQL at once: the one holding the row and the next, queued on its lock.</summary>
    public const int ChargesAtOnce = 2;

    private readonly Dictionary<(Guid Reseller, Mode Mode), Turn> _turns = [];

    /// <summary>Waits for the balance's turn; disposing the answer passes the turn to the next charge.</summary>
    public async ValueTask<IAsyncDisposable> EnterAsync(Guid resellerId, Mode mode, CancellationToken cancellationToken)
    {
        var key = (resellerId, mode);
        Turn turn;
        lock (_turns)
        {
            if (!_turns.TryGetValue(key, out turn!))
            {
                _turns[key] = turn = new Turn(this, key);
            }

            turn.Waiting++;
        }

        try
        {
            await turn.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(turn);
            throw;
        }

        return turn.Held();
    }

    /// <summary>How many balances have a charge waiting or running (an entry lives only while it has one).</summary>
    public int Balances
    {
        get
        {
            lock (_turns)
            {
                return _turns.Count;
            }
        }
    }

    /// <summary>Charges of one balance holding or waiting for a turn in this process.</summary>
    public int Charges(Guid resellerId, Mode mode)
    {
        lock (_turns)
        {
            return _turns.TryGetValue((resellerId, mode), out var turn) ? turn.Waiting : 0;
        }
    }

    private void Leave(Turn turn)
    {
        lock (_turns)
        {
            if (--turn.Waiting == 0)
            {
                _turns.Remove(turn.Key);
            }
        }
    }

    private sealed class Turn(BalanceQueue queue, (Guid, Mode) key)
    {
        public readonly SemaphoreSlim Semaphore = new(ChargesAtOnce, ChargesAtOnce);
        public readonly (Guid, Mode) Key = key;

        /// <summary>Charges holding or waiting for this turn; guarded by the queue's dictionary.</summary>
        public int Waiting;

        public IAsyncDisposable Held() => new Holder(this);

        public void Pass()
        {
            Semaphore.Release();
            queue.Leave(this);
        }
    }

    private sealed class Holder(Turn turn) : IAsyncDisposable
    {
        private int _passed;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _passed, 1) == 0)
            {
                turn.Pass();
            }

            return ValueTask.CompletedTask;
        }
    }
}
