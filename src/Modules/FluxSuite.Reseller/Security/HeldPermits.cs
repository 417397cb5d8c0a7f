using System.Collections.Concurrent;

namespace FluxSuite.Reseller.Security;

/// <summary>
/// The permits of each key's current rate-limit window that this instance has claimed from the shared count
/// (<c>reseller.key_rate_windows</c>) and not used yet, by key hash. A request that finds one here takes it and writes
/// nothing; one that finds none claims a block (<see cref="KeyRateLimiter"/>) and leaves the rest of it here. Permits of a
/// window that has ended are never used; once more than <see cref="SweepAbove"/> keys are held, the entries whose window has
/// ended are dropped, at most once per window length, so the entries are those of the keys used in about the last two windows.
/// </summary>
internal sealed class HeldPermits(TimeSpan window, int limit)
{
    // Below this many keys nothing is swept: an entry is a few dozen bytes.
    private const int SweepAbove = 1024;

    private readonly ConcurrentDictionary<string, Held> _held = new(StringComparer.Ordinal);

    // This instance's claims in flight, by key hash: one at a time per key, so that a burst of a key's requests shares a
    // block instead of each claiming one (and an instance holding more of the window than it uses).
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _claiming = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    /// <summary>
    /// Takes one of the permits held for the key's window current at <paramref name="now"/>, waiting first for this
    /// instance's claim of the key in flight when there is one. Null when none is held and no claim is in flight: the
    /// request is then the key's claimer, and calls <see cref="EndClaim"/> once its claim has answered (or failed).
    /// </summary>
    public async ValueTask<WindowState?> TakeOrClaimAsync(string keyHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTake(keyHash, now) is { } taken)
            {
                return taken;
            }

            var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var claim = _claiming.GetOrAdd(keyHash, mine);
            if (ReferenceEquals(claim, mine))
            {
                return null;
            }

            await claim.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Ends the claimer's claim (<see cref="TakeOrClaimAsync"/>): the requests waiting for it try to take a permit again.</summary>
    public void EndClaim(string keyHash)
    {
        if (_claiming.TryRemove(keyHash, out var claim))
        {
            claim.TrySetResult();
        }
    }

    // One of the permits held for the key's window current at now: the window as this instance knows it after taking it,
    // or null when it holds none.
    private WindowState? TryTake(string keyHash, DateTimeOffset now)
    {
        if (!_held.TryGetValue(keyHash, out var held))
        {
            return null;
        }

        lock (held)
        {
            if (held.Left == 0 || held.Removed || !held.IsCurrent(now, window))
            {
                return null;
            }

            held.Left--;
            return held.State(true, now, window, limit);
        }
    }

    /// <summary>
    /// Keeps what a claim answered: the window it counted in, its count after the claim and the permits it
    /// <paramref name="granted"/>, one of which (if any) is the claiming request's. The window as this instance knows it after that.
    /// </summary>
    public WindowState Claimed(string keyHash, DateTimeOffset now, DateTimeOffset windowStart, int count, int granted)
    {
        SweepIfDue(now);
        while (true)
        {
            var held = _held.GetOrAdd(keyHash, static _ => new Held());
            lock (held)
            {
                if (held.Removed)
                {
                    continue;
                }

                if (held.Start == windowStart)
                {
                    // Claims of one window answer in any order; the highest count is the latest.
                    held.Count = Math.Max(held.Count, count);
                    held.Left += granted;
                }
                else if (windowStart > held.Start || !held.IsCurrent(now, window))
                {
                    held.Start = windowStart;
                    held.Count = count;
                    held.Left = granted;
                }
                else
                {
                    // A late answer for a window older than the one held: only the claiming request's permit is used.
                    return held.State(granted > 0, now, window, limit);
                }

                // The request takes one of the permits held, its claim's or, when it was granted none, one that a claim
                // answered before it holds (a burst of a key's requests claims at once, and the last claims can come back empty).
                var allowed = held.Left > 0;
                if (allowed)
                {
                    held.Left--;
                }

                return held.State(allowed, now, window, limit);
            }
        }
    }

    private void SweepIfDue(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (_held.Count <= SweepAbove || now.UtcTicks < due
            || Interlocked.CompareExchange(ref _nextSweepTicks, (now + window).UtcTicks, due) != due)
        {
            return;
        }

        foreach (var (key, held) in _held)
        {
            lock (held)
            {
                if (!held.IsCurrent(now, window))
                {
                    held.Removed = true;
                    _held.TryRemove(key, out _);
                }
            }
        }
    }

    private sealed class Held
    {
        public DateTimeOffset Start { get; set; } = DateTimeOffset.MinValue;

        /// <summary>The window's shared count as of the latest claim this instance saw: its permits handed out to every instance.</summary>
        public int Count { get; set; }

        public int Left { get; set; }

        public bool Removed { get; set; }

        // As the claim's statement has it: a clock read up to a window behind the start is still in the window.
        public bool IsCurrent(DateTimeOffset now, TimeSpan window) => now - Start < window && Start - now <= window;

        // What this instance can still let through in the window: its own permits and what the shared count had left.
        public WindowState State(bool allowed, DateTimeOffset now, TimeSpan window, int limit) =>
            new(allowed, Math.Max(0, limit - Count) + Left, Start + window - now);
    }
}
