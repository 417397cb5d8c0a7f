using System.Net;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Metering.Tests;

[Collection(MeteringCollection.Name)]
public sealed class TrackTests(MeteringApp app)
{
    private const string Track = MeteringApp.Base + "/sdk/track";

    private sealed record Setup(Tenant Tenant, string MeterToken, string CustomerExternalId, HttpClient Sdk);

    private async Task<Setup> SetUpAsync(string aggregation = "SUM", params string[] scopes)
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var tenant = await app.SignUpAsync();
        var meter = await tenant.CreateMeterAsync(aggregation);
        var customer = await tenant.CreateCustomerAsync();
        var key = await tenant.CreateApiKeyAsync(scopes);
        return new Setup(tenant, meter.GetProperty("meter_token").GetString()!, customer.GetProperty("external_id").GetString()!, tenant.SdkClient(key));
    }

    private static string Event(Setup s, decimal quantity = 1, string? key = null, string? timestamp = null, string? properties = null) =>
        $$"""
        {"meter_token": "{{s.MeterToken}}", "customer_external_id": "{{s.CustomerExternalId}}", "quantity": {{quantity}}
         {{(key is null ? string.Empty : $", \"idempotency_key\": \"{key}\"")}}
         {{(timestamp is null ? string.Empty : $", \"timestamp\": \"{timestamp}\"")}}
         {{(properties is null ? string.Empty : $", \"properties\": {properties}")}}}
        """;

    private Task<long> EventCountAsync(Guid organizationId) =>
        app.Database.ScalarAsync<long>("SELECT count(*) FROM metering.events WHERE organization_id = @org", ("org", organizationId));

    [Fact]
    public async Task Given_a_valid_event_Then_202_with_the_event_id_of_a_row_committed_before_the_answer()
    {
        var s = await SetUpAsync();

        var response = await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s, 42.5m, "k-1", properties: """{"region": "eu"}""")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await JsonHttp.ReadBodyAsync(response);
        Assert.Equal("accepted", body.GetProperty("status").GetString());
        var id = body.GetProperty("event_id").GetGuid();
        Assert.Equal(42.5m, await app.Database.ScalarAsync<decimal>("SELECT quantity FROM metering.events WHERE id = @id", ("id", id)));
        Assert.Equal("eu", await app.Database.ScalarAsync<string>("SELECT properties ->> 'region' FROM metering.events WHERE id = @id", ("id", id)));
        Assert.Equal(MeteringApp.DefaultNow, body.GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task Given_the_same_idempotency_key_and_payload_Then_the_first_event_is_returned_marked_duplicate_and_nothing_is_stored()
    {
        var s = await SetUpAsync();
        var first = await JsonHttp.ReadBodyAsync(await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s, 3, "same-key"))));
        app.Clock.Advance(TimeSpan.FromMinutes(10));

        var again = await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s, 3, "same-key")));

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var body = await JsonHttp.ReadBodyAsync(again);
        Assert.True(body.GetProperty("duplicate").GetBoolean());
        Assert.Equal("duplicate", body.GetProperty("status").GetString());
        Assert.Equal(first.GetProperty("event_id").GetGuid(), body.GetProperty("event_id").GetGuid());
        Assert.Equal(first.GetProperty("timestamp").GetDateTimeOffset(), body.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(1L, await EventCountAsync(s.Tenant.OrganizationId));
    }

    [Fact]
    public async Task Given_a_timestamp_finer_than_microseconds_Then_the_first_answer_and_a_retry_show_the_stored_timestamp()
    {
        var s = await SetUpAsync();
        var body = Event(s, 1, "fine-stamp", "2026-01-15T11:59:59.1234567Z");

        var first = await JsonHttp.ReadBodyAsync(await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(body)));
        var retry = await JsonHttp.ReadBodyAsync(await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(body)));

        var expected = new DateTimeOffset(2026, 1, 15, 11, 59, 59, TimeSpan.Zero).AddTicks(1234560);
        Assert.Equal(expected, first.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(expected, retry.GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task Given_the_same_idempotency_key_with_a_different_payload_Then_409_and_nothing_is_stored()
    {
        var s = await SetUpAsync();
        await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s, 3, "reused")));

        var response = await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s, 4, "reused")));

        var problem = await Http.ProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("IDEMPOTENCY_CONFLICT", problem.GetProperty("code").GetString());
        Assert.Contains("reused", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1L, await EventCountAsync(s.Tenant.OrganizationId));
    }

    [Fact]
    public async Task Given_an_idempotency_key_used_35_days_ago_Then_a_retry_is_still_recognised()
    {
        var s = await SetUpAsync();
        var stamp = MeteringApp.DefaultNow.ToString("O");
        var first = await JsonHttp.ReadBodyAsync(await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s, 1, "old-key", stamp))));
        app.Clock.Advance(TimeSpan.FromDays(35));

        var retry = await JsonHttp.ReadBodyAsync(await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s, 1, "old-key", stamp))));

        Assert.Equal(first.GetProperty("event_id").GetGuid(), retry.GetProperty("event_id").GetGuid());
        Assert.True(retry.GetProperty("duplicate").GetBoolean());
    }

    [Fact]
    public async Task Given_the_same_idempotency_key_in_two_organizations_Then_each_stores_its_event()
    {
        var a = await SetUpAsync();
        var b = await SetUpAsync();

        var first = await a.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(a, 1, "shared-key")));
        var second = await b.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(b, 1, "shared-key")));

        Assert.False((await JsonHttp.ReadBodyAsync(first)).GetProperty("duplicate").GetBoolean());
        Assert.False((await JsonHttp.ReadBodyAsync(second)).GetProperty("duplicate").GetBoolean());
    }

    [Fact]
    public async Task Given_50_concurrent_sends_of_one_idempotency_key_Then_one_event_is_stored_and_all_answers_name_it()
    {
        var s = await SetUpAsync();
        var body = Event(s, 7, "burst-key");

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => s.Sdk.PostAsync(Track, JsonHttp.RequestBody(body))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(JsonHttp.ReadBodyAsync));
        Assert.Single(bodies.Select(b => b.GetProperty("event_id").GetGuid()).Distinct());
        Assert.Equal(49, bodies.Count(b => b.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(1L, await EventCountAsync(s.Tenant.OrganizationId));
    }

    [Fact]
    public async Task Given_an_unknown_meter_token_Then_404_naming_it()
    {
        var s = await SetUpAsync();

        var response = await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s with { MeterToken = "mtr_doesnotexist" })));

        var problem = await Http.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("METER_NOT_FOUND", problem.GetProperty("code").GetString());
        Assert.Contains("mtr_doesnotexist", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_unknown_customer_Then_404_naming_it_and_nothing_is_stored()
    {
        var s = await SetUpAsync();

        var response = await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s with { CustomerExternalId = "nobody-42" })));

        var problem = await Http.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("CUSTOMER_NOT_FOUND", problem.GetProperty("code").GetString());
        Assert.Contains("nobody-42", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await EventCountAsync(s.Tenant.OrganizationId));
    }

    [Theory]
    [InlineData(6 * 60, HttpStatusCode.UnprocessableEntity)]
    [InlineData(4 * 60, HttpStatusCode.Accepted)]
    [InlineData(-35 * 24 * 3600 + 60, HttpStatusCode.Accepted)]
    [InlineData(-36 * 24 * 3600, HttpStatusCode.UnprocessableEntity)]
    public async Task Given_a_timestamp_relative_to_now_Then_only_5_minutes_ahead_to_35_days_back_is_accepted(int offsetSeconds, HttpStatusCode expected)
    {
        var s = await SetUpAsync();
        var stamp = MeteringApp.DefaultNow.AddSeconds(offsetSeconds).ToString("O");

        var response = await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s, timestamp: stamp)));

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.UnprocessableEntity)
        {
            var problem = await Http.ProblemAsync(response, expected);
            Assert.Equal("TIMESTAMP_OUT_OF_RANGE", problem.GetProperty("code").GetString());
            Assert.Equal(0L, await EventCountAsync(s.Tenant.OrganizationId));
        }
    }

    [Fact]
    public async Task Given_no_API_key_Then_401()
    {
        var s = await SetUpAsync();

        var response = await app.CreateClient().PostAsync(Track, JsonHttp.RequestBody(Event(s)));

        var problem = await Http.ProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains("X-API-Key", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_an_unknown_or_revoked_key_Then_401_even_when_the_body_is_also_wrong()
    {
        var s = await SetUpAsync();
        var keys = await s.Tenant.GetOkAsync("/api-keys");
        var keyId = keys.GetProperty("data")[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await s.Tenant.Client.DeleteAsync($"{MeteringApp.Base}/api-keys/{keyId}")).StatusCode);

        var revoked = await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s)));
        var bogus = await s.Tenant.SdkClient("org_live_notarealkey").PostAsync(Track, JsonHttp.RequestBody("""{"quantity": 1}"""));

        await Http.ProblemAsync(revoked, HttpStatusCode.Unauthorized);
        await Http.ProblemAsync(bogus, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Given_a_key_without_usage_write_Then_403()
    {
        var s = await SetUpAsync("SUM", "usage.read");

        var response = await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s)));

        var problem = await Http.ProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("usage.write", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_key_of_another_organization_Then_it_cannot_write_into_this_one()
    {
        var victim = await SetUpAsync();
        var attacker = await SetUpAsync();
        // The attacker knows the victim's meter token and customer id, and even has a customer with the same external id.
        await attacker.Tenant.CreateCustomerAsync(victim.CustomerExternalId);

        var response = await attacker.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(victim)));

        await Http.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal(0L, await EventCountAsync(victim.Tenant.OrganizationId));
        Assert.Equal(0L, await EventCountAsync(attacker.Tenant.OrganizationId));
    }

    [Fact]
    public async Task Given_a_missing_meter_token_or_a_negative_quantity_Then_400_naming_the_field()
    {
        var s = await SetUpAsync();

        var missing = await s.Sdk.PostAsync(Track, JsonHttp.RequestBody($$"""{"customer_external_id": "{{s.CustomerExternalId}}", "quantity": 1}"""));
        var negative = await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s, -1)));
        var wrongType = await s.Sdk.PostAsync(Track, JsonHttp.RequestBody($$"""{"meter_token": "{{s.MeterToken}}", "customer_external_id": "x", "quantity": "many"}"""));

        Assert.True((await Http.ProblemAsync(missing, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("meter_token", out _));
        Assert.True((await Http.ProblemAsync(negative, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("quantity", out _));
        Assert.True((await Http.ProblemAsync(wrongType, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("quantity", out _));
    }

    [Fact]
    public async Task Given_a_UNIQUE_COUNT_meter_and_an_event_without_its_property_Then_400_naming_the_property()
    {
        var s = await SetUpAsync("UNIQUE_COUNT");

        var response = await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s, properties: """{"other": "x"}""")));

        var problem = await Http.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("properties.call_count", out _));
    }

    [Fact]
    public async Task Given_an_archived_meter_Then_its_token_takes_no_more_events()
    {
        var s = await SetUpAsync();
        var meters = await s.Tenant.GetOkAsync("/features");
        var id = meters.GetProperty("data")[0].GetProperty("id").GetString();
        await s.Tenant.PostOkAsync($"/features/{id}/archive", "{}", HttpStatusCode.OK);

        var response = await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s)));

        await Http.ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Given_a_batch_Then_each_event_gets_its_own_result_in_order()
    {
        var s = await SetUpAsync();
        await s.Sdk.PostAsync(Track, JsonHttp.RequestBody(Event(s, 1, "already")));
        var events = new[]
        {
            Event(s, 1, "b-0"),
            Event(s with { MeterToken = "mtr_missing" }, 1, "b-1"),
            Event(s, 1, "already"),
            Event(s, 2, "already"),
            Event(s, 5, "b-4", MeteringApp.DefaultNow.AddHours(1).ToString("O")),
            Event(s, 6, "b-0"),
            Event(s, 1, "b-0"),
            "null",
        };

        var response = await s.Sdk.PostAsync(Track + "/batch", JsonHttp.RequestBody($"{{\"events\": [{string.Join(",", events)}]}}"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await JsonHttp.ReadBodyAsync(response);
        var statuses = body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()).ToList();
        Assert.Equal(["accepted", "error", "duplicate", "error", "error", "error", "duplicate", "error"], statuses);
        var results = body.GetProperty("results");
        Assert.Equal(404, results[1].GetProperty("error").GetProperty("status").GetInt32());
        Assert.Equal("events[1].meter_token", results[1].GetProperty("error").GetProperty("field").GetString());
        Assert.Equal(409, results[3].GetProperty("error").GetProperty("status").GetInt32());
        Assert.Equal(422, results[4].GetProperty("error").GetProperty("status").GetInt32());
        Assert.Equal(409, results[5].GetProperty("error").GetProperty("status").GetInt32());
        Assert.Equal(results[0].GetProperty("event_id").GetGuid(), results[6].GetProperty("event_id").GetGuid());
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(2, body.GetProperty("duplicates").GetInt32());
        Assert.Equal(5, body.GetProperty("failed").GetInt32());
        Assert.Equal(2L, await EventCountAsync(s.Tenant.OrganizationId));
    }

    [Fact]
    public async Task Given_a_batch_of_1000_Then_all_are_stored_and_a_resend_is_all_duplicates()
    {
        var s = await SetUpAsync();
        var batch = $"{{\"events\": [{string.Join(",", Enumerable.Range(0, 1000).Select(i => Event(s, i, $"bulk-{i}")))}]}}";

        var first = await JsonHttp.ReadBodyAsync(await s.Sdk.PostAsync(Track + "/batch", JsonHttp.RequestBody(batch)));
        var again = await JsonHttp.ReadBodyAsync(await s.Sdk.PostAsync(Track + "/batch", JsonHttp.RequestBody(batch)));

        Assert.Equal(1000, first.GetProperty("accepted").GetInt32());
        Assert.Equal(1000, again.GetProperty("duplicates").GetInt32());
        Assert.Equal(1000L, await EventCountAsync(s.Tenant.OrganizationId));
        Assert.Equal(499500m, await app.Database.ScalarAsync<decimal>(
            "SELECT sum(quantity) FROM metering.events WHERE organization_id = @org", ("org", s.Tenant.OrganizationId)));
    }

    [Fact]
    public async Task Given_a_batch_of_1001_or_none_Then_400_naming_events()
    {
        var s = await SetUpAsync();
        var tooMany = $"{{\"events\": [{string.Join(",", Enumerable.Range(0, 1001).Select(i => Event(s, 1)))}]}}";

        var over = await s.Sdk.PostAsync(Track + "/batch", JsonHttp.RequestBody(tooMany));
        var empty = await s.Sdk.PostAsync(Track + "/batch", JsonHttp.RequestBody("""{"events": []}"""));

        Assert.True((await Http.ProblemAsync(over, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("events", out _));
        Assert.True((await Http.ProblemAsync(empty, HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("events", out _));
        Assert.Equal(0L, await EventCountAsync(s.Tenant.OrganizationId));
    }

    [Fact]
    public async Task Given_a_batch_with_a_key_of_another_organization_Then_nothing_is_written_into_this_one()
    {
        var victim = await SetUpAsync();
        var attacker = await SetUpAsync();

        var response = await attacker.Sdk.PostAsync(Track + "/batch", JsonHttp.RequestBody($"{{\"events\": [{Event(victim)}]}}"));

        var body = await JsonHttp.ReadBodyAsync(response);
        Assert.Equal("error", body.GetProperty("results")[0].GetProperty("status").GetString());
        Assert.Equal(0L, await EventCountAsync(victim.Tenant.OrganizationId));
    }

    [Fact]
    public async Task Given_an_API_key_Then_only_its_SHA_256_is_stored_and_its_use_is_recorded()
    {
        var s = await SetUpAsync();
        var key = await s.Tenant.CreateApiKeyAsync("usage.write");
        await s.Tenant.SdkClient(key).PostAsync(Track, JsonHttp.RequestBody(Event(s)));

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
        Assert.Equal(1L, await app.Database.ScalarAsync<long>("SELECT count(*) FROM metering.api_keys WHERE key_hash = @h AND last_used_at IS NOT NULL", ("h", hash)));
        Assert.Equal(0L, await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM metering.api_keys k WHERE position(@key in k::text) > 0", ("key", key)));
        var listed = await s.Tenant.GetOkAsync("/api-keys");
        Assert.DoesNotContain(key, listed.GetRawText(), StringComparison.Ordinal);
        var entry = listed.GetProperty("data").EnumerateArray().Single(k => key.StartsWith(k.GetProperty("prefix").GetString()!, StringComparison.Ordinal));
        Assert.Equal(MeteringApp.DefaultNow, entry.GetProperty("last_used_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Array, entry.GetProperty("scopes").ValueKind);
    }
}
