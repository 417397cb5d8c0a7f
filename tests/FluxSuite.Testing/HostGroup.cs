namespace FluxSuite.Testing;

/// <summary>
/// Several hosts on one fresh database that a test owns (instances of one deployment): the hosts are
/// stopped and the database dropped when the test is done.
/// </summary>
public sealed class HostGroup : IAsyncLifetime
{
    private readonly List<FluxSuiteFactory> _hosts = [];

    public TestDatabase Database { get; } = new();

    public IReadOnlyList<FluxSuiteFactory> Hosts => _hosts;

    /// <summary>A new host on the group's database, configured by <paramref name="configure"/>; resolving its services starts it.</summary>
    public FluxSuiteFactory Add(Func<FluxSuiteFactory, FluxSuiteFactory>? configure = null)
    {
        var host = new FluxSuiteFactory(Database.ConnectionString);
        host = configure?.Invoke(host) ?? host;
        _hosts.Add(host);
        return host;
    }

    /// <summary>Stops a host of the group (as an instance shutting down); the others go on.</summary>
    public async Task StopAsync(FluxSuiteFactory host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _hosts.Remove(host);
        await host.DisposeAsync();
    }

    public ValueTask InitializeAsync() => Database.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        _hosts.Clear();
        await Database.DisposeAsync();
    }
}
