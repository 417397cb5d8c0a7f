using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Listings.Providers;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Listings.Tests;

/// <summary>
/// A provider's push checks its key in the statement that writes (docs/listings.md, "One round trip for a push"):
/// one round trip for a valid push, and every refusal the same as the provider key policy answers it on the
/// provider's other route, which still looks the key up before the endpoint. Run prepared and unprepared.
/// </summary>
public abstract partial class PushKeyCheckTests(ListingsApp app, bool prepared) : IAsyncLifetime
{
    private const string Body = """{"totalNodes": 12, "tiers": [{"tier": "nimbus", "price": 9.99, "planName": "Nimbus"}]}""";

    private readonly DatabaseCommands _commands = new();

    public async ValueTask InitializeAsync() => await app.ResetAsync();

    public ValueTask DisposeAsync()
    {
        _commands.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Given_a_valid_key_and_body_Then_the_push_is_one_round_trip_and_records_the_key_use_in_it()
    {
        Assert.Equal(prepared, app.Factory.Services.GetRequiredService<PooledSessions>().Owned);
        await app.CreateProviderAsync("acme");
        var key = await app.IssueKeyAsync("acme");
        app.Clock.Advance(TimeSpan.FromHours(1));

        // More pushes than PostgreSQL plans a prepared statement for its values before it may plan it generically.
        for (var nodes = 1; nodes <= 8; nodes++)
        {
            var (response, commands) = await PatchAsync(key, "acme", $$"""{"totalNodes": {{nodes}}}""");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(commands.Count == 1, $"push {nodes}: {commands.Count} commands:\n{string.Join("\n", commands)}");
            Assert.Equal(nodes, (await JsonHttp.ReadBodyAsync(response)).GetProperty("data").GetProperty("totalNodes").GetInt32());
            if (nodes == 1)
            {
                // The key had never been used: its use is written by the push's own statement, before the answer.
                Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, await app.Database.ScalarAsync<DateTime>("SELECT last_used_at FROM listings.provider_keys"));
            }
        }

        Assert.Equal(8L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.listing_changes WHERE field = 'totalNodes' AND source = 'push'"));
    }

    [Fact]
    public async Task Given_pushes_of_more_sets_of_fields_than_get_a_statement_of_their_own_Then_each_is_applied_by_its_sets_statement_or_every_fields()
    {
        await app.CreateProviderAsync("acme");
        var key = await app.IssueKeyAsync("acme");
        string[] integers = ["totalNodes", "totalClients", "dataCenters"];
        string[] fields = [.. integers, "uptimePercentage", "pnrEligiblePercent", "arcaneOsPercent", "sla", "responseTimeHours"];
        // Sets of one to three of those fields, more of them than get a statement of their own (the host's other pushes may hold some).
        var sets = Enumerable.Range(1, (1 << fields.Length) - 1)
            .Select(mask => fields.Where((_, i) => (mask & (1 << i)) != 0).ToArray())
            .Where(set => set.Length <= 3)
            .Take(ListingPatchWriter.MaxShapes + 6)
            .ToList();
        Assert.Equal(ListingPatchWriter.MaxShapes + 6, sets.Count);
        var everyField = 0;
        for (var n = 0; n < sets.Count; n++)
        {
            // Every value new, so every field of every push changes; odd pushes send their fields in reverse order.
            var values = (n % 2 == 0 ? sets[n] : sets[n].Reverse()).Select(f => (Field: f, Value: integers.Contains(f) ? (n * 10) + 1m : n + 0.25m)).ToList();
            var json = "{" + string.Join(",", values.Select(v => $"\"{v.Field}\": {v.Value.ToString(CultureInfo.InvariantCulture)}")) + "}";

            var (response, commands) = await PatchAsync(key, "acme", json);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var statementFields = StatementFields().Matches(Assert.Single(commands)).Count;
            Assert.True(statementFields == values.Count || statementFields == ListingFields.All.Count, $"push {n} of {values.Count} fields ran a statement of {statementFields}");
            everyField += statementFields == values.Count ? 0 : 1;
            var data = (await JsonHttp.ReadBodyAsync(response)).GetProperty("data");
            foreach (var (field, value) in values)
            {
                Assert.Equal(value, data.GetProperty(field).GetDecimal());
            }

            // The history has a row per field, in the body's order.
            var history = await app.Database.ScalarAsync<string>(
                "SELECT string_agg(field, ',' ORDER BY id) FROM listings.listing_changes WHERE source = 'push' AND changed_at = (SELECT max(changed_at) FROM listings.listing_changes)");
            Assert.Equal(string.Join(",", values.Select(v => v.Field)), history);
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.True(everyField >= 6 && everyField < sets.Count, $"{everyField} of {sets.Count} pushes ran the statement of every field");
        Assert.Equal((long)sets.Sum(s => s.Length), await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.listing_changes WHERE source = 'push'"));
    }

    [Fact]
    public async Task Given_a_body_that_is_refused_Then_the_key_is_checked_first_and_the_answer_is_the_400()
    {
        await app.CreateProviderAsync("acme");
        var key = await app.IssueKeyAsync("acme");

        var (response, commands) = await PatchAsync(key, "acme", """{"totalNodes": -1}""");

        await PushTests.AssertFieldErrorAsync(response, "totalNodes", "0 or more");
        Assert.NotEmpty(commands);
        Assert.All(commands, c => Assert.DoesNotContain("listing_changes", c, StringComparison.Ordinal));
        Assert.Equal(0L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.listing_changes WHERE source = 'push'"));
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "no header", "valid" }, { "no header", "invalid" }, { "no header", "malformed" },
        { "not bearer", "valid" }, { "not bearer", "invalid" },
        { "empty bearer", "valid" }, { "empty bearer", "malformed" },
        { "unknown key", "valid" }, { "unknown key", "invalid" }, { "unknown key", "malformed" },
        { "revoked key", "valid" }, { "revoked key", "invalid" }, { "revoked key", "protected" },
        { "admin key", "valid" }, { "admin key", "invalid" },
        { "another provider's key", "valid" }, { "another provider's key", "invalid" }, { "another provider's key", "malformed" },
        { "another provider's key", "protected" },
        { "own key, unknown slug", "valid" }, { "own key, unknown slug", "invalid" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Given_a_key_the_policy_refuses_Then_the_push_answers_as_the_providers_other_route_does_and_writes_nothing(string credential, string body)
    {
        await app.CreateProviderAsync("acme", """ "totalNodes": 5 """);
        await app.CreateProviderAsync("other");
        var own = await app.IssueKeyAsync("acme");
        var revoked = await app.IssueKeyAsync("acme");
        var others = await app.IssueKeyAsync("other");
        var revokedId = await app.Database.ScalarAsync<Guid>("SELECT id FROM listings.provider_keys WHERE key_hash = @h", ("h", KeyHash.Sha256Hex(revoked)));
        Assert.Equal(HttpStatusCode.NoContent, (await app.CreateAdminClient().DeleteAsync($"/admin/providers/acme/keys/{revokedId}")).StatusCode);
        var (authorization, slug, status, message) = credential switch
        {
            "no header" => (null, "acme", 401, "Missing API key: send Authorization: Bearer <your API key>."),
            "not bearer" => ("Basic dXNlcjpwYXNz", "acme", 401, "Malformed Authorization header: send Authorization: Bearer <your API key>."),
            "empty bearer" => ("Bearer ", "acme", 401, "Malformed Authorization header: send Authorization: Bearer <your API key>."),
            "unknown key" => ("Bearer flxp_thisKeyWasNeverIssuedToAnybodyAtAll0000000", "acme", 401, "Invalid or revoked API key."),
            "revoked key" => ("Bearer " + revoked, "acme", 401, "Invalid or revoked API key."),
            "admin key" => ("Bearer " + FluxSuiteFactory.AdminKey, "acme", 401, "Invalid or revoked API key."),
            "another provider's key" => ("Bearer " + others, "acme", 403, "This API key does not belong to provider \"acme\"."),
            "own key, unknown slug" => ("Bearer " + own, "nobody", 403, "This API key does not belong to provider \"nobody\"."),
            _ => throw new ArgumentOutOfRangeException(nameof(credential)),
        };
        var content = body switch
        {
            "valid" => JsonHttp.RequestBody(Body),
            "invalid" => JsonHttp.RequestBody("""{"totalNodes": -1, "colour": "red"}"""),
            "malformed" => JsonHttp.RequestBody("""{"totalNodes": """),
            "protected" => JsonHttp.RequestBody("""{"verified": true}"""),
            _ => throw new ArgumentOutOfRangeException(nameof(body)),
        };
        var version = await DirectoryVersionAsync();
        var lastUse = await app.Database.ScalarAsync<string>("SELECT string_agg(coalesce(last_used_at::text, '-'), ',' ORDER BY id) FROM listings.provider_keys");

        var push = new HttpRequestMessage(HttpMethod.Patch, $"/api/providers/{slug}") { Content = content };
        var sync = new HttpRequestMessage(HttpMethod.Get, $"/api/providers/{slug}/sync");
        if (authorization is not null)
        {
            push.Headers.TryAddWithoutValidation("Authorization", authorization);
            sync.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var (pushed, _) = await _commands.SendAsync(app.CreateClient(), push);
        var answer = await AnswerAsync(pushed);

        Assert.Equal(status, (int)pushed.StatusCode);
        Assert.Equal(message, (await JsonHttp.ReadBodyAsync(pushed)).GetProperty("message").GetString());
        Assert.Equal(await AnswerAsync(await app.CreateClient().SendAsync(sync)), answer);
        Assert.Equal(5, await app.Database.ScalarAsync<int>("SELECT total_nodes FROM listings.providers WHERE slug = 'acme'"));
        Assert.Null(await app.Database.ScalarAsync<object>("SELECT last_push_at FROM listings.providers WHERE last_push_at IS NOT NULL"));
        Assert.Equal(0L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.listing_changes WHERE source = 'push'"));
        // Nothing was written, so the directory's kept pages stay current.
        Assert.Equal(version, await DirectoryVersionAsync());
        if (status == 401)
        {
            Assert.Equal(lastUse, await app.Database.ScalarAsync<string>("SELECT string_agg(coalesce(last_used_at::text, '-'), ',' ORDER BY id) FROM listings.provider_keys"));
        }
    }

    [Fact]
    public async Task Given_a_revoke_not_yet_committed_Then_a_push_waits_for_it_and_is_refused_with_401()
    {
        await app.CreateProviderAsync("acme", """ "totalNodes": 5 """);
        var key = await app.IssueKeyAsync("acme");
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(key, "acme", """{"totalNodes": 6}""")).Response.StatusCode);
        await using var revoke = await app.Database.BeginAsync();
        await revoke.ExecuteAsync("UPDATE listings.provider_keys SET revoked_at = now() WHERE key_hash = @h", ("h", KeyHash.Sha256Hex(key)));

        var push = PatchAsync(key, "acme", """{"totalNodes": 7}""");
        await WaitForLockWaitAsync("WITH key");
        Assert.False(push.IsCompleted);
        await revoke.Transaction.CommitAsync();
        var (response, _) = await push;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Invalid or revoked API key.", (await JsonHttp.ReadBodyAsync(response)).GetProperty("message").GetString());
        Assert.Equal(6, await app.Database.ScalarAsync<int>("SELECT total_nodes FROM listings.providers WHERE slug = 'acme'"));
    }

    [Fact]
    public async Task Given_a_push_in_flight_Then_a_revoke_of_its_key_waits_for_it_and_the_next_push_is_refused()
    {
        await app.CreateProviderAsync("acme", """ "totalNodes": 5 """);
        var key = await app.IssueKeyAsync("acme");
        var keyId = await app.Database.ScalarAsync<Guid>("SELECT id FROM listings.provider_keys");
        await using var holder = await app.Database.BeginAsync();
        await holder.ExecuteAsync("SELECT 1 FROM listings.providers WHERE slug = @h FOR UPDATE", ("h", "acme"));

        // The push has its key (locked) and waits for the listing's row.
        var push = PatchAsync(key, "acme", """{"totalNodes": 7}""");
        await WaitForLockWaitAsync("WITH key");
        var revoke = app.CreateAdminClient().DeleteAsync($"/admin/providers/acme/keys/{keyId}");
        await WaitForLockWaitAsync("SET revoked_at");
        Assert.False(revoke.IsCompleted);
        Assert.False(push.IsCompleted);
        await holder.Transaction.CommitAsync();

        var (pushed, _) = await push;
        Assert.Equal(HttpStatusCode.OK, pushed.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await revoke).StatusCode);
        Assert.Equal(7, await app.Database.ScalarAsync<int>("SELECT total_nodes FROM listings.providers WHERE slug = 'acme'"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await PatchAsync(key, "acme", """{"totalNodes": 8}""")).Response.StatusCode);
        Assert.Equal(7, await app.Database.ScalarAsync<int>("SELECT total_nodes FROM listings.providers WHERE slug = 'acme'"));
    }

    [Fact]
    public async Task Given_pushes_a_minute_apart_Then_the_key_use_is_written_as_the_handler_writes_it()
    {
        await app.CreateProviderAsync("acme");
        await app.CreateProviderAsync("other");
        var key = await app.IssueKeyAsync("acme");
        var first = app.Clock.GetUtcNow();

        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(key, "acme", """{"totalNodes": 1}""")).Response.StatusCode);
        Assert.Equal(first.UtcDateTime, await LastUsedAsync());

        // Within the resolution the use is not written again, whatever the push's answer.
        app.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(key, "acme", """{"totalNodes": 2}""")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PatchAsync(key, "other", """{"totalNodes": 2}""")).Response.StatusCode);
        Assert.Equal(first.UtcDateTime, await LastUsedAsync());

        // Past it, every use the handler records is recorded: a push, one refused for another listing, one with a refused body.
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Forbidden, (await PatchAsync(key, "other", """{"totalNodes": 3}""")).Response.StatusCode);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, await LastUsedAsync());
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.BadRequest, (await PatchAsync(key, "acme", """{"totalNodes": -3}""")).Response.StatusCode);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, await LastUsedAsync());
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(key, "acme", """{"totalNodes": 4}""")).Response.StatusCode);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, await LastUsedAsync());
    }

    [Fact]
    public async Task Given_concurrent_pushes_with_one_key_whose_use_is_due_Then_each_one_is_applied_and_the_use_written_once()
    {
        await app.CreateProviderAsync("acme");
        var key = await app.IssueKeyAsync("acme");

        // Each round, every push finds the key's last use due, takes the key and queues for the listing.
        for (var round = 1; round <= 3; round++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(2));
            using var start = new SemaphoreSlim(0);
            var pushes = Enumerable.Range(1, 12).Select(async i =>
            {
                await start.WaitAsync();
                return (await PatchAsync(key, "acme", $$"""{"totalNodes": {{(round * 100) + i}}}""")).Response;
            }).ToList();
            start.Release(pushes.Count);
            var responses = await Task.WhenAll(pushes);

            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, await LastUsedAsync());
        }

        Assert.Equal(36L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM listings.listing_changes WHERE field = 'totalNodes' AND source = 'push'"));
    }

    private Task<DateTime> LastUsedAsync() => app.Database.ScalarAsync<DateTime>("SELECT last_used_at FROM listings.provider_keys");

    private Task<long> DirectoryVersionAsync() => app.Database.ScalarAsync<long>("SELECT COALESCE(sum(version), 0)::bigint FROM listings.directory_versions");

    private Task<(HttpResponseMessage Response, IReadOnlyList<string> Commands)> PatchAsync(string key, string slug, string json) =>
        _commands.SendAsync(app.Factory.CreateBearerClient(key), new HttpRequestMessage(HttpMethod.Patch, $"/api/providers/{slug}") { Content = JsonHttp.RequestBody(json) });

    /// <summary>Status, <c>WWW-Authenticate</c>, content type and body of an answer, its trace id left out.</summary>
    private static async Task<string> AnswerAsync(HttpResponseMessage response)
    {
        var body = TraceId().Replace(await response.Content.ReadAsStringAsync(), "\"traceId\":\"\"");
        return $"{(int)response.StatusCode} {response.Headers.WwwAuthenticate} {response.Content.Headers.ContentType} {body}";
    }

    /// <summary>Waits until a statement of the test database containing <paramref name="text"/> waits for a lock.</summary>
    private async Task WaitForLockWaitAsync(string text) =>
        Assert.True(await app.Database.WaitForLockWaitAsync(text), $"no statement with \"{text}\" waits for a lock");

    [GeneratedRegex(" IS DISTINCT FROM \\$")]
    private static partial Regex StatementFields();

    [GeneratedRegex("\"traceId\":\"[^\"]*\"")]
    private static partial Regex TraceId();
}

[Collection(ListingsCollection.Name)]
public sealed class PreparedPushKeyCheckTests(ListingsApp app) : PushKeyCheckTests(app, prepared: true);

[Collection(SharedSessionsCollection.Name)]
public sealed class UnpreparedPushKeyCheckTests(SharedSessionsListingsApp app) : PushKeyCheckTests(app, prepared: false);
