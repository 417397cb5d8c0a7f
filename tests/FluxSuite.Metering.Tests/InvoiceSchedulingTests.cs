using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static FluxSuite.Metering.Tests.InvoiceJson;

namespace FluxSuite.Metering.Tests;

/// <summary>Hosts on one database and one test clock, emailing a loopback SMTP server, with their Hangfire servers running the invoicing jobs every second.</summary>
public sealed class InvoicingCluster : IAsyncDisposable
{
    private InvoicingCluster(TestDatabase database, ManualTimeProvider clock, SmtpTestServer smtp, List<FluxSuiteFactory> hosts, CapturedLogs logs)
    {
        Logs = logs;
        Database = database;
        Clock = clock;
        Smtp = smtp;
        Hosts = hosts;
    }

    public TestDatabase Database { get; }

    public ManualTimeProvider Clock { get; }

    public SmtpTestServer Smtp { get; }

    public IReadOnlyList<FluxSuiteFactory> Hosts { get; }

    /// <summary>What every host logged.</summary>
    public CapturedLogs Logs { get; }

    /// <summary>Errors logged so far (a job that threw, a failed transaction), one per line.</summary>
    public string Errors => string.Join("\n", Logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.AllText}"));

    public static async Task<InvoicingCluster> StartAsync(int hosts, DateTimeOffset now)
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        var clock = new ManualTimeProvider(now);
        var smtp = new SmtpTestServer(SmtpTestServer.CreateCertificate(), "billing", "smtp-secret");
        var started = new List<FluxSuiteFactory>();
        var logs = new CapturedLogs();
        for (var i = 0; i < hosts; i++)
        {
            // Hangfire fires on real time while the test moves the jobs' clock by weeks: every second, so that
            // each step happens by itself within a second or two of the clock's move.
            var host = new FluxSuiteFactory(database.ConnectionString, clock).UseSmtp(smtp).WithInvoicingSchedule("* * * * * *")
                .WithSetting("Serilog:MinimumLevel:Default", "Information")
                .WithServices(services => services.AddSingleton<ILoggerProvider>(logs));
            _ = host.Services;
            started.Add(host);
        }

