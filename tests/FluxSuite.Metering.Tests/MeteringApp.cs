using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FluxSuite.Metering.Email;
using FluxSuite.Metering.Jobs;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Metering.Tests;

/// <summary>One host and database for the Metering tests. Tests isolate themselves by signing up their own organizations.</summary>
public class MeteringApp : FluxSuiteApp
{
    public const string Base = "/metering/api/v1";

    /// <summary>The collection's clock is shared: tests that depend on "now" set it first.</summary>
    public static readonly DateTimeOffset DefaultNow = new(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A new organization with a signed-in client (the access_token cookie is kept by the client).</summary>
    public Task<Tenant> SignUpAsync(string? email = null) => Tenant.SignUpAsync(Factory, email);

    /// <summary>Runs the period-close job now, as a firing would; returns how many invoices it drafted.</summary>
    public Task<int> ClosePeriodsAsync() => Jobs.ClosePeriodsAsync(Factory);

    /// <summary>Runs the finalize job now; returns how many invoices it finalized.</summary>
    public Task<int> FinalizeDueAsync() => Jobs.FinalizeDueAsync(Factory);

    /// <summary>Runs the email job now; returns how many emails it tried.</summary>
    public Task<int> SendEmailsAsync() => Jobs.SendEmailsAsync(Factory);
}

/// <summary>The invoicing jobs of a host, run directly.</summary>
public static class Jobs
{
    internal static readonly string[] Ids = [PeriodCloseJob.Id, InvoiceFinalizeJob.Id, InvoiceEmailJob.Id];

    /// <summary>Sets the cron expression of the three invoicing jobs (<c>never</c>: only when triggered).</summary>
    public static FluxSuiteFactory WithInvoicingSchedule(this FluxSuiteFactory host, string cron)
    {
        foreach (var id in Ids)
        {
            host.WithSetting($"Scheduler:Jobs:{id}", cron);
        }

        return host;
    }

    public static Task<int> ClosePeriodsAsync(FluxSuiteFactory host) =>
        ActivatorUtilities.CreateInstance<PeriodCloseJob>(host.Services).CloseDueAsync(CancellationToken.None);

    public static Task<int> FinalizeDueAsync(FluxSuiteFactory host) =>
        ActivatorUtilities.CreateInstance<InvoiceFinalizeJob>(host.Services).FinalizeDueAsync(CancellationToken.None);

    public static Task<int> SendEmailsAsync(FluxSuiteFactory host) =>
        host.Services.GetRequiredService<InvoiceEmailOutbox>().SendDueAsync(CancellationToken.None);

    /// <summary>Points a host at a test SMTP server: STARTTLS required, AUTH, trusting only the server's certificate.</summary>
    public static FluxSuiteFactory UseSmtp(this FluxSuiteFactory host, SmtpTestServer smtp) => host
        .WithSetting("Smtp:Host", "127.0.0.1")
        .WithSetting("Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .WithSetting("Smtp:From", "FluxSuite Billing <billing@fluxsuite.test>")
        .WithSetting("Smtp:UseTls", smtp.Certificate is null ? "false" : "true")
        .WithSetting("Smtp:Username", smtp.Username)
        .WithSetting("Smtp:Password", smtp.Password)
        .WithSetting("Smtp:Timeout", "00:00:10")
        .WithServices(services => services.PostConfigure<SmtpOptions>(o => o.CertificateValidation = smtp.Trusts));
}

/// <summary>
/// The invoicing tests' host: SMTP to a loopback server (STARTTLS and AUTH), and the invoicing jobs
/// registered but not firing by themselves, so that the tests run them exactly when they mean to (the
/// schedule itself is exercised in <see cref="InvoiceSchedulingTests"/>).
/// </summary>
public sealed class InvoicingApp : MeteringApp, IAsyncLifetime
{
    public SmtpTestServer Smtp { get; } = new(SmtpTestServer.CreateCertificate(), "billing", "smtp-secret");

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    protected override void Configure(FluxSuiteFactory factory) => factory.UseSmtp(Smtp).WithInvoicingSchedule("never");
}

[CollectionDefinition(Name)]
public sealed class InvoicingCollection : ICollectionFixture<InvoicingApp>
{
    public const string Name = "invoicing";
}

[CollectionDefinition(Name)]
public sealed class MeteringCollection : ICollectionFixture<MeteringApp>
{
    public const string Name = "metering";
}

/// <summary>A signed-up organization and the shortcuts tests use to set up what they need through the API.</summary>
public sealed record Tenant(FluxSuiteFactory Host, HttpClient Client, string Token, Guid OrganizationId, string Email)
{
    private const string Base = MeteringApp.Base;

