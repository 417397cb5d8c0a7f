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

    /// <summary>Settings or services this collection needs; override to add them.</summary>
    protected virtual void Configure(FluxSuiteFactory factory)
    {
    }

    public async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        Factory = new FluxSuiteFactory(Database.ConnectionString);
        Configure(Factory);
        // Resolving services builds and starts the host, which applies the migrations.
        _ = Factory.Services;
    }

    public async ValueTask DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public HttpClient CreateClient() => Factory.CreateClient();

    public HttpClient CreateAdminClient() => Factory.CreateAdminClient();
}
