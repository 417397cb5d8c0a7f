using System.Net;
using System.Text.Json;
using FluxSuite.Testing;
using static FluxSuite.Metering.Tests.InvoiceJson;

namespace FluxSuite.Metering.Tests;

/// <summary>
/// Invoice emails through a real SMTP server on loopback (STARTTLS, AUTH): what arrives, retries with
/// backoff on temporary refusals, permanent failures recorded with the server's answer, and never a
/// second copy — not on a rerun, not after an answer that never came.
/// </summary>
[Collection(InvoicingCollection.Name)]
public sealed class InvoiceEmailTests(InvoicingApp app)
{
    /// <summary>A finalized invoice of 12.34 USD for a customer with an email of its own; earlier queued emails are sent first.</summary>
    private async Task<(Billing Billing, JsonElement Invoice, string Email)> FinalizedAsync(bool withEmail = true)
    {
        app.Clock.Set(Utc("2026-01-15T00:00:00Z"));
        app.Smtp.DataAnswers.Clear();
        await app.SendEmailsAsync();
        var b = await Billing.SetUpAsync(app, "USAGE");
        await b.ChargeAsync("""{"type": "USAGE", "meter_id": "<meter_id>", "unit_price": 0.01, "display_name": "API calls"}""");
        var email = $"ap-{Guid.NewGuid():N}@customer.example";
        await b.Tenant.Client.PatchAsync($"{MeteringApp.Base}/customers/{b.CustomerId}",
            JsonHttp.RequestBody(withEmail ? $$"""{"name": "Zoë Ångström GmbH", "email": "{{email}}"}""" : """{"email": null}"""));
        var subscription = await b.SubscribeAsync("2026-01-01T00:00:00Z");
        await b.TrackAsync(1234, "2026-01-10T00:00:00Z");
        var draft = await JsonHttp.ReadBodyAsync(await b.PostAsync($"/subscriptions/{subscription}/generate-invoice"));
        var response = await b.PostAsync($"/invoices/{draft.Id()}/finalize");
        var invoice = await JsonHttp.ReadBodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, invoice.ToString());
        return (b, invoice, email);
    }

    private IReadOnlyList<ReceivedMessage> MessagesFor(JsonElement invoice) =>
        [.. app.Smtp.Messages.Where(m => m.Header("Message-ID") == $"<invoice-{Guid.Parse(invoice.Id()):N}@fluxsuite.test>")];

    private static async Task<JsonElement> EmailOfAsync(Billing b, JsonElement invoice) => (await b.InvoiceAsync(invoice.Id())).GetProperty("email");

    [Fact]
    public async Task Given_a_finalized_invoice_Then_one_email_reaches_the_customer_over_TLS_with_the_number_and_total()
    {
        var (b, invoice, email) = await FinalizedAsync();
        Assert.Equal("pending", invoice.GetProperty("email").GetProperty("status").GetString());
        Assert.Equal(1L, await app.Database.ScalarAsync<long>(
            "SELECT count(*) FROM metering.invoice_emails WHERE invoice_id = @id", ("id", Guid.Parse(invoice.Id()))));

        await app.SendEmailsAsync();
        await app.SendEmailsAsync();

        var message = Assert.Single(MessagesFor(invoice));
        Assert.Equal([email], message.Recipients);
        Assert.Equal("billing@fluxsuite.test", message.MailFrom);
        Assert.True(message.OverTls);
        Assert.Equal("billing", message.AuthenticatedUser);
        Assert.Equal($"\"Zoë Ångström GmbH\" <{email}>".Replace("\"", string.Empty, StringComparison.Ordinal),
            message.Header("To")!.Replace("\"", string.Empty, StringComparison.Ordinal));
        // 1 234 calls x 0.01 = 12.34 USD.
        Assert.Equal($"Invoice INV-000001 from Org {b.Tenant.Email}: 12.34 USD, due 2026-02-14", message.Subject);
        Assert.Contains("Invoice INV-000001", message.Html, StringComparison.Ordinal);
        Assert.Contains("12.34 USD", message.Html, StringComparison.Ordinal);
        Assert.Contains("Zoë Ångström GmbH", message.Html, StringComparison.Ordinal);
        Assert.Contains("Total: 12.34 USD", message.Text, StringComparison.Ordinal);
        // The email is the printable page.
        Assert.Equal(await b.Tenant.Client.GetStringAsync($"{MeteringApp.Base}/invoices/{invoice.Id()}/html"), message.Html);
        var recorded = await EmailOfAsync(b, invoice);
        Assert.True(recorded.GetProperty("status").GetString() == "sent", recorded.ToString());
        Assert.StartsWith("250 2.0.0 Ok: queued as", recorded.GetProperty("last_response").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, recorded.GetProperty("attempts").GetInt32());
        Assert.Equal(Utc("2026-01-15T00:00:00Z"), recorded.GetProperty("sent_at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Given_a_temporary_refusal_Then_the_email_is_retried_after_the_backoff_and_sent_once()
    {
        var (b, invoice, _) = await FinalizedAsync();
        app.Smtp.DataAnswers.Enqueue("451 4.3.0 Mail server temporarily rejected message");
        app.Smtp.DataAnswers.Enqueue("421 4.4.2 Connection dropped");

        await app.SendEmailsAsync();
        var first = await EmailOfAsync(b, invoice);
        Assert.Equal("pending", first.GetProperty("status").GetString());
        Assert.Equal("451 4.3.0 Mail server temporarily rejected message", first.GetProperty("last_response").GetString());
        // 1 minute after the first failure, then 2.
        Assert.Equal(Utc("2026-01-15T00:01:00Z"), first.GetProperty("next_attempt_at").GetDateTimeOffset());
        await app.SendEmailsAsync();
        Assert.Equal(1, (await EmailOfAsync(b, invoice)).GetProperty("attempts").GetInt32());

        app.Clock.Set(Utc("2026-01-15T00:01:00Z"));
        await app.SendEmailsAsync();
        Assert.Equal(Utc("2026-01-15T00:03:00Z"), (await EmailOfAsync(b, invoice)).GetProperty("next_attempt_at").GetDateTimeOffset());
        app.Clock.Set(Utc("2026-01-15T00:03:00Z"));
        await app.SendEmailsAsync();

        var sent = await EmailOfAsync(b, invoice);
        Assert.Equal("sent", sent.GetProperty("status").GetString());
        Assert.Equal(3, sent.GetProperty("attempts").GetInt32());
        Assert.Single(MessagesFor(invoice));
    }

    [Fact]
    public async Task Given_a_permanent_refusal_Then_the_email_is_recorded_as_failed_with_the_servers_answer_and_not_retried()
    {
        var (b, invoice, _) = await FinalizedAsync();
        app.Smtp.DataAnswers.Enqueue("550 5.1.1 Recipient address rejected: mailbox unavailable");

        await app.SendEmailsAsync();
        app.Clock.Set(Utc("2026-01-16T00:00:00Z"));
        await app.SendEmailsAsync();
        await b.Tenant.SignInAgainAsync();

        var failed = await EmailOfAsync(b, invoice);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("550 5.1.1 Recipient address rejected: mailbox unavailable", failed.GetProperty("last_response").GetString());
        Assert.Equal(1, failed.GetProperty("attempts").GetInt32());
        Assert.Empty(MessagesFor(invoice));
    }

    [Fact]
    public async Task Given_no_answer_after_the_message_went_out_Then_it_is_never_sent_again()
    {
        var (b, invoice, _) = await FinalizedAsync();
        app.Smtp.DataAnswers.Enqueue(SmtpTestServer.Drop);

        await app.SendEmailsAsync();
        app.Clock.Set(Utc("2026-01-16T00:00:00Z"));
        await app.SendEmailsAsync();
        await b.Tenant.SignInAgainAsync();

        var recorded = await EmailOfAsync(b, invoice);
        Assert.Equal("failed", recorded.GetProperty("status").GetString());
        Assert.Contains("may have been delivered", recorded.GetProperty("last_response").GetString(), StringComparison.Ordinal);
        // The server did take it: exactly one copy.
        Assert.Single(MessagesFor(invoice));
    }

    [Fact]
    public async Task Given_an_invoice_voided_before_its_email_went_out_Then_the_email_is_canceled()
    {
        var (b, invoice, _) = await FinalizedAsync();

        await b.PostAsync($"/invoices/{invoice.Id()}/void");
        await app.SendEmailsAsync();

        var recorded = await EmailOfAsync(b, invoice);
        Assert.Equal("canceled", recorded.GetProperty("status").GetString());
        Assert.Empty(MessagesFor(invoice));
    }

    [Fact]
    public async Task Given_a_customer_without_an_email_Then_the_invoice_email_is_skipped_and_says_why()
    {
        var (b, invoice, _) = await FinalizedAsync(withEmail: false);

        await app.SendEmailsAsync();

        var recorded = await EmailOfAsync(b, invoice);
        Assert.Equal("skipped", recorded.GetProperty("status").GetString());
        Assert.Contains("no email address", recorded.GetProperty("last_response").GetString(), StringComparison.Ordinal);
        Assert.Empty(MessagesFor(invoice));
    }
}