    /// <summary>Signs up a new organization on the host.</summary>
    public static async Task<Tenant> SignUpAsync(FluxSuiteFactory host, string? email = null)
    {
        email ??= $"owner-{Guid.NewGuid():N}@example.com";
        var client = host.CreateClient();
        var response = await client.PostAsync($"{Base}/auth/signup", JsonHttp.RequestBody(
            $$"""{"email": "{{email}}", "password": "correct horse battery", "organization_name": "Org {{email}}"}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await JsonHttp.ReadBodyAsync(response);
        return new Tenant(host, client, body.GetProperty("access_token").GetString()!, body.GetProperty("organization").GetProperty("id").GetGuid(), email);
    }

    public async Task<JsonElement> PostOkAsync(string path, string json, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await Client.PostAsync(Base + path, JsonHttp.RequestBody(json));
        var body = await JsonHttp.ReadBodyAsync(response);
        Assert.True(response.StatusCode == expected, $"POST {path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    /// <summary>Logs in again on the same client (new cookie), for tests that move the clock past the token's lifetime.</summary>
    public async Task SignInAgainAsync()
    {
        var response = await Client.PostAsync($"{Base}/auth/login", JsonHttp.RequestBody($$"""{"email": "{{Email}}", "password": "correct horse battery"}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task<JsonElement> GetOkAsync(string path)
    {
        var response = await Client.GetAsync(Base + path);
        var body = await JsonHttp.ReadBodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    public Task<JsonElement> CreateMeterAsync(string aggregation = "SUM", string? lookupKey = null, string property = "call_count") =>
        PostOkAsync("/features", $$"""
            {"name": "Meter {{aggregation}}", "lookup_key": "{{lookupKey ?? "m_" + Guid.NewGuid().ToString("N")[..12]}}", "type": "meter",
             "meter_name": "meter", "property_name": "{{property}}", "aggregation_type": "{{aggregation}}", "unit": "units"}
            """);

    public Task<JsonElement> CreateCustomerAsync(string? externalId = null) =>
        PostOkAsync("/customers", $$"""
            {"name": "Acme", "email": "billing@acme.example", "external_id": "{{externalId ?? "cust-" + Guid.NewGuid().ToString("N")[..12]}}"}
            """);

    public Task<JsonElement> CreatePlanAsync(string type = "USAGE", string currency = "USD", string interval = "month") =>
        PostOkAsync("/plans", $$"""
            {"name": "Plan", "lookup_id": "p_{{Guid.NewGuid().ToString("N")[..12]}}", "type": "{{type}}", "billing_interval": "{{interval}}", "currency": "{{currency}}"}
            """);

    public async Task<string> CreateApiKeyAsync(params string[] scopes)
    {
        var body = await PostOkAsync("/api-keys", $$"""{"name": "key", "scopes": [{{string.Join(", ", (scopes.Length == 0 ? ["usage.write"] : scopes).Select(s => $"\"{s}\""))}}]}""");
        return body.GetProperty("key").GetString()!;
    }

    public HttpClient SdkClient(string key)
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Add("X-API-Key", key);
        return client;
    }
}

public static class Http
{

    /// <summary>Asserts a problem+json error with the status and returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await JsonHttp.ReadBodyAsync(response);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        return body;
    }

    public static HttpClient WithBearer(this HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
