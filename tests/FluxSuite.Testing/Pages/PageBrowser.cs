using Microsoft.Playwright;

namespace FluxSuite.Testing.Pages;

/// <summary>
/// One headless Chromium for a test collection (a launch costs most of a second): Debian's
/// <c>chromium</c>, which <c>scripts/test.sh</c> installs; Playwright's own browser download cannot be reached.
/// Each test takes a fresh context, so cookies never leak from one test to the next.
/// </summary>
public sealed class PageBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;

    private PageBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    public static async Task<PageBrowser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: scripts/test.sh installs Debian's chromium package (apt-get install chromium).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Raster on one thread, in full, in sRGB: the same page then gives the same pixels, so a
            // screenshot in docs/ changes only when its page does.
            Args = ["--num-raster-threads=1", "--disable-partial-raster", "--force-color-profile=srgb", "--disable-lcd-text"],
        });
        return new PageBrowser(playwright, browser);
    }

    /// <summary>A page in a new context (its own cookies) against <paramref name="baseAddress"/>, at a phone's or a desktop's width.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, int width = 1280, int height = 900)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        // Generous: the page tests run beside the rest of the suite on two shared cores, where one page load
        // under a full run's load took longer than 15 s once. A page that is really broken still fails.
        page.SetDefaultTimeout(45_000);
        page.SetDefaultNavigationTimeout(45_000);
        return page;
    }

    /// <summary>
    /// Waits until <paramref name="page"/>'s address matches <paramref name="url"/> and its document has loaded, by polling the
    /// address and <c>document.readyState</c>. Playwright's <c>WaitForURLAsync</c> waits for the frame's "load" event when the
    /// address already matches, as it does once a click has returned (the click waits for the navigation it starts to
    /// commit); in full CI runs that wait saw "networkidle" fire and never "load", and timed out after 45 s, in two page
    /// tests of different modules.
    /// </summary>
    public static async Task WaitForPageAsync(IPage page, System.Text.RegularExpressions.Regex url)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(url);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        while (!url.IsMatch(page.Url))
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The page's address is still {page.Url}, which does not match {url}, after 45 s.");
            }
        }

        await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
    }

    /// <summary>
    /// Saves a full-page screenshot as <c>docs/screenshots/{name}.png</c> of the repository, so the pictures
    /// the README shows are those of the last test run. <paramref name="secrets"/> (keys, tokens: new on
    /// every run) are painted over, so a picture changes only when the page does, and shows no secret.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name, params ILocator[] secrets)
    {
        ArgumentNullException.ThrowIfNull(page);
        var folder = Path.Combine(RepositoryRoot(), "docs", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(folder, name + ".png"),
            FullPage = true,
            Mask = secrets,
            Animations = ScreenshotAnimations.Disabled,
            Caret = ScreenshotCaret.Hide,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FluxSuite.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("FluxSuite.sln not found above " + AppContext.BaseDirectory);
    }
}
