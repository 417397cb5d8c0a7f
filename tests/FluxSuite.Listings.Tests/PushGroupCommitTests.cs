using System.Net;
using FluxSuite.Listings.Push;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Listings.Tests;

/// <summary>
/// Pushes that wait for a writer are written together, one transaction and one commit for the group
/// (docs/listings.md, "Group commit for pushes"). The writers are kept busy by pushes that wait for a listing the test
/// holds, so that the pushes after them queue; rows written by one transaction share its id (<c>xmin</c>).
/// </summary>
[Collection(ListingsCollection.Name)]
public sealed class PushGroupCommitTests(ListingsApp app) : IAsyncLifetime
{
    private const int Listings = 6;

    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_pushes_queued_behind_busy_writers_Then_they_are_written_in_one_transaction_in_order_and_each_answered_with_its_listing()
    {
        var clients = await ListingsWithKeysAsync();

        var answers = await WhileWritersAreBusyAsync(
        [
            .. clients.Select((client, i) => Push(client, $"p{i}", $$"""{"totalNodes": {{i + 10}}}""")),
            // A second push of p0, queued after the first: applied after it, in the same transaction.
            Push(clients[0], "p0", """{"totalNodes": 99, "country": "Poland"}"""),
        ]);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        for (var i = 1; i < Listings; i++)
        {
            Assert.Equal(i + 10, (await JsonHttp.ReadBodyAsync(answers[i])).GetProperty("data").GetProperty("totalNodes").GetInt32());
            Assert.Equal(i + 10, await app.Database.ScalarAsync<int>("SELECT total_nodes FROM listings.providers WHERE slug = @s", ("s", $"p{i}")));
        }

        Assert.Equal(10, (await JsonHttp.ReadBodyAsync(answers[0])).GetProperty("data").GetProperty("totalNodes").GetInt32());
        var last = (await JsonHttp.ReadBodyAsync(answers[Listings])).GetProperty("data");
        Assert.Equal(99, last.GetProperty("totalNodes").GetInt32());
        Assert.Equal("Poland", last.GetProperty("country").GetString());
        Assert.Equal("10 → 99", await app.Database.ScalarAsync<string>("""
            SELECT c.old_value::text || ' → ' || c.new_value::text FROM listings.listing_changes c JOIN listings.providers p ON p.id = c.provider_id
            WHERE p.slug = 'p0' AND c.field = 'totalNodes' ORDER BY c.id DESC LIMIT 1
            """));
        Assert.Equal(Listings + 2L, await GroupHistoryAsync("count(*)"));
        Assert.Equal(1L, await GroupHistoryAsync("count(DISTINCT c.xmin::text)"));
    }

    [Fact]
    public async Task Given_a_group_with_a_push_that_fails_Then_none_of_the_group_is_kept_and_each_push_is_written_again_alone()
    {
        var clients = await ListingsWithKeysAsync();
        await app.Database.ScalarAsync<object>("""
            CREATE FUNCTION listings.refuse_p3() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.provider_id = (SELECT id FROM listings.providers WHERE slug = 'p3') THEN
                    RAISE EXCEPTION 'p3 refused by the test';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_p3 BEFORE INSERT ON listings.listing_changes FOR EACH ROW EXECUTE FUNCTION listings.refuse_p3();
            """);
        try
        {
            var answers = await WhileWritersAreBusyAsync(
                [.. clients.Select((client, i) => Push(client, $"p{i}", $$"""{"totalNodes": {{i + 10}}}"""))]);

            Assert.Equal(HttpStatusCode.InternalServerError, answers[3].StatusCode);
            Assert.All(answers.Where((_, i) => i != 3), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
            Assert.Equal(0, await app.Database.ScalarAsync<int>("SELECT total_nodes FROM listings.providers WHERE slug = 'p3'"));
            Assert.Equal(Listings - 1L, await GroupHistoryAsync("count(*)"));
            // Each of the others in a transaction of its own.
            Assert.Equal(Listings - 1L, await GroupHistoryAsync("count(DISTINCT c.xmin::text)"));
            Assert.Contains(app.Logs.Entries, e => e.Message.Contains($"A group of {Listings} pushes was rolled back", StringComparison.Ordinal));
        }
        finally
        {
            await app.Database.ScalarAsync<object>("DROP TRIGGER refuse_p3 ON listings.listing_changes; DROP FUNCTION listings.refuse_p3();");
        }
    }

    /// <summary>Listings p0… with a key each (their total nodes 0), and the listing the test holds, with its key.</summary>
    private async Task<HttpClient[]> ListingsWithKeysAsync()
    {
        await app.CreateProviderAsync("held", """ "totalNodes": 0 """);
        var clients = new HttpClient[Listings];
        for (var i = 0; i < Listings; i++)
        {
            clients[i] = await app.ProviderClientAsync($"p{i}", """ "totalNodes": 0 """);
        }

        return clients;
    }

    private static Func<Task<HttpResponseMessage>> Push(HttpClient client, string slug, string body) =>
        () => ListingsApp.PatchAsync(client, slug, body);

    /// <summary>
    /// Holds the listing <c>held</c> while one push to it per writer waits for it, sends <paramref name="pushes"/> one at a
    /// time, each once the one before is queued (requests in flight together reach the queue in no set order), then lets
    /// go: a writer that is done with its held push takes the queued pushes as one group.
    /// </summary>
    private async Task<HttpResponseMessage[]> WhileWritersAreBusyAsync(IReadOnlyList<Func<Task<HttpResponseMessage>>> pushes)
    {
        var queue = app.Factory.Services.GetRequiredService<PushWriteQueue>();
        var held = app.Factory.CreateBearerClient(await app.IssueKeyAsync("held"));
        await using var holder = await app.Database.BeginAsync();
        await holder.ExecuteAsync("SELECT 1 FROM listings.providers WHERE slug = 'held' FOR UPDATE");
        var busy = new List<Task<HttpResponseMessage>>();
        for (var i = 1; i <= PushWriteQueue.Writers; i++)
        {
            busy.Add(ListingsApp.PatchAsync(held, "held", $$"""{"totalNodes": {{i}}}"""));
            var waiting = i;
            Assert.True(
                await Eventually.WaitUntilAsync(async () => await app.Database.ScalarAsync<long>("""
                    SELECT count(*) FROM pg_stat_activity
                    WHERE datname = current_database() AND wait_event_type = 'Lock' AND position('WITH key' in query) > 0
                    """) == waiting, TimeSpan.FromSeconds(10)),
                $"{waiting} pushes to the held listing should wait for it");
        }

        var sent = new List<Task<HttpResponseMessage>>();
        foreach (var push in pushes)
        {
            sent.Add(push());
            Assert.True(
                await Eventually.WaitUntilAsync(() => Task.FromResult(queue.Queued == sent.Count), TimeSpan.FromSeconds(10)),
                $"{queue.Queued} pushes queued, {sent.Count} sent");
        }

        await holder.Transaction.CommitAsync();

        Assert.All(await Task.WhenAll(busy), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        return await Task.WhenAll(sent);
    }

    private Task<long> GroupHistoryAsync(string aggregate) => app.Database.ScalarAsync<long>($"""
        SELECT {aggregate} FROM listings.listing_changes c JOIN listings.providers p ON p.id = c.provider_id
        WHERE p.slug LIKE 'p%' AND c.source = 'push'
        """);
}
