using System.Net;
using System.Net.Http.Json;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Reseller.Tests;

/// <summary>
/// Purchases of one balance that wait for its turn are committed together, one transaction and one commit for the group
/// (<see cref="ChargeGroups"/>; docs/reseller.md, "Group commit for purchases"). The test holds every turn of the balance so
/// that its purchases queue, then passes one turn: the purchase that gets it takes the others. Rows written by one
/// transaction share its id (<c>xmin</c>).
/// </summary>
[Collection(ResellerCollection.Name)]
public sealed class PurchaseGroupCommitTests(ResellerApp app) : IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_purchases_waiting_for_their_balance_Then_they_are_committed_in_one_transaction_each_answered_with_its_plan_and_charged_to_the_cent()
    {
        var reseller = await app.CreateFundedResellerAsync(10_000);
        await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 1 });

        var answers = await WhileTurnsAreHeldAsync(reseller, [.. Enumerable.Range(1, 5).Select(i => new { product = "residential", bandwidth_gb = i, end_user_reference = $"group-{i}" })]);

        for (var i = 0; i < answers.Length; i++)
        {
            Assert.Equal(HttpStatusCode.Created, answers[i].StatusCode);
            var plan = await Api.DataAsync(answers[i]);
            Assert.Equal($"group-{i + 1}", plan.GetProperty("end_user_reference").GetString());
            Assert.Equal(-(i + 1) * 300L, await app.Database.ScalarAsync<long>(
                "SELECT amount_cents FROM reseller.ledger_entries WHERE plan_id = @p AND type = 'purchase'", ("p", plan.GetProperty("plan_id").GetGuid())));
        }

        // 10 000 − 300 − (1 + 2 + 3 + 4 + 5) × 300 cents.
        Assert.Equal(5_200, await app.BalanceAsync(reseller.Id));
        Assert.Equal(5_200, await app.LedgerSumAsync(reseller.Id));
        Assert.Equal(6L, await app.CountAsync("SELECT sum(plans) FROM reseller.plan_counts WHERE reseller_id = @r AND mode = @m", reseller.Id));
        Assert.Equal(1L, await GroupAsync("count(DISTINCT p.xmin::text)"));
        Assert.Equal(1L, await app.Database.ScalarAsync<long>("""
            SELECT count(DISTINCT e.xmin::text) FROM reseller.ledger_entries e JOIN reseller.plans p ON p.id = e.plan_id
            WHERE p.end_user_reference LIKE 'group-%'
            """));
    }

    [Fact]
    public async Task Given_a_group_with_a_purchase_the_balance_cannot_cover_Then_the_group_keeps_nothing_and_each_purchase_is_made_alone()
    {
        // 9 700 cents after the first purchase: three purchases of 10 GB ($30.00) are covered, the fourth is not.
        var reseller = await app.CreateFundedResellerAsync(10_000);
        await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 1 });

        var answers = await WhileTurnsAreHeldAsync(reseller, [.. Enumerable.Range(1, 4).Select(i => new { product = "residential", bandwidth_gb = 10, end_user_reference = $"group-{i}" })]);

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        var refused = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.PaymentRequired);
        var error = await Api.ErrorAsync(refused, HttpStatusCode.PaymentRequired, "INSUFFICIENT_BALANCE");
        Assert.Equal("Not enough balance: this costs $30.00 and the balance is $7.00.", error.GetProperty("message").GetString());
        Assert.Equal(700, await app.BalanceAsync(reseller.Id));
        Assert.Equal(700, await app.LedgerSumAsync(reseller.Id));
        Assert.Equal(3L, await GroupAsync("count(*)"));
        // Each in a transaction of its own.
        Assert.Equal(3L, await GroupAsync("count(DISTINCT p.xmin::text)"));
        Assert.Equal(4L, await app.CountAsync("SELECT sum(plans) FROM reseller.plan_counts WHERE reseller_id = @r AND mode = @m", reseller.Id));
    }

    [Fact]
    public async Task Given_a_group_whose_purchase_takes_the_balance_below_its_threshold_Then_each_is_made_alone_and_charged_to_the_cent()
    {
        var reseller = await app.CreateFundedResellerAsync(10_000);
        var threshold = await reseller.Live().PutAsJsonAsync("/api/v1/webhooks/settings", new { balance_low_threshold_cents = 9_000 });
        Assert.Equal(HttpStatusCode.OK, threshold.StatusCode);
        await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 1 });

        var answers = await WhileTurnsAreHeldAsync(reseller, [.. Enumerable.Range(1, 3).Select(i => new { product = "residential", bandwidth_gb = 2, end_user_reference = $"group-{i}" })]);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        Assert.Equal(7_900, await app.BalanceAsync(reseller.Id));
        Assert.Equal(7_900, await app.LedgerSumAsync(reseller.Id));
        // The second charge crosses the threshold (9 100 → 8 500), which the group's charge refuses (the event's check is
        // the charge made alone, PurchaseRoundTripTests): each purchase in a transaction of its own.
        Assert.Equal(3L, await GroupAsync("count(DISTINCT p.xmin::text)"));
    }

    /// <summary>
    /// Holds every turn of the reseller's live balance, sends <paramref name="orders"/> one at a time, each once the one
    /// before waits for a turn, then passes one turn: the purchase that gets it takes the others into its group.
    /// </summary>
    private async Task<HttpResponseMessage[]> WhileTurnsAreHeldAsync(TestReseller reseller, IReadOnlyList<object> orders)
    {
        var queue = app.Factory.Services.GetRequiredService<BalanceQueue>();
        var groups = app.Factory.Services.GetRequiredService<ChargeGroups>();
        var token = TestContext.Current.CancellationToken;
        var turns = new List<IAsyncDisposable>();
        for (var i = 0; i < BalanceQueue.ChargesAtOnce; i++)
        {
            turns.Add(await queue.EnterAsync(reseller.Id, Mode.Live, token));
        }

        var client = reseller.Live();
        var sent = new List<Task<HttpResponseMessage>>();
        foreach (var order in orders)
        {
            sent.Add(client.PostJsonAsync("/api/v1/plans", order));
            Assert.True(
                await Eventually.WaitUntilAsync(() => Task.FromResult(groups.Offered == sent.Count), TimeSpan.FromSeconds(10)),
                $"{groups.Offered} purchases offered, {sent.Count} sent");
        }

        await turns[0].DisposeAsync();
        var answers = await Task.WhenAll(sent);
        await turns[1].DisposeAsync();
        Assert.Equal(0, queue.Balances);
        Assert.Equal(0, groups.Offered);
        return answers;
    }

    private Task<long> GroupAsync(string aggregate) =>
        app.Database.ScalarAsync<long>($"SELECT {aggregate} FROM reseller.plans p WHERE p.end_user_reference LIKE 'group-%'");
}
