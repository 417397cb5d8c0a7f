using System.Net;
using System.Text.RegularExpressions;
using FluxSuite.Testing.Pages;
using Microsoft.Playwright;

namespace FluxSuite.Listings.Tests;

/// <summary>The public directory pages in a real browser: filters in the URL, a profile and back, escaping, narrow screens.</summary>
[Collection(ListingsPagesCollection.Name)]
public sealed partial class DirectoryPageTests(ListingsPagesApp app) : IAsyncLifetime
{
    private const string Hostile = "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">";

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        await app.CreateProviderAsync("acme", """
            "name": "Acme Hosting", "description": "Managed Flux nodes in Poland, set up in a day.",
            "longDescription": "Acme runs Flux nodes since 2021.\nThree data centres in Warsaw.", "website": "https://acme.example",
            "discord": "https://discord.gg/acme", "country": "Poland", "type": "managed",
            "tiers": [{"tier": "cumulus", "price": 7.99, "planName": "Cumulus"}, {"tier": "nimbus", "price": 17.99, "planName": "Nimbus"},
                      {"tier": "stratus", "price": 35.99, "planName": "Stratus"}],
            "totalNodes": 89, "totalClients": 51, "uptimePercentage": 99.99, "responseTimeHours": 0.5, "dataCenters": 3, "sla": 99.9,
            "languages": ["en", "pl"], "supportChannels": ["email", "discord"], "acceptsFlux": true, "acceptsStripe": true, "acceptsFiat": false,
            "verified": true, "fluxLabsPartner": true, "rating": 4.8, "reviewCount": 12
            """);
        await app.CreateProviderAsync("nimbus-nodes", """
            "name": "Nimbus Nodes", "description": "Self-setup nodes with fiat billing.", "country": "Germany", "type": "selfSetup",
            "tiers": [{"tier": "nimbus", "price": 12.5}], "totalNodes": 12, "uptimePercentage": 98.5, "acceptsFiat": true, "rating": 4.1
            """);
        await app.CreateProviderAsync("polska-demo", """
            "name": "Polska Demo", "description": "A demo listing.", "country": "Poland", "type": "managed", "isDemo": true
            """);
        await app.CreateProviderAsync("hostile", $$"""
            "name": {{System.Text.Json.JsonSerializer.Serialize(Hostile)}}, "description": "\"><b>not bold</b>", "country": "Poland", "type": "dedicated",
            "website": "https://hostile.example/?q=\"><script>window.__pwned=3</script>"
            """);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Given_the_directory_When_a_visitor_filters_opens_a_profile_and_goes_back_Then_the_filters_hold_and_the_profile_shows_the_listing()
    {
        var page = await app.Browser.NewPageAsync(app.Address);

        var response = await page.GotoAsync("/providers");
        Assert.Equal(200, response!.Status);
        Assert.Equal(3, await page.Locator("article.card").CountAsync()); // the demo listing is hidden, as in the API

        await page.SelectOptionAsync("#type", "managed");
        await page.FillAsync("#country", "poland");
        await page.CheckAsync("input[name=includeDemo]");
        await page.ClickAsync("button[type=submit]");
        await PageBrowser.WaitForPageAsync(page, new Regex("type=managed"));

        // Empty fields are left out of the URL, so a filtered directory is a link to share.
        Assert.EndsWith("/providers?type=managed&country=poland&includeDemo=true", page.Url, StringComparison.Ordinal);
        var cards = page.Locator("article.card");
        Assert.Equal(["acme", "polska-demo"], await SlugsAsync(cards));
        Assert.Equal("Demo listing", await page.Locator("article.card[data-slug=polska-demo] .badge.demo").InnerTextAsync());
        var acme = page.Locator("article.card[data-slug=acme]");
        Assert.Equal(["Verified", "Flux Labs partner"], await acme.Locator(".badge").AllInnerTextsAsync());
        Assert.Contains("Cumulus 7.99", await acme.Locator(".tiers").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("99.99 %", await acme.InnerTextAsync(), StringComparison.Ordinal);
        await PageBrowser.ScreenshotAsync(page, "providers");

        await acme.Locator("h3 a").ClickAsync();
        await PageBrowser.WaitForPageAsync(page, new Regex("/providers/acme"));
        Assert.Equal("Acme Hosting", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("Three data centres in Warsaw.", await page.Locator("#long-description").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("nofollow noopener", await page.Locator("#website").GetAttributeAsync("rel"));
        Assert.Equal("nofollow noopener", await page.Locator("#discord").GetAttributeAsync("rel"));
        var profile = await page.Locator("main").InnerTextAsync();
        foreach (var expected in new[] { "en, pl", "email, discord", "99.9 %", "Stratus", "35.99", "★ 4.8 (12 reviews)" })
        {
            Assert.Contains(expected, profile, StringComparison.Ordinal);
        }

        await PageBrowser.ScreenshotAsync(page, "provider-profile");

        await page.ClickAsync("#back");
        await PageBrowser.WaitForPageAsync(page, new Regex("/providers\\?"));
        Assert.EndsWith("/providers?type=managed&country=poland&includeDemo=true", page.Url, StringComparison.Ordinal);
        Assert.Equal(["acme", "polska-demo"], await SlugsAsync(page.Locator("article.card")));
    }

    [Fact]
    public async Task Given_a_filter_the_API_refuses_When_the_directory_is_opened_with_it_Then_the_API_message_is_shown_next_to_the_field()
    {
        var page = await app.Browser.NewPageAsync(app.Address);

        var response = await page.GotoAsync("/providers?sort=price");

        Assert.Equal(400, response!.Status);
        Assert.Equal("is required when sort=price: the price of which tier (cumulus, nimbus or stratus)?",
            await page.Locator("#tier ~ .field-error").InnerTextAsync());
        Assert.Equal(0, await page.Locator("article.card").CountAsync());
    }

    [Fact]
    public async Task Given_sorting_by_a_tiers_price_Then_cards_come_cheapest_first_and_pages_link_to_each_other()
    {
        var page = await app.Browser.NewPageAsync(app.Address);

        await page.GotoAsync("/providers?tier=nimbus&sort=price&pageSize=1");

        Assert.Equal(["nimbus-nodes"], await SlugsAsync(page.Locator("article.card")));
        await page.ClickAsync("a[rel=next]");
        await PageBrowser.WaitForPageAsync(page, new Regex("page=2"));
        Assert.Equal(["acme"], await SlugsAsync(page.Locator("article.card")));
        Assert.Contains("Page 2 of 2", await page.Locator(".pager").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_listing_with_markup_in_its_fields_Then_the_pages_show_it_as_text_and_run_none_of_it()
    {
        var page = await app.Browser.NewPageAsync(app.Address);
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            dialogs++;
            _ = dialog.DismissAsync();
        };

        await page.GotoAsync("/providers?q=" + Uri.EscapeDataString("not bold"));
        var card = page.Locator("article.card[data-slug=hostile]");
        Assert.Equal(Hostile, await card.Locator("h3").InnerTextAsync());
        Assert.Equal(0, await card.Locator("img, b, script").CountAsync());

        await page.GotoAsync("/providers/hostile");
        Assert.Equal(Hostile, await page.Locator("h1").InnerTextAsync());
        Assert.Equal(0, await page.Locator("main img, main b, main script").CountAsync());
        Assert.Equal(Hostile + " · FluxSuite", await page.TitleAsync());

        Assert.Equal(0, dialogs);
        Assert.Equal("undefined", await page.EvaluateAsync<string>("typeof window.__pwned"));
    }

    [Fact]
    public async Task Given_a_phone_360_px_wide_Then_the_directory_and_a_profile_fit_without_scrolling_sideways()
    {
        var page = await app.Browser.NewPageAsync(app.Address, width: 360, height: 780);

        await page.GotoAsync("/providers");
        Assert.True(await FitsAsync(page), "the directory is wider than 360 px");
        await page.GotoAsync("/providers?type=managed&includeDemo=true");
        Assert.True(await FitsAsync(page), "the filtered directory is wider than 360 px");
        await PageBrowser.ScreenshotAsync(page, "providers-mobile");

        await page.GotoAsync("/providers/acme");
        Assert.True(await FitsAsync(page), "the profile is wider than 360 px");
    }

    [Fact]
    public async Task Given_an_unknown_slug_Then_the_profile_is_a_404_page_in_HTML()
    {
        var client = app.Factory.CreateClient();

        var response = await client.GetAsync("/providers/no-such-provider");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<h1>404 Not Found</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Provider &quot;no-such-provider&quot; not found.", html, StringComparison.Ordinal);
    }

    private static Task<bool> FitsAsync(IPage page) =>
        page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth");

    private static async Task<List<string>> SlugsAsync(ILocator cards)
    {
        var slugs = new List<string>();
        for (var i = 0; i < await cards.CountAsync(); i++)
        {
            slugs.Add((await cards.Nth(i).GetAttributeAsync("data-slug"))!);
        }

        return slugs;
    }
}
