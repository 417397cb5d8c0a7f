using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using FluxSuite.Testing;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FluxSuite.Host.Tests;

/// <summary>
/// The Hangfire dashboard at /hangfire: for operators only (the operator key as the Basic password, or
/// X-Admin-Key), every recurring job listed with its next run, "Trigger now" and "Requeue" working
/// through it, and its actions refused without the antiforgery token a cross-site form cannot have.
/// </summary>
public sealed partial class DashboardTests : IAsyncLifetime
{
    private static readonly string[] RecurringJobIds =
    [
        "listings-pull-dispatch", "reseller-plan-expiry", "reseller-idempotency-key-purge", "reseller-realtime-usage-purge",
        "metering-period-close", "metering-invoice-finalize", "metering-invoice-email", "webhooks-delivery",
    ];

    private readonly FluxSuiteApp _app = new();

    public async ValueTask InitializeAsync()
    {
        await _app.InitializeAsync();
        await using var connection = new NpgsqlConnection(_app.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CREATE TABLE public.probe_failures (job_id text NOT NULL, attempt int NOT NULL)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("operator:wrong-key")]
    [InlineData("operator")]
    [InlineData("not base64!")]
    public async Task Given_no_or_a_wrong_operator_key_Then_401_with_a_Basic_challenge_and_no_dashboard(string? credentials)
    {
        var client = _app.CreateClient();
        if (credentials is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                credentials.Contains(' ', StringComparison.Ordinal) ? credentials : Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }

        foreach (var path in new[] { "/hangfire", "/hangfire/recurring", "/hangfire/stats" })
        {
            var response = await client.GetAsync(path);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.DoesNotContain("Hangfire", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var post = await client.PostAsync("/hangfire/recurring/trigger", Form(("jobs[]", "reseller-plan-expiry")));
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
    }

    [Fact]
    public async Task Given_the_operator_key_as_Basic_password_or_header_Then_the_dashboard_lists_every_recurring_job_with_its_next_run()
    {
        var basic = OperatorClient("any-user-name");
        var header = _app.CreateClient();
        header.DefaultRequestHeaders.Add("X-Admin-Key", FluxSuiteFactory.AdminKey);

        Assert.Equal(HttpStatusCode.OK, (await basic.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await header.GetAsync("/hangfire")).StatusCode);
        var page = await basic.GetStringAsync("/hangfire/recurring");
        foreach (var id in RecurringJobIds)
        {
            Assert.Contains(id, page, StringComparison.Ordinal);
        }

        using var connection = _app.Factory.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.All(Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).Where(j => RecurringJobIds.Contains(j.Id)),
            job => Assert.NotNull(job.NextExecution));
        Assert.Equal(RecurringJobIds.Order(), Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).Select(j => j.Id).Order());
    }

    [Theory]
    [InlineData("listings")]
    [InlineData("reseller")]
    [InlineData("metering")]
    public async Task Given_a_swagger_document_Then_its_description_links_the_dashboard(string document)
    {
        var json = await _app.CreateClient().GetStringAsync($"/swagger/{document}/swagger.json");

        Assert.Contains("Hangfire dashboard at [/hangfire](/hangfire)", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_the_dashboard_Then_trigger_now_runs_a_recurring_job_and_a_post_without_the_antiforgery_token_is_refused()
    {
        var client = OperatorClient();
        var (header, token) = await AntiforgeryAsync(client, "/hangfire/recurring");

        // The job runs every five minutes on its own too: a host that started at such a minute has run it already, so
        // the runs are compared with those before each post.
        var before = RunsOf("reseller-realtime-usage-purge");

        // A cross-site form: the browser would resend the Basic credentials and the cookies, but the page's token is not there.
        var forged = await client.PostAsync("/hangfire/recurring/trigger", Form(("jobs[]", "reseller-realtime-usage-purge")));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal(before, RunsOf("reseller-realtime-usage-purge"));

        using var trigger = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger") { Content = Form(("jobs[]", "reseller-realtime-usage-purge")) };
        trigger.Headers.Add(header, token);
        var triggered = await client.SendAsync(trigger);

        Assert.Equal(HttpStatusCode.NoContent, triggered.StatusCode);
        var run = Assert.Single(RunsOf("reseller-realtime-usage-purge"));
        Assert.DoesNotContain(run, before);
        Assert.Equal(ScheduledJobs.Succeeded, (await _app.Factory.WaitForJobAsync(run)).Name);
    }

    [Fact]
    public async Task Given_two_instances_Then_a_dashboard_page_from_one_and_its_action_posted_to_the_other_are_accepted()
    {
        await using var other = new FluxSuiteFactory(_app.Database.ConnectionString);
        var first = OperatorClient(_app.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false }));
        var second = OperatorClient(other.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false }));
        var page = await first.GetAsync("/hangfire/recurring");
        var cookie = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var (header, token) = Antiforgery(await page.Content.ReadAsStringAsync());

