using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Catalog;

namespace FluxSuite.Reseller.Tests;

/// <summary>
/// The turns of <see cref="BalanceQueue"/>: <see cref="BalanceQueue.ChargesAtOnce"/> charges of a balance at a time, balances
/// apart, nothing kept when idle. Each test starts with every turn of one balance held.
/// </summary>
public sealed class BalanceQueueTests
{
    private static readonly Guid Reseller = Guid.CreateVersion7();
    private readonly CancellationToken _token = TestContext.Current.CancellationToken;
    private readonly BalanceQueue _queue = new();

    [Fact]
    public async Task Given_a_balance_whose_turns_are_all_held_When_another_charge_enters_Then_it_waits_until_a_turn_is_passed()
    {
        var held = await HoldEveryTurnAsync();

        var next = Enter();
        await Task.Delay(50, _token);
        Assert.False(next.IsCompleted);

        await held[0].DisposeAsync();
        await PassOnAndAssertEmptyAsync(next, held[1..]);
    }

    [Fact]
    public async Task Given_turns_held_When_a_charge_of_another_reseller_or_mode_enters_Then_it_does_not_wait()
    {
        var held = await HoldEveryTurnAsync();

        var otherMode = _queue.EnterAsync(Reseller, Mode.Test, _token);
        var otherReseller = _queue.EnterAsync(Guid.CreateVersion7(), Mode.Live, _token);

        Assert.True(otherMode.IsCompleted);
        Assert.True(otherReseller.IsCompleted);
        await (await otherMode).DisposeAsync();
        Assert.Equal(2, _queue.Balances);
        await PassOnAndAssertEmptyAsync(otherReseller.AsTask(), held);
    }

    [Fact]
    public async Task Given_a_waiting_charge_When_its_request_is_cancelled_Then_it_leaves_the_queue_and_the_next_one_gets_the_turn()
    {
        var held = await HoldEveryTurnAsync();
        using var cancel = new CancellationTokenSource();
        var cancelled = _queue.EnterAsync(Reseller, Mode.Live, cancel.Token).AsTask();
        var next = Enter();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await held[0].DisposeAsync();

        await PassOnAndAssertEmptyAsync(next, held[1..]);
    }

    [Fact]
    public async Task Given_a_turn_disposed_twice_Then_it_is_passed_once()
    {
        var held = await HoldEveryTurnAsync();
        var second = Enter();
        var third = Enter();

        await held[0].DisposeAsync();
        await held[0].DisposeAsync();
        var next = await TurnAsync(second);
        await Task.Delay(50, _token);

        Assert.False(third.IsCompleted);
        await next.DisposeAsync();
        await PassOnAndAssertEmptyAsync(third, held[1..]);
    }

    // Takes every turn of Reseller's live balance; each is given at once.
    private async Task<IAsyncDisposable[]> HoldEveryTurnAsync()
    {
        var held = new IAsyncDisposable[BalanceQueue.ChargesAtOnce];
        for (var i = 0; i < held.Length; i++)
        {
            var turn = Enter();
            Assert.True(turn.IsCompleted);
            held[i] = await turn;
        }

        return held;
    }

    // A charge of Reseller's live balance entering the queue.
    private Task<IAsyncDisposable> Enter() => _queue.EnterAsync(Reseller, Mode.Live, _token).AsTask();

    // The turn a charge waits for, once it is given (within 10 s).
    private Task<IAsyncDisposable> TurnAsync(Task<IAsyncDisposable> waiting) => waiting.WaitAsync(TimeSpan.FromSeconds(10), _token);

    // The waiting charge gets its turn and passes it, the turns still held are passed, and the queue keeps nothing.
    private async Task PassOnAndAssertEmptyAsync(Task<IAsyncDisposable> waiting, IEnumerable<IAsyncDisposable> stillHeld)
    {
        await (await TurnAsync(waiting)).DisposeAsync();
        foreach (var turn in stillHeld)
        {
            await turn.DisposeAsync();
        }

        Assert.Equal(0, _queue.Balances);
    }
}
