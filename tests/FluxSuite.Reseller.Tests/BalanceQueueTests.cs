using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Catalog;

namespace FluxSuite.Reseller.Tests;

/// <summary>The turns of <see cref="BalanceQueue"/>: one charge of a balance at a time, balances apart, nothing kept when idle.</summary>
public sealed class BalanceQueueTests
{
    private static readonly Guid Reseller = Guid.CreateVersion7();
    private readonly CancellationToken _token = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Given_a_balance_whose_turn_is_held_When_another_charge_enters_Then_it_waits_until_the_turn_is_passed()
    {
        var queue = new BalanceQueue();
        var first = await queue.EnterAsync(Reseller, Mode.Live, _token);

        var second = queue.EnterAsync(Reseller, Mode.Live, _token).AsTask();
        await Task.Delay(50, _token);
        Assert.False(second.IsCompleted);

        await first.DisposeAsync();
        await (await second.WaitAsync(TimeSpan.FromSeconds(10), _token)).DisposeAsync();
        Assert.Equal(0, queue.Balances);
    }

    [Fact]
    public async Task Given_a_held_turn_When_a_charge_of_another_reseller_or_mode_enters_Then_it_does_not_wait()
    {
        var queue = new BalanceQueue();
        await using var held = await queue.EnterAsync(Reseller, Mode.Live, _token);

        var otherMode = queue.EnterAsync(Reseller, Mode.Test, _token);
        var otherReseller = queue.EnterAsync(Guid.CreateVersion7(), Mode.Live, _token);

        Assert.True(otherMode.IsCompleted);
        Assert.True(otherReseller.IsCompleted);
        await (await otherMode).DisposeAsync();
        await (await otherReseller).DisposeAsync();
        Assert.Equal(1, queue.Balances);
    }

    [Fact]
    public async Task Given_a_waiting_charge_When_its_request_is_cancelled_Then_it_leaves_the_queue_and_the_next_one_gets_the_turn()
    {
        var queue = new BalanceQueue();
        var first = await queue.EnterAsync(Reseller, Mode.Live, _token);
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.EnterAsync(Reseller, Mode.Live, cancel.Token).AsTask();
        var third = queue.EnterAsync(Reseller, Mode.Live, _token).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await first.DisposeAsync();

        await (await third.WaitAsync(TimeSpan.FromSeconds(10), _token)).DisposeAsync();
        Assert.Equal(0, queue.Balances);
    }

    [Fact]
    public async Task Given_a_turn_disposed_twice_Then_it_is_passed_once()
    {
        var queue = new BalanceQueue();
        var first = await queue.EnterAsync(Reseller, Mode.Live, _token);
        var second = queue.EnterAsync(Reseller, Mode.Live, _token).AsTask();
        var third = queue.EnterAsync(Reseller, Mode.Live, _token).AsTask();

        await first.DisposeAsync();
        await first.DisposeAsync();
        var next = await second.WaitAsync(TimeSpan.FromSeconds(10), _token);
        await Task.Delay(50, _token);

        Assert.False(third.IsCompleted);
        await next.DisposeAsync();
        await (await third.WaitAsync(TimeSpan.FromSeconds(10), _token)).DisposeAsync();
        Assert.Equal(0, queue.Balances);
    }
}
