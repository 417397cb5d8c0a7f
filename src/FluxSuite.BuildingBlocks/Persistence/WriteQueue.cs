using System.Threading.Channels;
using Microsoft.Extensions.Hosting;

namespace FluxSuite.BuildingBlocks.Persistence;

/// <summary>
/// The frame of a group commit: requests queue what they want written and wait; a fixed number of writer loops take what
/// is queued and write it together. Whatever was queued before the host stopped taking requests is still written; once
/// it has, <see cref="TryQueue"/> refuses.
/// </summary>
/// <typeparam name="T">What a request queues (its work and how it is answered).</typeparam>
public abstract class WriteQueue<T>(int writers) : BackgroundService
{
    private readonly Channel<T> _queue = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    /// <summary>What waits for a writer.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Queues <paramref name="item"/>; false once the host is stopping (nothing of it was taken).</summary>
    protected bool TryQueue(T item) => _queue.Writer.TryWrite(item);

    /// <summary>One writer loop: takes what is queued off <paramref name="queue"/> and writes it, until the queue is completed and empty.</summary>
    protected abstract Task WriteLoopAsync(ChannelReader<T> queue);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(() => WriteLoopAsync(_queue.Reader), CancellationToken.None)));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }
}
