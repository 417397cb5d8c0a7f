using System.Diagnostics;
using System.Threading.Channels;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Listings.Providers;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FluxSuite.Listings.Push;

/// <summary>
/// Group commit for providers' pushes. Each push (its key checked and its body read) is queued and waits; a few writer
/// loops take what is queued, up to <see cref="MaxPushes"/> at a time, and write them in one transaction: each push by its
/// own statement (the same statement a push alone runs, which checks its key), in order of the listing's slug, and the
/// <c>COMMIT</c> in the same round trip (<see cref="ListingPatchWriter.ApplyWithKeysAsync"/>). A push is answered only
/// once that commit is done, so nothing is acknowledged before it is durable, while under load PostgreSQL pays one round
/// trip, one transaction and one WAL flush for several pushes instead of one each. When idle a push is written at once,
/// alone, in autocommit, and traced under its request; a group's statement is traced on its own.
/// </summary>
/// <remarks>
/// <para>Pushes of one listing keep their order: the queue is first in, first out, a group's statements run one after the
/// other in one transaction (each sees the ones before it), and the slug order is stable.</para>
/// <para>Locks: each statement locks its key and then its listing; a group takes them in its slug order, so two groups
/// meet on a listing in the same order. The directory version's counter is moved at the commit (a deferred trigger, migration
/// <c>MoveDirectoryVersionAtCommit</c>), after every lock of the group is held. A group that fails (a statement's error, or
/// PostgreSQL ending a deadlock, which a key used on another provider's route can make) is rolled back whole and each of its
/// pushes written again alone, so one push's failure is never another's.</para>
/// </remarks>
internal sealed partial class PushWriteQueue(ListingPatchWriter writer, TimeProvider clock, ILogger<PushWriteQueue> logger) : WriteQueue<PushWriteQueue.Pending>(Writers)
{
    /// <summary>Groups in flight at once (each holds one connection of the shared pool).</summary>
    public const int Writers = 4;

    /// <summary>Pushes written in one transaction at most.</summary>
    public const int MaxPushes = 16;

    /// <summary>A queued push, with the request's activity: a push written alone is traced under its request.</summary>
    internal sealed record Pending(KeyedPush Push, Activity? Activity, TaskCompletionSource<KeyedPatchWrite> Completion);

    /// <summary>Writes a push of <paramref name="patch"/> to <paramref name="slug"/> with the key whose hash is <paramref name="keyHash"/>; completes once it is committed.</summary>
    public Task<KeyedPatchWrite> WriteAsync(string keyHash, string slug, ListingPatch patch)
    {
        var pending = new Pending(
            new KeyedPush(keyHash, slug, patch, clock.GetUtcNow()),
            Activity.Current,
            new TaskCompletionSource<KeyedPatchWrite>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!TryQueue(pending))
        {
            throw new ServiceUnavailableException("This instance is shutting down and takes no more pushes; nothing of this push was written. Retry.", 1);
        }

        return pending.Completion.Task;
    }

    protected override async Task WriteLoopAsync(ChannelReader<Pending> queue)
    {
        var taken = new List<Pending>(MaxPushes);
        while (await queue.WaitToReadAsync(CancellationToken.None))
        {
            while (taken.Count < MaxPushes && queue.TryRead(out var pending))
            {
                taken.Add(pending);
            }

            if (taken.Count == 1)
            {
                await WriteAloneAsync(taken[0]);
            }
            else if (taken.Count > 1)
            {
                await WriteGroupAsync([.. taken.OrderBy(p => p.Push.Slug, StringComparer.Ordinal)]);
            }

            taken.Clear();
        }
    }

    private async Task WriteGroupAsync(Pending[] group)
    {
        KeyedPatchWrite[] writes;
        try
        {
            writes = await writer.ApplyWithKeysAsync([.. group.Select(p => p.Push)], CancellationToken.None);
        }
        catch (PostgresException ex) when (!DatabaseOutage.IsOutage(ex))
        {
            // Nothing of the group was written; each push gets its own transaction and its own answer.
            LogGroupFailed(logger, group.Length, ex.SqlState, ex.MessageText);
            foreach (var pending in group)
            {
                await WriteAloneAsync(pending);
            }

            return;
        }
        catch (Exception ex)
        {
            foreach (var pending in group)
            {
                pending.Completion.TrySetException(ex);
            }

            return;
        }

        for (var i = 0; i < group.Length; i++)
        {
            group[i].Completion.TrySetResult(writes[i]);
        }
    }

    private async Task WriteAloneAsync(Pending pending)
    {
        var loop = Activity.Current;
        Activity.Current = pending.Activity;
        try
        {
            pending.Completion.TrySetResult(await writer.ApplyWithKeyAsync(pending.Push, CancellationToken.None));
        }
        catch (Exception ex)
        {
            pending.Completion.TrySetException(ex);
        }
        finally
        {
            Activity.Current = loop;
        }
    }

    [LoggerMessage(LogLevel.Warning, "A group of {Count} pushes was rolled back ({SqlState}: {Reason}); each is written again alone")]
    private static partial void LogGroupFailed(ILogger logger, int count, string sqlState, string reason);
}
