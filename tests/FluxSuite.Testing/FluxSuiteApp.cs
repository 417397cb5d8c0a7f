using FluxSuite.Testing.Pages;

namespace FluxSuite.Testing;

/// <summary>
/// A collection fixture: one fresh database and one host on it, shared by the tests of a collection
/// (which run one after another), dropped at the end.
/// </summary>
public class FluxSuiteApp : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public FluxSuiteFactory Factory { get; private set; } = null!;

    public ManualTimeProvider Clock => Factory.Clock;

    /// <summary>The collection's headless Chromium, when <see cref="UsesBrowser"/>.</summary>
    public PageBrowser Browser => _browser ?? throw new InvalidOperationException("This collection's app does not use a browser: override UsesBrowser.");

    /// <summary>Where the host listens for the browser, when <see cref="UsesBrowser"/>.</summary>
    public Uri Address => Factory.ServerAddress;

    /// <summary>
    /// True for collections whose tests drive pages in a browser: the host then serves on a real loopback
    /// port, and one Chromium is launched for the whole collection.
    /// </summary>
    protected virtual bool UsesBrowser => false;

    private PageBrowser? _browser;

    /// <summary>Settings or services this collection needs; override to add them.</summary>
    protected virtual void Configure(FluxSuiteFactory factory)
    {
    }

    public async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        Factory = new FluxSuiteFactory(Database.ConnectionString);
        if (UsesBrowser)
        {
            Factory.WithRealServer();
        }

        Configure(Factory);
        // Resolving services builds and starts the host, which applies the migrations.
        _ = Factory.Services;
        if (UsesBrowser)
        {
            _browser = await PageBrowser.LaunchAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        await Factory.DisposeAsync();
        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public HttpClient CreateClient() => Factory.CreateClient();

    public HttpClient CreateAdminClient() => Factory.CreateAdminClient();
}
