using System.Net;
using System.Text.RegularExpressions;
using FluxSuite.Testing;
using FluxSuite.Testing.Pages;
using Microsoft.Playwright;

namespace FluxSuite.Metering.Tests;

/// <summary>
/// The metering dashboard in a real browser: the quickstart walked through its pages, the API's
/// validation shown next to the fields, cross-site posts refused, and one organization unable to see another's.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class DashboardPageTests(DashboardApp app)
{
    private const string Password = "correct horse battery";

    [Fact]
    public async Task Given_a_new_user_When_they_walk_the_quickstart_through_the_dashboard_Then_tracked_usage_shows_in_the_chart_and_is_invoiced()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var page = await app.Browser.NewPageAsync(app.Address);

        // Sign up: the same session cookie as the API.
        await page.GotoAsync("/metering/dashboard");
        await PageBrowser.WaitForPageAsync(page, new Regex("/metering/dashboard/login"));
        await page.ClickAsync("text=Create an organization");
        await page.FillAsync("#organization_name", "Acme Analytics");
        await page.FillAsync("#email", "owner@acme-analytics.example");
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await PageBrowser.WaitForPageAsync(page, new Regex("/metering/dashboard$"));
        Assert.Contains("owner@acme-analytics.example", await page.Locator(".subnav .who").InnerTextAsync(), StringComparison.Ordinal);

        // Step 1: a meter, with the quickstart's fields; its token is shown to copy.
        await page.ClickAsync(".subnav >> text=Features");
        await page.FillAsync("#name", "API Calls");
        await page.FillAsync("#lookup_key", "api_calls");
        await page.FillAsync("#meter_name", "api_calls");
        await page.FillAsync("#property_name", "call_count");
        await page.SelectOptionAsync("#aggregation_type", "SUM");
        await page.FillAsync("#unit", "calls");
        await page.ClickAsync("text=Create meter");
        await PageBrowser.WaitForPageAsync(page, new Regex("/metering/dashboard/features/[0-9a-f-]{36}$"));
        var meterToken = await page.Locator("#meter-token").InnerTextAsync();
        Assert.StartsWith("mtr_", meterToken, StringComparison.Ordinal);
        Assert.Equal("meter-token", await page.Locator("button[data-copy]").GetAttributeAsync("data-copy"));
        await PageBrowser.ScreenshotAsync(page, "metering-feature", page.Locator("#meter-token"), page.Locator("#meter-id"));

        // Step 2: a plan and its charge.
        await page.ClickAsync(".subnav >> text=Plans");
        await page.FillAsync("#name", "Starter");
        await page.FillAsync("#lookup_id", "starter");
        await page.SelectOptionAsync("#type", "USAGE");
        await page.ClickAsync("text=Create plan");
        await PageBrowser.WaitForPageAsync(page, new Regex("/metering/dashboard/plans/[0-9a-f-]{36}$"));
        await page.SelectOptionAsync("#meter_id", new SelectOptionValue { Label = "API Calls (api_calls)" });
        await page.FillAsync("#unit_price", "0.001");
        await page.FillAsync("#display_name", "API Call Charge");
        await page.ClickAsync("text=Add charge");
        await page.WaitForSelectorAsync("text=Charge \"API Call Charge\" added.");
        Assert.Contains("0.001 USD per unit", await page.Locator("#charges").InnerTextAsync(), StringComparison.Ordinal);

        // Step 3: a customer.
        await page.ClickAsync(".subnav >> text=Customers");
        await page.FillAsync("#name", "Acme Corp");
        await page.FillAsync("#email", "billing@acme.com");
        await page.FillAsync("#external_id", "acme-corp-001");
        await page.ClickAsync("text=Create customer");
        await page.WaitForSelectorAsync("td >> text=acme-corp-001");

        // Step 4: the subscription.
        await page.ClickAsync(".subnav >> text=Subscriptions");
        await page.SelectOptionAsync("#customer_id", new SelectOptionValue { Label = "Acme Corp (acme-corp-001)" });
        await page.SelectOptionAsync("#plan_id", new SelectOptionValue { Label = "Starter (starter)" });
        await page.ClickAsync("text=Create subscription");
        await PageBrowser.WaitForPageAsync(page, new Regex("/metering/dashboard/subscriptions/[0-9a-f-]{36}$"));
        var subscriptionUrl = page.Url;

        // Step 5: an SDK key with usage.write, shown once.
        await page.ClickAsync(".subnav >> text=API keys");
        await page.FillAsync("#name", "Production SDK Key");
        await page.ClickAsync("text=Create key");
        var key = await page.Locator("#api-key").InnerTextAsync();
        Assert.StartsWith("org_live_", key, StringComparison.Ordinal);
        Assert.Contains("usage.write", await page.Locator("tr[data-key]").InnerTextAsync(), StringComparison.Ordinal);
        await PageBrowser.ScreenshotAsync(page, "metering-api-keys", page.Locator("#api-key"), page.Locator("tr[data-key] code"));
        await page.GotoAsync("/metering/dashboard/api-keys");
        Assert.Equal(0, await page.Locator("#api-key").CountAsync());

        // Step 6: the backend tracks usage over HTTP with that key.
        using (var sdk = new HttpClient { BaseAddress = app.Address })
        {
            sdk.DefaultRequestHeaders.Add("X-API-Key", key);
            var tracked = await sdk.PostAsync("/metering/api/v1/sdk/track", JsonHttp.RequestBody($$"""
                {"meter_token": "{{meterToken}}", "customer_external_id": "acme-corp-001", "quantity": 150, "idempotency_key": "req_unique_abc123"}
                """));
            Assert.Equal(HttpStatusCode.Accepted, tracked.StatusCode);
        }

        app.Clock.Advance(TimeSpan.FromHours(2));

        // A second key, revoked on the page, stops working at once.
        await page.GotoAsync("/metering/dashboard/api-keys");
        await page.FillAsync("#name", "Old key");
        await page.ClickAsync("text=Create key");
        var oldKey = await page.Locator("#api-key").InnerTextAsync();
        await page.ClickAsync("tr[data-key]:has-text('Old key') >> text=Revoke");
        await page.WaitForSelectorAsync("text=Key revoked");
        Assert.Contains("revoked", await page.Locator("tr[data-key]:has-text('Old key')").InnerTextAsync(), StringComparison.Ordinal);
        using (var revoked = new HttpClient { BaseAddress = app.Address })
        {
            revoked.DefaultRequestHeaders.Add("X-API-Key", oldKey);
            var refused = await revoked.PostAsync("/metering/api/v1/sdk/track", JsonHttp.RequestBody($$"""
                {"meter_token": "{{meterToken}}", "customer_external_id": "acme-corp-001", "quantity": 1}
                """));
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        // The usage chart shows it, with the totals beside it.
        await page.ClickAsync(".subnav >> text=Usage");
        Assert.Equal("150", await page.Locator("#usage-total").InnerTextAsync());
        var bars = page.Locator("svg rect.bar");
        // The last 30 days up to 14:00 touch 31 day buckets: one bar and one row each.
        Assert.Equal(31, await bars.CountAsync());
        Assert.Equal(31, await page.Locator("#usage-table tbody tr").CountAsync());
        var heights = await bars.EvaluateAllAsync<double[]>("bars => bars.map(b => b.height.baseVal.value)");
        Assert.Single(heights, h => h > 0);
        Assert.Contains("2026-01-15", await page.Locator("#usage-table").InnerTextAsync(), StringComparison.Ordinal);
        await page.SelectOptionAsync("#granularity", "hour");
        await page.SelectOptionAsync("#customer_id", new SelectOptionValue { Label = "Acme Corp (acme-corp-001)" });
        await page.ClickAsync("text=Show usage");
        await PageBrowser.WaitForPageAsync(page, new Regex("granularity=hour"));
        Assert.Equal("150", await page.Locator("#usage-total").InnerTextAsync());
        await page.GotoAsync("/metering/dashboard/usage");
        await PageBrowser.ScreenshotAsync(page, "metering-usage");

        // Step 7: an invoice generated now, listed with its state and printable page.
        await page.GotoAsync(subscriptionUrl);
        await page.ClickAsync("#generate-invoice");
        await page.WaitForSelectorAsync("text=Invoice generated: a DRAFT of 0.15 USD.");
        var row = page.Locator("tr[data-invoice]");
        Assert.Contains("DRAFT", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("0.15 USD", await row.InnerTextAsync(), StringComparison.Ordinal);

        await page.ClickAsync(".subnav >> text=Invoices");
        Assert.Equal(1, await page.Locator("tr[data-invoice]").CountAsync());
        await PageBrowser.ScreenshotAsync(page, "metering-invoices");
        await page.ClickAsync("tr[data-invoice] >> text=Open");
        await PageBrowser.WaitForPageAsync(page, new Regex("/metering/api/v1/invoices/[0-9a-f-]{36}/html$"));
        var printable = await page.Locator("body").InnerTextAsync();
        Assert.Contains("Acme Corp", printable, StringComparison.Ordinal);
        Assert.Contains("API Call Charge", printable, StringComparison.Ordinal);

        // Log out: the session ends, and the dashboard asks to log in again.
        await page.GotoAsync("/metering/dashboard");
        await page.ClickAsync("text=Log out");
        await PageBrowser.WaitForPageAsync(page, new Regex("/metering/dashboard/login$"));
        await page.GotoAsync("/metering/dashboard/features");
        await PageBrowser.WaitForPageAsync(page, new Regex("/metering/dashboard/login\\?returnUrl=%2Fmetering%2Fdashboard%2Ffeatures$"));
        await page.FillAsync("#email", "owner@acme-analytics.example");
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await PageBrowser.WaitForPageAsync(page, new Regex("/metering/dashboard/features$"));
        Assert.Contains("API Calls", await page.Locator("#features").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_form_the_API_refuses_Then_the_page_shows_the_API_messages_next_to_the_fields_and_keeps_what_was_typed()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var page = await SignedInPageAsync();

        await page.GotoAsync("/metering/dashboard/features");
        await page.FillAsync("#lookup_key", "bad key!");
        await page.SelectOptionAsync("#aggregation_type", "UNIQUE_COUNT");
        var response = await SubmitAsync(page, "text=Create meter");

        Assert.Equal(400, response.Status);
        Assert.Equal("is required.", await page.Locator("#name ~ .field-error").InnerTextAsync());
        Assert.Equal("may hold only letters, digits, '_', '.' and '-', starting with a letter or digit.",
            await page.Locator("#lookup_key ~ .field-error").InnerTextAsync());
        Assert.StartsWith("is required for UNIQUE_COUNT", await page.Locator("#property_name ~ .field-error").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("bad key!", await page.InputValueAsync("#lookup_key"));

        // A rule only the handler knows (a duplicate lookup key) is shown the same way, with the API's 409.
        await page.FillAsync("#name", "Calls");
        await page.FillAsync("#lookup_key", "calls");
        await page.SelectOptionAsync("#aggregation_type", "SUM");
        await page.ClickAsync("text=Create meter");
        await PageBrowser.WaitForPageAsync(page, new Regex("/features/[0-9a-f-]{36}$"));
        await page.GotoAsync("/metering/dashboard/features");
        await page.FillAsync("#name", "Calls again");
        await page.FillAsync("#lookup_key", "calls");
        response = await SubmitAsync(page, "text=Create meter");
        Assert.Equal(409, response.Status);
        Assert.Equal("A feature with lookup_key 'calls' already exists in your organization.", await page.Locator(".alert.error").InnerTextAsync());

        // A number the API cannot read is named in its words.
        await page.GotoAsync("/metering/dashboard/plans");
        await page.FillAsync("#name", "Pro");
        await page.FillAsync("#lookup_id", "pro");
        await page.ClickAsync("text=Create plan");
        await PageBrowser.WaitForPageAsync(page, new Regex("/plans/[0-9a-f-]{36}$"));
        await page.FillAsync("#unit_price", "one cent");
        response = await SubmitAsync(page, "text=Add charge");
        Assert.Equal(400, response.Status);
        Assert.Equal("expected a number.", await page.Locator("#unit_price ~ .field-error").InnerTextAsync());
        await page.FillAsync("#unit_price", "0.01");
        response = await SubmitAsync(page, "text=Add charge");
        Assert.Equal(400, response.Status);
        Assert.Equal("is required for a USAGE charge.", await page.Locator("#meter_id ~ .field-error").InnerTextAsync());
    }

    [Fact]
    public async Task Given_a_signed_in_user_When_another_site_posts_a_dashboard_form_without_the_antiforgery_token_Then_it_is_refused_and_nothing_is_created()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var tenant = await app.SignUpAsync();
        var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("Cookie", $"access_token={tenant.Token}");

        var response = await client.PostAsync("/metering/dashboard/api-keys", new FormUrlEncodedContent(
            [new("name", "stolen"), new("scopes", "usage.write")]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("This form did not come from this site", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var keys = await tenant.GetOkAsync("/api-keys");
        Assert.Equal(0, keys.GetProperty("data").GetArrayLength());

        var logout = await client.PostAsync("/metering/dashboard/logout", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.GetAsync($"{MeteringApp.Base}/auth/me")).StatusCode);
    }

    [Fact]
    public async Task Given_two_organizations_Then_a_session_of_one_sees_nothing_of_the_other()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var owner = await app.SignUpAsync();
        var meter = await owner.CreateMeterAsync();
        var customer = await owner.CreateCustomerAsync("secret-customer");
        var plan = await owner.CreatePlanAsync();
        var subscription = await owner.PostOkAsync("/subscriptions", $$"""
            {"customer_id": "{{customer.GetProperty("id")}}", "plan_id": "{{plan.GetProperty("id")}}"}
            """);
        var page = await SignedInPageAsync();

        foreach (var path in new[]
                 {
                     $"/metering/dashboard/features/{meter.GetProperty("id")}", $"/metering/dashboard/plans/{plan.GetProperty("id")}",
                     $"/metering/dashboard/subscriptions/{subscription.GetProperty("id")}",
                 })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(404, response!.Status);
            Assert.Contains("in your organization.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        }

        foreach (var path in new[] { "features", "plans", "customers", "subscriptions", "invoices", "api-keys" })
        {
            await page.GotoAsync($"/metering/dashboard/{path}");
            var text = await page.Locator("main").InnerTextAsync();
            Assert.DoesNotContain("secret-customer", text, StringComparison.Ordinal);
            Assert.DoesNotContain(meter.GetProperty("lookup_key").GetString()!, text, StringComparison.Ordinal);
        }

        var usage = await page.GotoAsync($"/metering/dashboard/usage?meter_id={meter.GetProperty("meter_id")}");
        Assert.Equal(404, usage!.Status);
        Assert.Equal(0, await page.Locator("#usage-total").CountAsync());
    }

    [Fact]
    public async Task Given_a_login_link_whose_return_address_is_another_site_Then_logging_in_lands_on_the_dashboard()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var tenant = await app.SignUpAsync();
        var page = await app.Browser.NewPageAsync(app.Address);

        await page.GotoAsync("/metering/dashboard/login?returnUrl=" + Uri.EscapeDataString("https://evil.example/metering/dashboard"));
        await page.FillAsync("#email", tenant.Email);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");

        await PageBrowser.WaitForPageAsync(page, new Regex("/metering/dashboard$"));
        Assert.StartsWith(app.Address.ToString().TrimEnd('/'), page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_wrong_password_Then_the_login_page_says_so_with_the_APIs_401()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var tenant = await app.SignUpAsync();
        var page = await app.Browser.NewPageAsync(app.Address);
        await page.GotoAsync("/metering/dashboard/login");
        await page.FillAsync("#email", tenant.Email);
        await page.FillAsync("#password", "not the password");

        var response = await SubmitAsync(page, "button[type=submit]");

        Assert.Equal(401, response.Status);
        Assert.Equal("The email or password is wrong.", await page.Locator(".alert.error").InnerTextAsync());
        Assert.Equal(tenant.Email, await page.InputValueAsync("#email"));
    }

    [Fact]
    public async Task Given_a_phone_360_px_wide_Then_the_dashboards_pages_fit_without_scrolling_sideways()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var page = await SignedInPageAsync(width: 360);

        foreach (var path in new[] { "", "/features", "/plans", "/customers", "/subscriptions", "/api-keys", "/usage", "/invoices" })
        {
            await page.GotoAsync("/metering/dashboard" + path);
            // Wide tables scroll inside their own box; the page itself must not.
            var wider = await page.EvaluateAsync<string[]>(
                "[...document.querySelectorAll('body *')].filter(e => !e.closest('.table-wrap') && (e.getBoundingClientRect().right > window.innerWidth + 0.5 || e.scrollWidth > e.clientWidth + 1))" +
                ".map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))");
            Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"),
                $"/metering/dashboard{path} is wider than 360 px ({await page.EvaluateAsync<int>("document.documentElement.scrollWidth")}): {string.Join(", ", wider)}");
        }
    }

    /// <summary>Clicks a form's submit button and answers the response to the form's POST.</summary>
    private static Task<IResponse> SubmitAsync(IPage page, string selector) =>
        page.RunAndWaitForResponseAsync(() => page.ClickAsync(selector), r => r.Request.Method == "POST");

    /// <summary>A browser page signed in as a new organization, through the sign-up page.</summary>
    private async Task<IPage> SignedInPageAsync(int width = 1280)
    {
        var page = await app.Browser.NewPageAsync(app.Address, width);
        await page.GotoAsync("/metering/dashboard/signup");
        await page.FillAsync("#organization_name", "Other Org");
        await page.FillAsync("#email", $"user-{Guid.NewGuid():N}@example.com");
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await PageBrowser.WaitForPageAsync(page, new Regex("/metering/dashboard$"));
        return page;
    }
}