        using var trigger = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/trigger") { Content = Form(("jobs[]", "reseller-realtime-usage-purge")) };
        trigger.Headers.Add(header, token);
        trigger.Headers.Add("Cookie", cookie);
        var response = await second.SendAsync(trigger);

        // The token was issued by the first instance: the key ring in the database lets the second one read it.
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(await _app.Database.ScalarAsync<long>("SELECT count(*) FROM platform.data_protection_keys") >= 1);
    }

    [Fact]
    public async Task Given_a_failed_job_Then_requeue_in_the_dashboard_runs_it_again()
    {
        var jobs = _app.Factory.Services.GetRequiredService<IBackgroundJobClient>();
        var id = jobs.Create(Job.FromExpression<FailingProbeJob>(j => j.RunAsync(null!)), new EnqueuedState());
        Assert.Equal(ScheduledJobs.Failed, (await _app.Factory.WaitForJobAsync(id, TimeSpan.FromSeconds(60))).Name);
        Assert.Equal(2, await AttemptsAsync(id));
        var client = OperatorClient();
        Assert.Contains(id, await client.GetStringAsync("/hangfire/jobs/failed"), StringComparison.Ordinal);
        var (header, token) = await AntiforgeryAsync(client, "/hangfire/jobs/failed");

        using var requeue = new HttpRequestMessage(HttpMethod.Post, "/hangfire/jobs/failed/requeue") { Content = Form(("jobs[]", id)) };
        requeue.Headers.Add(header, token);
        var response = await client.SendAsync(requeue);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.True(await Eventually.WaitUntilAsync(async () => await AttemptsAsync(id) >= 3, TimeSpan.FromSeconds(30)), "the requeued job did not run again");
    }

    private HttpClient OperatorClient(string user = "operator") => OperatorClient(_app.CreateClient(), user);

    private static HttpClient OperatorClient(HttpClient client, string user = "operator")
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{FluxSuiteFactory.AdminKey}")));
        return client;
    }

    /// <summary>The antiforgery header name and token a dashboard page carries (its cookie stays in the client).</summary>
    private static async Task<(string Header, string Token)> AntiforgeryAsync(HttpClient client, string page) =>
        Antiforgery(await client.GetStringAsync(page));

    private static (string Header, string Token) Antiforgery(string html)
    {
        var header = MetaContent().Matches(html).Single(m => m.Groups["name"].Value == "csrf-header").Groups["content"].Value;
        var token = MetaContent().Matches(html).Single(m => m.Groups["name"].Value == "csrf-token").Groups["content"].Value;
        return (header, token);
    }

    /// <summary>The background jobs created by runs of a recurring job.</summary>
    private List<string> RunsOf(string recurringJobId)
    {
        using var connection = _app.Factory.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).Single(j => j.Id == recurringJobId);
        return job.LastJobId is { } last ? [last] : [];
    }

    private async Task<long> AttemptsAsync(string id) =>
        await _app.Database.ScalarAsync<long>("SELECT count(*) FROM public.probe_failures WHERE job_id = @id", ("id", id));

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    [GeneratedRegex("""<meta name="(?<name>csrf-[a-z]+)" content="(?<content>[^"]*)">""")]
    private static partial Regex MetaContent();
}
