using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Catalog;

namespace FluxSuite.Reseller.Tests;

/// <summary>
/// The turns of <see cref="BalanceQueue"/>: <see cref="BalanceQueue.ChargesAtOnce"/> charges of a balance at a time, balances
/// apart, nothing kept when idle.
/// </summary>
public sealed class BalanceQueueTests
{
    private static readonly Guid Reseller = Guid.CreateVersion7();
    private readonly CancellationToken _token = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Given_a_balance_whose_turns_are_all_held_When_another_charge_enters_Then_it_waits_until_a_turn_is_passed()
    {
        var queue = new BalanceQueue();
        var held = await HoldEveryTurnAsync(queue);

        var next = Enter(queue);
        await Task.Delay(50, _token);
        Assert.False(next.IsCompleted);

        await held[0].DisposeAsync();
        await PassWhenGivenAsync(next);
        await PassAllAsync(held[1..]);
        Assert.Equal(0, queue.Balances);
    }

    [Fact]
    public async Task Given_turns_held_When_a_charge_of_another_reseller_or_mode_enters_Then_it_does_not_wait()
    {
        var queue = new BalanceQueue();
        var held = await HoldEveryTurnAsync(queue);

        var otherMode = queue.EnterAsync(Reseller, Mode.Test, _token);
        var otherReseller = queue.EnterAsync(Guid.CreateVersion7(), Mode.Live, _token);

        Assert.True(otherMode.IsCompleted);
        Assert.True(otherReseller.IsCompleted);
        await (await otherMode).DisposeAsync();
        await (await otherReseller).DisposeAsync();
        Assert.Equal(1, queue.Balances);
        await PassAllAsync(held);
        Assert.Equal(0, queue.Balances);
    }

    [Fact]
    public async Task Given_a_waiting_charge_When_its_request_is_cancelled_Then_it_leaves_the_queue_and_the_next_one_gets_the_turn()
    {
        var queue = new BalanceQueue();
        var held = await HoldEveryTurnAsync(queue);
        using var cancel = new CancellationTokenSource();
        var cancelled = queue.EnterAsync(Reseller, Mode.Live, cancel.Token).AsTask();
        var next = Enter(queue);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await held[0].DisposeAsync();

        await PassWhenGivenAsync(next);
        await PassAllAsync(held[1..]);
        Assert.Equal(0, queue.Balances);
    }

    [Fact]
    public async Task Given_a_turn_disposed_twice_Then_it_is_passed_once()
    {
        var queue = new BalanceQueue();
        var held = await HoldEveryTurnAsync(queue);
        var second = Enter(queue);
        var third = Enter(queue);

        await held[0].DisposeAsync();
        await held[0].DisposeAsync();
        var next = await TurnAsync(second);
        await Task.Delay(50, _token);

        Assert.False(third.IsCompleted);
        await next.DisposeAsync();
        await PassWhenGivenAsync(third);
        await PassAllAsync(held[1..]);
        Assert.Equal(0, queue.Balances);
    }

    // Takes every turn of Reseller's live balance; each is given at once.
    private async Task<IAsyncDisposable[]> HoldEveryTurnAsync(BalanceQueue queue)
    {
        var held = new IAsyncDisposable[BalanceQueue.ChargesAtOnce];
        for (var i = 0; i < held.Length; i++)
        {
            var turn = Enter(queue);
            Assert.True(turn.IsCompleted);
            held[i] = await turn;
        }

        return held;
    }

    // A charge of Reseller's live balance entering the queue.
    private Task<IAsyncDisposable> Enter(BalanceQueue queue) => queue.EnterAsync(Reseller, Mode.Live, _token).AsTask();

    // The turn a charge waits for, once it is given (within 10 s).
    private Task<IAsyncDisposable> TurnAsync(Task<IAsyncDisposable> waiting) => waiting.WaitAsync(TimeSpan.FromSeconds(10), _token);

    // Takes the turn once it is given and passes it on.
    private async Task PassWhenGivenAsync(Task<IAsyncDisposable> waiting) => await (await TurnAsync(waiting)).DisposeAsync();

    private static async Task PassAllAsync(IEnumerable<IAsyncDisposable> held)
    {
        foreach (var turn in held)
        {
            await turn.DisposeAsync();
        }
    }
}
