using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Metering.Usage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace FluxSuite.Metering.Tests;

/// <summary>The SDK write queue is bounded: past its limit a request is refused at once (503 with Retry-After), not queued.</summary>
public sealed class EventQueueBoundTests
{
    [Fact]
    public async Task Given_the_queue_holds_its_limit_Then_the_next_request_is_refused_at_once_and_takes_nothing()
    {
        // No writer runs: whatever is accepted stays queued.
        await using var source = new SdkDataSource(new ConfigurationBuilder().Build());
        using var queue = new EventWriteQueue(new EventWriter(source), source, NullLogger<EventWriteQueue>.Instance);
        var batch = Enumerable.Range(0, 1000).Select(i => new ValidEvent(i, Guid.NewGuid(), "mtr", "cust", null, [], 1, null,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch)).ToList();

        var accepted = Enumerable.Range(0, EventWriteQueue.MaxQueuedEvents / batch.Count).Select(_ => queue.WriteAsync("key", batch)).ToList();
        var refused = await Assert.ThrowsAsync<ServiceUnavailableException>(() => queue.WriteAsync("key", batch[..1]));

        Assert.All(accepted, task => Assert.False(task.IsCompleted));
        Assert.Equal(1, refused.RetryAfterSeconds);
        Assert.Contains("nothing of this request was taken", refused.Message, StringComparison.Ordinal);
    }
}
