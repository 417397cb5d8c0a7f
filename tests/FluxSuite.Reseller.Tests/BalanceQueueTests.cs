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
        var first = await Enter(queue);

        var second = Enter(queue);
        await Task.Delay(50, _token);
        Assert.False(second.IsCompleted);

        await first.DisposeAsync();
        await PassWhenGivenAsync(second);
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
        var first = await Enter(queue);
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.EnterAsync(Reseller, Mode.Live, cancel.Token).AsTask();
        var third = Enter(queue);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await first.DisposeAsync();

        await PassWhenGivenAsync(third);
        Assert.Equal(0, queue.Balances);
    }

    [Fact]
    public async Task Given_a_turn_disposed_twice_Then_it_is_passed_once()
    {
        var queue = new BalanceQueue();
        var first = await Enter(queue);
        var second = Enter(queue);
        var third = Enter(queue);

        await first.DisposeAsync();
        await first.DisposeAsync();
        var next = await TurnAsync(second);
        await Task.Delay(50, _token);

        Assert.False(third.IsCompleted);
        await next.DisposeAsync();
        await PassWhenGivenAsync(third);
        Assert.Equal(0, queue.Balances);
    }

    // A charge of Reseller's live balance entering the queue.
    private Task<IAsyncDisposable> Enter(BalanceQueue queue) => queue.EnterAsync(Reseller, Mode.Live, _token).AsTask();

    // The turn a charge waits for, once it is given (within 10 s).
    private Task<IAsyncDisposable> TurnAsync(Task<IAsyncDisposable> waiting) => waiting.WaitAsync(TimeSpan.FromSeconds(10), _token);

    // Takes the turn once it is given and passes it on.
    private async Task PassWhenGivenAsync(Task<IAsyncDisposable> waiting) => await (await TurnAsync(waiting)).DisposeAsync();
}