        return new InvoicingCluster(database, clock, smtp, started, logs);
    }

    /// <summary>A client of the host signed in as the tenant's owner (its session starts at the clock's now).</summary>
    public static async Task<HttpClient> SignInAsync(FluxSuiteFactory host, Tenant tenant)
    {
        var client = host.CreateClient();
        var response = await client.PostAsync($"{MeteringApp.Base}/auth/login", JsonHttp.RequestBody($$"""{"email": "{{tenant.Email}}", "password": "correct horse battery"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Hosts)
        {
            await host.DisposeAsync();
        }

        await Smtp.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>
/// The invoicing jobs as Hangfire runs them: step 7 of the quickstart end to end, and
/// two hosts on one database through several period boundaries, invoicing, finalizing and emailing
/// everything exactly once.
/// </summary>
public sealed class InvoiceSchedulingTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Given_the_quickstart_subscription_and_events_Then_step_7_happens_by_itself_period_end_DRAFT_grace_OPEN_email()
    {
        await using var cluster = await InvoicingCluster.StartAsync(1, Utc("2026-01-15T12:00:00Z"));
        var host = cluster.Hosts[0];
        var tenant = await Tenant.SignUpAsync(host);
        // Steps 1 to 6 with the quickstart's values.
        var meter = await tenant.PostOkAsync("/features", """
            {"name": "API Calls", "lookup_key": "api_calls", "type": "meter", "meter_name": "api_calls", "property_name": "call_count",
             "aggregation_type": "SUM", "unit": "calls"}
            """);
        var plan = await tenant.PostOkAsync("/plans", """{"name": "Starter", "lookup_id": "starter", "type": "USAGE", "billing_interval": "month", "currency": "USD"}""");
        await tenant.PostOkAsync($"/plans/{plan.Id()}/charges",
            $$"""{"type": "USAGE", "meter_id": "{{meter.GetProperty("meter_id")}}", "unit_price": 0.001, "display_name": "API Call Charge"}""");
        var customer = await tenant.PostOkAsync("/customers", """{"name": "Acme Corp", "email": "billing@acme.com", "external_id": "acme-corp-001"}""");
        var subscription = await tenant.PostOkAsync("/subscriptions",
            $$"""{"customer_id": "{{customer.Id()}}", "plan_id": "{{plan.Id()}}", "billing_interval": "month", "start_date": "2025-01-01T00:00:00Z"}""");
        var sdk = tenant.SdkClient(await tenant.CreateApiKeyAsync("usage.write"));
        var tracked = await sdk.PostAsync($"{MeteringApp.Base}/sdk/track", JsonHttp.RequestBody($$"""
            {"meter_token": "{{meter.GetProperty("meter_token")}}", "customer_external_id": "acme-corp-001", "quantity": 150, "idempotency_key": "req_unique_abc123"}
            """));
        Assert.Equal(HttpStatusCode.Accepted, tracked.StatusCode);

        // The period ends: the scheduler's period-close job drafts the invoice from all tracked events.
        cluster.Clock.Set(Utc("2026-02-01T00:00:05Z"));
        var client = await InvoicingCluster.SignInAsync(host, tenant);
        var draft = await WaitForInvoiceAsync(client, subscription.Id(), i => i.Status() == "DRAFT");
        Assert.Equal(0.15m, draft.Total());
        Assert.Equal(Utc("2026-01-01T00:00:00Z"), draft.GetProperty("period_start").GetDateTimeOffset());
        Assert.Equal(Utc("2026-02-01T00:00:00Z"), draft.GetProperty("period_end").GetDateTimeOffset());
        Assert.Empty(cluster.Smtp.Messages);

        // An hour of grace later, the finalize job makes it OPEN…
        cluster.Clock.Set(Utc("2026-02-01T01:00:10Z"));
        var open = await WaitForInvoiceAsync(client, subscription.Id(), i => i.Status() == "OPEN");
        Assert.Equal("INV-000001", open.GetProperty("number").GetString());
        Assert.Equal(0.15m, open.Total());

        // …and the email job sends it.
        cluster.Clock.Set(Utc("2026-02-01T01:01:10Z"));
        Assert.True(await Eventually.WaitUntilAsync(() => Task.FromResult(cluster.Smtp.Messages.Count > 0), Patience), "no email arrived");
        var message = Assert.Single(cluster.Smtp.Messages);
        Assert.Equal(["billing@acme.com"], message.Recipients);
        Assert.Contains("INV-000001", message.Subject, StringComparison.Ordinal);
        Assert.Contains("0.15 USD", message.Subject, StringComparison.Ordinal);
        Assert.Contains("API Call Charge", message.Html, StringComparison.Ordinal);
        Assert.Contains("Total: 0.15 USD", message.Text, StringComparison.Ordinal);
        Assert.True(await Eventually.WaitUntilAsync(
            async () => (await GetAsync(client, $"/invoices/{open.Id()}")).GetProperty("email").GetProperty("status").GetString() == "sent", Patience));
    }

    [Fact]
    public async Task Given_two_hosts_through_three_period_boundaries_Then_each_period_is_invoiced_once_each_invoice_finalized_once_and_emailed_once()
    {
        await using var cluster = await InvoicingCluster.StartAsync(2, Utc("2026-01-01T00:00:00Z"));
        var (one, two) = (cluster.Hosts[0], cluster.Hosts[1]);
        var b = await Billing.SetUpAsync(one);
        await b.ChargeAsync("""{"type": "FIXED", "amount": 10, "display_name": "Base"}""");
        await b.ChargeAsync("""{"type": "USAGE", "meter_id": "<meter_id>", "unit_price": 0.01, "display_name": "Calls"}""");
        var customers = new List<(string Id, string ExternalId)> { (b.CustomerId, b.ExternalId) };
        for (var i = 0; i < 2; i++)
        {
            var customer = await b.Tenant.CreateCustomerAsync();
            customers.Add((customer.Id(), customer.GetProperty("external_id").GetString()!));
        }

        await b.Tenant.Client.PatchAsync($"{MeteringApp.Base}/customers/{customers[1].Id}", JsonHttp.RequestBody("""{"email": "second@customer.example"}"""));
        var subscriptions = new List<string>();
        foreach (var customer in customers)
        {
            subscriptions.Add(await b.SubscribeAsync("2026-01-01T00:00:00Z", customer.Id));
        }

        var tracked = 0m;
        var hosts = new[] { one, two };
        foreach (var month in new[] { 1, 2, 3 })
        {
            var start = new DateTimeOffset(2026, month, 1, 0, 0, 0, TimeSpan.Zero);
            cluster.Clock.Set(start.AddDays(10));
            var clients = await Task.WhenAll(hosts.Select(h => InvoicingCluster.SignInAsync(h, b.Tenant)));
            for (var c = 0; c < customers.Count; c++)
            {
                await Billing.Track(b.Sdk, b.MeterToken, customers[c].ExternalId, (c + 1) * 100, start.AddDays(5).ToString("O"));
                tracked += (c + 1) * 100;
            }

            // Both hosts generate an invoice for the first subscription at the same instant: one of them does.
            var generated = await Task.WhenAll(clients.Select(c => c.PostAsync($"{MeteringApp.Base}/subscriptions/{subscriptions[0]}/generate-invoice", null)));
            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], generated.Select(r => r.StatusCode).Order());

            cluster.Clock.Set(start.AddDays(20));
            foreach (var customer in customers)
            {
                await Billing.Track(b.Sdk, b.MeterToken, customer.ExternalId, 7, start.AddDays(19).ToString("O"));
                tracked += 7;
            }

            // The period ends: the schedulers fire, and both hosts run the jobs twice more at once.
            var end = start.AddMonths(1);
            cluster.Clock.Set(end.AddSeconds(30));
            await Task.WhenAll(hosts.SelectMany(h => new[] { Jobs.ClosePeriodsAsync(h), Jobs.ClosePeriodsAsync(h) }));

            cluster.Clock.Set(end.AddHours(1).AddMinutes(1));
            clients = await Task.WhenAll(hosts.Select(h => InvoicingCluster.SignInAsync(h, b.Tenant)));
            var someDraft = await WaitForInvoiceAsync(clients[0], subscriptions[2], i => i.GetProperty("period_end").GetDateTimeOffset() == end);
            // The finalize jobs of both hosts, twice each, and a finalize request through each host, all at once.
            var requests = clients.Select(c => c.PostAsync($"{MeteringApp.Base}/invoices/{someDraft.Id()}/finalize", null)).ToList();
            await Task.WhenAll(hosts.SelectMany(h => new[] { Jobs.FinalizeDueAsync(h), Jobs.FinalizeDueAsync(h) }));
            var answers = await Task.WhenAll((await Task.WhenAll(requests)).Select(JsonHttp.ReadBodyAsync));
            Assert.All(answers, a => Assert.Equal("OPEN", a.Status()));
            Assert.Single(answers.Select(a => a.GetProperty("number").GetString()).Distinct());

            cluster.Clock.Set(end.AddHours(1).AddMinutes(2));
            await Task.WhenAll(hosts.SelectMany(h => new[] { Jobs.SendEmailsAsync(h), Jobs.SendEmailsAsync(h) }));

            // The schedulers may still be at work: every queued email has an outcome before the clock jumps
            // to the next month (a jump of weeks in the middle of a send would end its lease, as no real
            // clock can).
            Assert.True(await Eventually.WaitUntilAsync(
                async () => await cluster.Database.ScalarAsync<long>("SELECT count(*) FROM metering.invoice_emails WHERE status IN ('pending', 'sending')") == 0,
                Patience));
        }

        // Each subscription's three periods closed once; three invoices generated by hand on top.
        Assert.Equal(9L, await cluster.Database.ScalarAsync<long>("SELECT count(*) FROM metering.invoices WHERE closes_period"));
        Assert.Equal(0L, await cluster.Database.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT 1 FROM metering.invoices WHERE closes_period GROUP BY subscription_id, period_start HAVING count(*) > 1) d"));
        Assert.Equal(12L, await cluster.Database.ScalarAsync<long>("SELECT count(*) FROM metering.invoices"));
        // Nothing billed twice: the fees of nine periods and every call once.
        Assert.Equal((9 * 10m) + (tracked * 0.01m), await cluster.Database.ScalarAsync<decimal>("SELECT sum(total) FROM metering.invoices"));
        // Finalized once each: numbers 1 to 12, no gap, none twice, and the counter at 12.
        var numbers = await ListAsync(cluster.Database, "SELECT number FROM metering.invoices WHERE status = 'OPEN' ORDER BY number");
        Assert.Equal(Enumerable.Range(1, 12).Select(n => $"INV-{n:D6}"), numbers);
        Assert.Equal(12L, await cluster.Database.ScalarAsync<long>("SELECT last_number FROM metering.invoice_counters"));
        // Emailed once each.
        Assert.Equal(12L, await cluster.Database.ScalarAsync<long>("SELECT count(*) FROM metering.invoice_emails WHERE status = 'sent'"));
        var messages = cluster.Smtp.Messages;
        Assert.Equal(12, messages.Count);
        Assert.Equal(12, messages.Select(m => m.Header("Message-ID")).Distinct().Count());
        Assert.Equal(numbers, messages.Select(m => m.Subject.Split(' ')[1]).Order());
        Assert.Contains(cluster.Logs.Entries, e => e.Category.EndsWith("InvoiceFinalizer", StringComparison.Ordinal));
        Assert.True(cluster.Errors.Length == 0, cluster.Errors);
    }

    [Fact]
    public async Task Given_more_due_subscriptions_than_a_batch_Then_each_job_run_invoices_every_one_once_in_batches_on_one_database_session()
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        var clock = new ManualTimeProvider(Utc("2026-01-10T00:00:00Z"));
        await using var host = new FluxSuiteFactory(database.ConnectionString, clock).WithInvoicingSchedule("never")
            .WithSetting("Metering:Invoices:BatchSize", "2");
        var b = await Billing.SetUpAsync(host);
        await b.ChargeAsync("""{"type": "USAGE", "meter_id": "<meter_id>", "unit_price": 0.01, "display_name": "Calls"}""");
        var customers = new List<string> { b.ExternalId };
        var subscriptions = new List<string> { await b.SubscribeAsync("2026-01-01T00:00:00Z") };
        for (var i = 1; i < 5; i++)
        {
            var customer = await b.Tenant.CreateCustomerAsync();
            customers.Add(customer.GetProperty("external_id").GetString()!);
            subscriptions.Add(await b.SubscribeAsync("2026-01-01T00:00:00Z", customer.Id()));
        }

        for (var c = 0; c < customers.Count; c++)
        {
            await Billing.Track(b.Sdk, b.MeterToken, customers[c], (c + 1) * 100, "2026-01-05T00:00:00Z");
        }

        // Every statement that writes invoices notes the server process (the session) it ran in.
        await database.ScalarAsync<object>("""
            CREATE TABLE public.invoice_writers (job text NOT NULL, pid int NOT NULL);
            CREATE FUNCTION public.note_invoice_writer() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN INSERT INTO public.invoice_writers VALUES (TG_OP, pg_backend_pid()); RETURN NULL; END $$;
            CREATE TRIGGER note_invoice_writer AFTER INSERT OR UPDATE ON metering.invoices
            FOR EACH STATEMENT EXECUTE FUNCTION public.note_invoice_writer();
            """);

        // Five subscriptions in batches of two: three batches in each job's run.
        clock.Set(Utc("2026-02-01T00:00:30Z"));
        Assert.Equal(5, await Jobs.ClosePeriodsAsync(host));
        clock.Set(Utc("2026-02-01T01:01:00Z"));
        Assert.Equal(5, await Jobs.FinalizeDueAsync(host));
        Assert.Equal(0, await Jobs.ClosePeriodsAsync(host));
        Assert.Equal(0, await Jobs.FinalizeDueAsync(host));

        // Each subscription invoiced once, with its own usage, and numbered 1 to 5.
        var client = await InvoicingCluster.SignInAsync(host, b.Tenant);
        for (var c = 0; c < subscriptions.Count; c++)
        {
            var invoices = (await GetAsync(client, $"/invoices?subscription_id={subscriptions[c]}&page_size=100")).GetProperty("data");
            var invoice = Assert.Single(invoices.EnumerateArray());
            Assert.Equal("OPEN", invoice.Status());
            Assert.Equal((c + 1) * 100 * 0.01m, invoice.Total());
        }

        var numbers = await ListAsync(database, "SELECT number FROM metering.invoices ORDER BY number");
        Assert.Equal(Enumerable.Range(1, 5).Select(n => $"INV-{n:D6}"), numbers);
        // Each run's batches wrote from a single session: at least three statements each, one pid each.
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM public.invoice_writers WHERE job = 'INSERT'") >= 3);
        Assert.True(await database.ScalarAsync<long>("SELECT count(*) FROM public.invoice_writers WHERE job = 'UPDATE'") >= 3);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(DISTINCT pid) FROM public.invoice_writers WHERE job = 'INSERT'"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(DISTINCT pid) FROM public.invoice_writers WHERE job = 'UPDATE'"));
    }

    private static async Task<JsonElement> WaitForInvoiceAsync(HttpClient client, string subscription, Func<JsonElement, bool> wanted)
    {
        JsonElement? found = null;
        var arrived = await Eventually.WaitUntilAsync(async () =>
        {
            var list = await GetAsync(client, $"/invoices?subscription_id={subscription}&page_size=100");
            found = list.GetProperty("data").EnumerateArray().Where(wanted).Select(i => (JsonElement?)i).FirstOrDefault();
            return found is not null;
        }, Patience);
        Assert.True(arrived, $"no such invoice of subscription {subscription} appeared");
        return found!.Value;
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path) =>
        await client.GetFromJsonAsync<JsonElement>(MeteringApp.Base + path);

    private static async Task<List<string>> ListAsync(TestDatabase database, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
