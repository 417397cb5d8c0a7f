using System.Net;
using System.Net.Http.Json;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

/// <summary>
/// <c>Reseller:ConcurrentUsageReports</c>: an instance accounts that many usage reports at a time, and the others wait
/// for a turn in the instance instead of in PostgreSQL. A report is held inside PostgreSQL by a lock this test takes on
/// its plan's row; what the report after it does meanwhile shows whether it had a turn.
/// </summary>
[Collection(ResellerCollection.Name)]
public sealed class UsageReportTurnsTests(ResellerApp app) : IAsyncLifetime
{
    /// <summary>The ingest's statement that locks the batch's plans.</summary>
    private const string PlanLock = "ORDER BY p.id FOR NO KEY UPDATE";

    private Guid _held;
    private Guid _free;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        var reseller = await app.CreateFundedResellerAsync(1_000_000);
        _held = await app.BuyAsync(reseller, new { product = "residential", bandwidth_gb = 10 });
        _free = await app.BuyAsync(reseller, new { product = "mobile", bandwidth_gb = 10 });
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_one_turn_and_a_report_held_in_PostgreSQL_When_a_report_of_another_plan_comes_Then_it_waits_for_the_turn_and_is_then_accounted()
    {
        await using var host = app.CreateHostWith("Reseller:ConcurrentUsageReports", "1");
        var client = host.CreateAdminClient();
        Task<HttpResponseMessage> second;
        Task<HttpResponseMessage> first;
        await using (var lockHolder = await LockPlanAsync(_held))
        {
            first = await ReportHeldPlanAsync(client);

            second = Report(client, _free, "second");
            await Task.Delay(500, TestContext.Current.CancellationToken);
            Assert.False(second.IsCompleted);
            Assert.Equal(0, await StoredAsync(_free));

            await lockHolder.CommitAsync();
        }

        Assert.Equal(HttpStatusCode.Accepted, (await first).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await second).StatusCode);
        Assert.Equal(1, await StoredAsync(_held));
        Assert.Equal(1, await StoredAsync(_free));
    }

    [Fact]
    public async Task Given_two_turns_and_a_report_held_in_PostgreSQL_When_a_report_of_another_plan_comes_Then_it_is_accounted_meanwhile()
    {
        await using var host = app.CreateHostWith("Reseller:ConcurrentUsageReports", "2");
        var client = host.CreateAdminClient();
        Task<HttpResponseMessage> first;
        await using (var lockHolder = await LockPlanAsync(_held))
        {
            first = await ReportHeldPlanAsync(client);

            var second = await Report(client, _free, "second");
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
            Assert.Equal(1, await StoredAsync(_free));
            Assert.False(first.IsCompleted);

            await lockHolder.CommitAsync();
        }

        Assert.Equal(HttpStatusCode.Accepted, (await first).StatusCode);
        Assert.Equal(1, await StoredAsync(_held));
    }

    /// <summary>A report of <see cref="_held"/>, once it waits inside PostgreSQL for the plan's lock, holding its turn.</summary>
    private async Task<Task<HttpResponseMessage>> ReportHeldPlanAsync(HttpClient client)
    {
        var report = Report(client, _held, "first");
        Assert.True(await app.Database.WaitForLockWaitAsync(PlanLock), "the first report did not reach the plan's lock");
        return report;
    }

    private Task<HttpResponseMessage> Report(HttpClient client, Guid plan, string id) =>
        client.PostAsJsonAsync("/admin/usage", new { records = new[] { app.Record(plan, 1_000, id) } }, TestContext.Current.CancellationToken);

    /// <summary>A transaction of the test's own holding <paramref name="plan"/>'s row lock; it rolls back as it is disposed unless committed.</summary>
    private async Task<OpenTransaction> LockPlanAsync(Guid plan)
    {
        var holder = await app.Database.BeginAsync();
        await holder.ExecuteAsync("SELECT 1 FROM reseller.plans WHERE id = @p FOR UPDATE", ("p", plan));
        return holder;
    }

    private Task<long> StoredAsync(Guid plan) =>
        app.Database.ScalarAsync<long>("SELECT count(*) FROM reseller.usage_records WHERE plan_id = @p", ("p", plan));
}
