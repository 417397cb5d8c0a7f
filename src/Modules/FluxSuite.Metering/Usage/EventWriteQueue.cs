using System.Threading.Channels;
using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.Extensions.Logging;

namespace FluxSuite.Metering.Usage;

/// <summary>
/// Group commit for the SDK write path. Each request (one event, or a batch) queues its events and
/// waits; a few writer loops take whole requests off the queue, up to <see cref="MaxEvents"/> events
/// at a time, and write each API key's events with one <see cref="EventWriter"/> statement. A request
/// is answered only after the statement holding its events has committed, so nothing is acknowledged
/// before it is durable, while under load the database pays one round trip, plan and commit for many
/// requests, and at most <see cref="Writers"/> statements insert at once, so a flood of SDK traffic
/// holds four connections of the shared database, not one per request. A request's events travel together and in
/// order, so "the first event with an idempotency key wins" keeps meaning the first in the request.
/// When idle a request is written at once, alone.
/// </summary>
internal sealed partial class EventWriteQueue(EventWriter writer, SdkDataSource sdkDataSource, ILogger<EventWriteQueue> logger) : WriteQueue<EventWriteQueue.Pending>(Writers)
{
    public const int MaxEvents = 1000;

    /// <summary>Statements in flight at once (each holds one connection of the SDK pool).</summary>
    public const int Writers = 4;

    /// <summary>
    /// Events waiting at most (a few seconds of the writers' throughput). Past it a request is refused at
    /// once with 503 and Retry-After instead of waiting in an ever longer queue; nothing of it was taken.
    /// </summary>
    public const int MaxQueuedEvents = 100_000;

    private int _queued;

    internal sealed record Pending(string PresentedKey, IReadOnlyList<ValidEvent> Events, TaskCompletionSource<WriteResult> Completion);

    /// <summary>Writes a request's events; completes when they are committed (or found duplicate, or refused), in their order.</summary>
    public Task<WriteResult> WriteAsync(string presentedKey, IReadOnlyList<ValidEvent> events)
    {
        var pending = new Pending(presentedKey, events, new TaskCompletionSource<WriteResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (Interlocked.Add(ref _queued, events.Count) > MaxQueuedEvents)
        {
            Interlocked.Add(ref _queued, -events.Count);
            throw new ServiceUnavailableException(
                $"Too many events are waiting to be written ({MaxQueuedEvents} at most); nothing of this request was taken. Retry in a second.", 1);
        }

        if (!TryQueue(pending))
        {
            Interlocked.Add(ref _queued, -events.Count);
            throw new ServiceUnavailableException("This instance is shutting down and takes no more events; nothing of this request was taken. Retry.", 1);
        }

        return pending.Completion.Task;
    }

    protected override async Task WriteLoopAsync(ChannelReader<Pending> queue)
    {
        var taken = new List<Pending>();
        while (await queue.WaitToReadAsync(CancellationToken.None))
        {
            var events = 0;
            while (events < MaxEvents && queue.TryPeek(out var next) && (events == 0 || events + next.Events.Count <= MaxEvents)
                   && queue.TryRead(out var pending))
            {
                taken.Add(pending);
                events += pending.Events.Count;
                Interlocked.Add(ref _queued, -pending.Events.Count);
            }

            foreach (var group in taken.GroupBy(p => p.PresentedKey, StringComparer.Ordinal))
            {
                await FlushAsync(group.Key, [.. group]);
            }

            taken.Clear();
        }
    }

    private async Task FlushAsync(string presentedKey, List<Pending> requests)
    {
        try
        {
            // Positions in the statement; each request's events keep their order and get their own index back.
            var positions = new List<(Pending Request, ValidEvent Event)>();
            foreach (var request in requests)
            {
                positions.AddRange(request.Events.Select(e => (request, e)));
            }

            var result = await writer.WriteAsync(presentedKey, [.. positions.Select((p, i) => p.Event.At(i))], CancellationToken.None);
            var outcomes = requests.ToDictionary(r => r, _ => new List<WrittenEvent>());
            foreach (var written in result.Events)
            {
                var (request, original) = positions[written.Event.Index];
                outcomes[request].Add(written with { Event = original });
            }

            foreach (var (request, own) in outcomes)
            {
                request.Completion.TrySetResult(result with { Events = own });
            }
        }
        catch (Exception ex)
        {
            if (DatabaseOutage.IsOutage(ex))
            {
                // Each caller gets a 503; the outage itself is logged once by the host. The pool's idle
                // connections may be broken too (a restart): drop them, so none is used once it is back.
                LogWriteUnreachable(logger, requests.Sum(r => r.Events.Count), ex.Message);
                sdkDataSource.Source.Clear();
            }
            else
            {
                LogWriteFailed(logger, requests.Sum(r => r.Events.Count), ex);
            }

            foreach (var request in requests)
            {
                request.Completion.TrySetException(ex);
            }
        }
    }

    [LoggerMessage(LogLevel.Debug, "Writing {Count} tracked event(s) failed, the database is unreachable: {Reason}")]
    private static partial void LogWriteUnreachable(ILogger logger, int count, string reason);

    [LoggerMessage(LogLevel.Error, "Writing {Count} tracked event(s) failed; their callers get an error and nothing of theirs was stored")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception exception);
}
