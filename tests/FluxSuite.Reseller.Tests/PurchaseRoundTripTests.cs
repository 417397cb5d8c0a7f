using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Reseller.Tests;

/// <summary>
/// A purchase's round trips to PostgreSQL, counted from Npgsql's own trace (one activity per command or batch it
/// executes) within the purchase's request: the key lookup with the account's read (product access, balance, the
/// <c>plan.created</c> endpoints, prices) in one batch, and one batch with the plan, its event, the charge and the commit. Money,
/// ledger rows, the event, <c>balance.low</c> and 402 are checked through that path.
/// </summary>
[Collection(ResellerWebhooksCollection.Name)]
public sealed class PurchaseRoundTripTests(ResellerWebhooksApp app) : IAsyncLifetime
{
    private readonly DatabaseCommands _commands = new();
    private WebhookReceiver _receiver = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        app.Clock.Set(DateTimeOffset.UtcNow);
        _receiver = await WebhookReceiver.StartAsync();
    }

    public ValueTask DisposeAsync()
    {
        _commands.Dispose();
        return _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Given_a_funded_reseller_When_it_buys_a_plan_Then_the_purchase_is_two_round_trips_the_key_with_the_account_and_its_writes_with_the_charge_and_the_commit()
    {
        var reseller = await ResellerWithKeyUsedAsync();

        var (response, statements) = await CountedAsync(reseller, new { product = "residential", bandwidth_gb = 2, end_user_reference = "counted" });

        AssertCreatedInRoundTrips(response, statements,
            ["reseller.reseller_keys", "reseller.webhook_endpoints", "reseller.balances", "reseller.price_overrides"],
            ["INSERT INTO reseller.plans", "UPDATE reseller.balances"]);
        // 10 000 − 300 − 600 cents, one ledger entry per purchase, and the plan, counted in plan_counts with the first.
        var plan = (await Api.DataAsync(response)).GetProperty("plan_id").GetGuid();
        Assert.Equal(9_100, await app.BalanceAsync(reseller.Id));
        Assert.Equal(9_100, await app.LedgerSumAsync(reseller.Id));
        Assert.Equal(-600, await app.Database.ScalarAsync<long>(
            "SELECT amount_cents FROM reseller.ledger_entries WHERE plan_id = @p AND type = 'purchase' AND balance_after_cents = 9100", ("p", plan)));
        Assert.Equal(2L, await app.CountAsync("SELECT sum(plans) FROM reseller.plan_counts WHERE reseller_id = @r AND mode = @m", reseller.Id));
        Assert.Equal("counted", await app.Database.ScalarAsync<string>("SELECT end_user_reference FROM reseller.plans WHERE id = @p", ("p", plan)));
    }

    [Fact]
    public async Task Given_other_charges_of_the_balance_under_way_When_a_plan_is_bought_Then_it_sends_nothing_until_its_turn_and_then_its_writes_charge_and_commit_at_once()
    {
        var reseller = await ResellerWithKeyUsedAsync();
        var queue = app.Factory.Services.GetRequiredService<BalanceQueue>();
        var turns = new List<IAsyncDisposable>();
        for (var i = 0; i < BalanceQueue.ChargesAtOnce; i++)
        {
            turns.Add(await queue.EnterAsync(reseller.Id, Mode.Live, TestContext.Current.CancellationToken));
        }

        var purchase = CountedAsync(reseller, new { product = "residential", bandwidth_gb = 2, end_user_reference = "queued" });
        // The purchase waits for a turn, its account read, nothing of it written and no transaction of it open.
        await WaitForAsync(() => Task.FromResult(queue.Charges(reseller.Id, Mode.Live) == BalanceQueue.ChargesAtOnce + 1));
        Assert.False(purchase.IsCompleted);
        Assert.Equal(0L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM reseller.plans WHERE end_user_reference = 'queued'"));
        Assert.Equal(0L, await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE 'INSERT INTO reseller.plans%'"));
        Assert.Equal(9_700, await app.BalanceAsync(reseller.Id));
        await turns[0].DisposeAsync();
        var (response, statements) = await purchase;

        AssertCreatedInRoundTrips(response, statements, ["reseller.reseller_keys"], ["INSERT INTO reseller.plans", "UPDATE reseller.balances"]);
        Assert.Equal(9_100, await app.BalanceAsync(reseller.Id));
        Assert.Equal(9_100, await app.LedgerSumAsync(reseller.Id));
        Assert.Equal(1, queue.Balances);
        foreach (var held in turns.Skip(1))
        {
            await held.DisposeAsync();
        }

        Assert.Equal(0, queue.Balances);
    }

    [Fact]
    public async Task Given_endpoints_for_plan_created_When_a_plan_is_bought_Then_its_event_and_deliveries_are_written_in_the_same_two_round_trips()
    {
        var reseller = await app.CreateFundedResellerAsync(10_000);
        var first = await RegisterAsync(reseller, "plan.created");
        var second = await RegisterAsync(reseller, "plan.created", "balance.low");
        await RegisterAsync(reseller, "plan.expired");
        await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 1 });

        var (response, statements) = await CountedAsync(reseller, new { product = "residential", bandwidth_gb = 1 });

        AssertCreatedInRoundTrips(response, statements, ["reseller.reseller_keys"], ["webhook_events"]);
        var data = await Api.DataAsync(response);
        var plan = data.GetProperty("plan_id").GetGuid();
        var payload = await app.Database.ScalarAsync<string>(
            "SELECT payload FROM reseller.webhook_events WHERE type = 'plan.created' AND payload::jsonb -> 'data' ->> 'plan_id' = @p", ("p", plan.ToString()));
        using (var sent = JsonDocument.Parse(payload!))
        {
            Assert.Equal(data.GetRawText(), sent.RootElement.GetProperty("data").GetRawText());
        }

        Assert.Equal(4, await app.Factory.DeliverWebhooksAsync());
        var created = _receiver.Received.Where(r => r.Type == "plan.created" && r.Data.GetProperty("plan_id").GetGuid() == plan).ToList();
        Assert.Equal(2, created.Count);
        Assert.Equal(new[] { first, second }.Order(), await EndpointsOfAsync(plan));
    }

    [Fact]
    public async Task Given_a_purchase_that_takes_the_balance_below_its_threshold_Then_balance_low_is_written_and_the_charge_is_exact()
    {
        var reseller = await app.CreateFundedResellerAsync(10_000);
        await RegisterAsync(reseller, "balance.low");
        var threshold = await reseller.Live().PutAsJsonAsync("/api/v1/webhooks/settings", new { balance_low_threshold_cents = 9_500 });
        Assert.Equal(HttpStatusCode.OK, threshold.StatusCode);
        await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 1 });

        // 9 700 → 9 400: the charge in the batch refuses (the event is due) and the charge after the savepoint writes it.
        var (response, statements) = await CountedAsync(reseller, new { product = "residential", bandwidth_gb = 1 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(statements.Count > 2, Describe(statements));
        Assert.Equal(9_400, await app.BalanceAsync(reseller.Id));
        Assert.Equal(9_400, await app.LedgerSumAsync(reseller.Id));
        Assert.Equal(2L, await app.CountAsync("SELECT count(*) FROM reseller.ledger_entries WHERE reseller_id = @r AND mode = @m AND type = 'purchase'", reseller.Id));
        Assert.Equal(1, await app.Factory.DeliverWebhooksAsync());
        var low = Assert.Single(_receiver.Received).Data;
        Assert.Equal(9_500, low.GetProperty("threshold_cents").GetInt64());
        Assert.Equal(9_400, low.GetProperty("balance").GetProperty("balance_cents").GetInt64());
    }

    [Fact]
    public async Task Given_a_balance_spent_between_the_first_check_and_the_charge_Then_the_purchase_is_402_and_leaves_nothing()
    {
        var reseller = await ResellerWithKeyUsedAsync();
        // Another purchase's spend landing after this one's first check: the plan's insert (before the charge, in the same
        // transaction) empties the balance when the plan is marked so.
        await WhenPlanInsertedAsync("spent-meanwhile",
            "UPDATE reseller.balances SET balance_cents = 100 WHERE reseller_id = NEW.reseller_id AND mode = NEW.mode;", async () =>
            {
                var (response, _) = await CountedAsync(reseller, new { product = "residential", bandwidth_gb = 2, end_user_reference = "spent-meanwhile" });

                var error = await Api.ErrorAsync(response, HttpStatusCode.PaymentRequired, "INSUFFICIENT_BALANCE");
                Assert.Equal("Not enough balance: this costs $6.00 and the balance is $1.00.", error.GetProperty("message").GetString());
            });

        await AssertOnlyTheFirstPurchaseAsync(reseller);
    }

    [Fact]
    public async Task Given_an_idempotency_key_Then_the_stored_answer_commits_with_the_purchase_and_a_retry_replays_it()
    {
        var reseller = await app.CreateFundedResellerAsync(10_000);
        var order = new { product = "residential", bandwidth_gb = 1 };

        var first = await reseller.Live().PostJsonAsync("/api/v1/plans", order, "purchase-1");
        var again = await reseller.Live().PostJsonAsync("/api/v1/plans", order, "purchase-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(9_700, await app.BalanceAsync(reseller.Id));
        Assert.Equal(1L, await app.CountAsync("SELECT count(*) FROM reseller.plans WHERE reseller_id = @r AND mode = @m", reseller.Id));
        Assert.Equal(1L, await app.CountAsync(
            "SELECT count(*) FROM reseller.idempotency_keys WHERE reseller_id = @r AND mode = @m AND status = 'completed'", reseller.Id));
    }

    [Fact]
    public async Task Given_an_idempotency_key_When_a_plan_is_bought_Then_its_answer_is_stored_in_the_write_batch_and_the_purchase_is_three_round_trips()
    {
        var reseller = await ResellerWithKeyUsedAsync();

        var (response, statements) = await CountedAsync(reseller.Live(), new { product = "residential", bandwidth_gb = 2 }, "batch-answer");

        AssertCreatedInRoundTrips(response, statements,
            ["reseller.reseller_keys"], ["reseller.idempotency_keys"], ["UPDATE reseller.idempotency_keys", "UPDATE reseller.balances"]);
        var stored = await app.Database.ScalarAsync<string>(
            "SELECT response_body FROM reseller.idempotency_keys WHERE reseller_id = @r AND key = 'batch-answer' AND status = 'completed'", ("r", reseller.Id));
        Assert.Equal(await response.Content.ReadAsStringAsync(), stored);
        Assert.Equal(9_100, await app.BalanceAsync(reseller.Id));
    }

    [Fact]
    public async Task Given_a_claim_lost_before_the_write_batch_When_a_plan_is_bought_Then_it_is_409_and_nothing_of_it_is_kept()
    {
        var reseller = await ResellerWithKeyUsedAsync();
        // Another request taking the key over after the lease: the claim's token changes under the purchase, seen by the
        // answer's store, which comes after the plan's insert in the same batch.
        await WhenPlanInsertedAsync("claim-lost",
            "UPDATE reseller.idempotency_keys SET lock_token = gen_random_uuid() WHERE reseller_id = NEW.reseller_id AND mode = NEW.mode;", async () =>
            {
                var (response, _) = await CountedAsync(reseller.Live(), new { product = "residential", bandwidth_gb = 2, end_user_reference = "claim-lost" }, "lost");

                await Api.ErrorAsync(response, HttpStatusCode.Conflict, "IDEMPOTENCY_CONFLICT");
            });

        await AssertOnlyTheFirstPurchaseAsync(reseller);
        // The takeover was this transaction's own and rolled back with it: the request's claim was released, and the key works.
        Assert.Equal(0L, await app.CountAsync("SELECT count(*) FROM reseller.idempotency_keys WHERE reseller_id = @r AND mode = @m", reseller.Id));
        var retry = await reseller.Live().PostJsonAsync("/api/v1/plans", new { product = "residential", bandwidth_gb = 2 }, "lost");
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(9_100, await app.BalanceAsync(reseller.Id));
    }

    [Fact]
    public async Task Given_a_host_behind_a_pooler_When_a_plan_is_bought_Then_the_same_batch_runs_unprepared_in_two_round_trips()
    {
        await using var unprepared = app.CreateHostBehindPooler();
        Assert.False(unprepared.Services.GetRequiredService<PooledStatements>().Prepared);
        var reseller = await app.CreateFundedResellerAsync(10_000);
        await RegisterAsync(reseller, "plan.created");
        var client = unprepared.CreateBearerClient(reseller.LiveKey);
        await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 1 });

        var (response, statements) = await CountedAsync(client, new { product = "residential", bandwidth_gb = 1 });

        AssertCreatedInRoundTrips(response, statements, ["reseller.reseller_keys"], ["webhook_events"]);
        Assert.Equal(9_400, await app.BalanceAsync(reseller.Id));
        Assert.Equal(9_400, await app.LedgerSumAsync(reseller.Id));
        Assert.Equal(2L, await app.CountAsync("SELECT count(*) FROM reseller.webhook_events WHERE owner_id = @r AND mode = @m AND type = 'plan.created'", reseller.Id));
    }

    private async Task<Guid> RegisterAsync(TestReseller reseller, params string[] events)
    {
        var response = await reseller.Live().PostAsJsonAsync("/api/v1/webhooks", new { url = _receiver.Url("/live"), events });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await Api.DataAsync(response)).GetProperty("id").GetGuid();
    }

    private async Task<IEnumerable<Guid>> EndpointsOfAsync(Guid plan)
    {
        var ids = await app.Database.ScalarAsync<Guid[]>("""
            SELECT array_agg(d.endpoint_id ORDER BY d.endpoint_id) FROM reseller.webhook_deliveries d
            JOIN reseller.webhook_events e ON e.id = d.event_id
            WHERE e.type = 'plan.created' AND e.payload::jsonb -> 'data' ->> 'plan_id' = @p
            """, ("p", plan.ToString()));
        return ids ?? [];
    }

    /// <summary>
    /// Buys through the API and returns the answer with the statement text of every command or batch Npgsql executed for
    /// that request, in order (a batch's statements joined by <c>;</c>).
    /// </summary>
    private Task<(HttpResponseMessage Response, IReadOnlyList<string> Commands)> CountedAsync(TestReseller reseller, object order) =>
        CountedAsync(reseller.Live(), order);

    private Task<(HttpResponseMessage Response, IReadOnlyList<string> Commands)> CountedAsync(HttpClient client, object order, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/plans") { Content = JsonContent.Create(order) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("X-Idempotency-Key", idempotencyKey);
        }

        return _commands.SendAsync(client, request);
    }

    // A reseller with $100.00 whose key has been used, by a purchase of 1 GB ($3.00): the key's first use records it, a
    // round trip of its own, once, so that the purchases a test counts come after it.
    private async Task<TestReseller> ResellerWithKeyUsedAsync()
    {
        var reseller = await app.CreateFundedResellerAsync(10_000);
        await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 1 });
        return reseller;
    }

    // Nothing of a refused purchase is kept: the balance, the ledger, the plans and their counts are those of
    // ResellerWithKeyUsedAsync's purchase alone.
    private async Task AssertOnlyTheFirstPurchaseAsync(TestReseller reseller)
    {
        Assert.Equal(9_700, await app.BalanceAsync(reseller.Id));
        Assert.Equal(9_700, await app.LedgerSumAsync(reseller.Id));
        Assert.Equal(1L, await app.CountAsync("SELECT count(*) FROM reseller.plans WHERE reseller_id = @r AND mode = @m", reseller.Id));
        Assert.Equal(1L, await app.CountAsync("SELECT sum(plans) FROM reseller.plan_counts WHERE reseller_id = @r AND mode = @m", reseller.Id));
    }

    // Runs action with a trigger on plans that runs statement (NEW is the plan) in the purchase's own transaction, after the
    // plan's insert, for a plan whose end_user_reference is marker: what another request could do between two statements.
    private async Task WhenPlanInsertedAsync(string marker, string statement, Func<Task> action)
    {
        await app.Database.ScalarAsync<int>($"""
            CREATE OR REPLACE FUNCTION reseller.test_on_plan_insert() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                {statement}
                RETURN NEW;
            END $$;
            DROP TRIGGER IF EXISTS test_on_plan_insert ON reseller.plans;
            CREATE TRIGGER test_on_plan_insert AFTER INSERT ON reseller.plans FOR EACH ROW
                WHEN (NEW.end_user_reference = '{marker}') EXECUTE FUNCTION reseller.test_on_plan_insert();
            SELECT 1;
            """);
        try
        {
            await action();
        }
        finally
        {
            await app.Database.ScalarAsync<int>("DROP TRIGGER test_on_plan_insert ON reseller.plans; DROP FUNCTION reseller.test_on_plan_insert(); SELECT 1;");
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var attempt = 0; attempt < 200 && !await condition(); attempt++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.True(await condition(), "The purchase's writes were not sent within 10 s.");
    }

    // The purchase answered 201 in roundTrips.Length round trips, the i-th holding each text of roundTrips[i] and the last
    // ending with the commit.
    private static void AssertCreatedInRoundTrips(HttpResponseMessage response, IReadOnlyList<string> statements, params string[][] roundTrips)
    {
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(statements.Count == roundTrips.Length, Describe(statements));
        for (var i = 0; i < roundTrips.Length; i++)
        {
            foreach (var text in roundTrips[i])
            {
                Assert.Contains(text, statements[i], StringComparison.Ordinal);
            }
        }

        Assert.EndsWith("COMMIT", statements[^1], StringComparison.Ordinal);
    }

    private static string Describe(IReadOnlyList<string> statements) =>
        $"{statements.Count} round trips:\n{string.Join("\n---\n", statements)}";
}
