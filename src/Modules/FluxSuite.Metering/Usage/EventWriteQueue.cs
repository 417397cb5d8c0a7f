using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FluxSuite.Metering.Usage;

/// <summary>
/// Group commit for single <c>sdk/track</c> calls. Each call queues its event and waits; a few writer
/// loops take whatever has queued up (up to <see cref="MaxBatch"/>), and write each API key's events
/// with one <see cref="EventWriter"/> statement. A call is answered only after the statement holding
/// its event has committed, so the guarantee of a single insert is kept, while the database pays one
/// round trip, one plan and one commit for many events under load. When idle a call is written at
/// once, alone.
/// </summary>
internal sealed partial class EventWriteQueue(EventWriter writer, ILogger<EventWriteQueue> logger) : BackgroundService
{
    public const int MaxBatch = 500;

    /// <summary>Statements in flight at once (each holds one connection of the SDK pool).</summary>
    public const int Writers = 4;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    private sealed record Pending(string PresentedKey, ValidEvent Event, TaskCompletionSource<WriteResult> Completion);

    /// <summary>Writes one event; completes when it is committed (or found to be a duplicate, or refused).</summary>
    public Task<WriteResult> WriteAsync(string presentedKey, ValidEvent e)
    {
        var pending = new Pending(presentedKey, e, new TaskCompletionSource<WriteResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The event writer is stopping: no more events are taken.");
        }

        return pending.Completion.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync, CancellationToken.None)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Whatever was queued before the server stopped taking requests is still written.
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            foreach (var group in batch.GroupBy(p => p.PresentedKey, StringComparer.Ordinal))
            {
                await FlushAsync(group.Key, [.. group]);
            }

            batch.Clear();
        }
    }

    private async Task FlushAsync(string presentedKey, List<Pending> group)
    {
        try
        {
            var result = await writer.WriteAsync(presentedKey, [.. group.Select((p, i) => p.Event.At(i))], CancellationToken.None);
            foreach (var (pending, index) in group.Select((p, i) => (p, i)))
            {
                var own = result.Events.Where(e => e.Event.Index == index).Select(e => e with { Event = pending.Event }).ToList();
                pending.Completion.TrySetResult(result with { Events = own });
            }
        }
        catch (Exception ex)
        {
            LogWriteFailed(logger, group.Count, ex);
            foreach (var pending in group)
            {
                pending.Completion.TrySetException(ex);
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "Writing {Count} tracked event(s) failed; their callers get an error and nothing of theirs was stored")]
    private static partial void LogWriteFailed(ILogger logger, int count, Exception exception);
}
