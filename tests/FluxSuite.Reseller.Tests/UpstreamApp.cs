using FluxSuite.Reseller.Upstream;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FluxSuite.Reseller.Tests;

/// <summary>The host with a live upstream the tests can hold, fail and count.</summary>
public sealed class UpstreamApp : ResellerApp
{
    internal ControllableUpstream Upstream { get; } = new();

    public CapturedLogs Logs { get; } = new();

    protected override void Configure(FluxSuiteFactory factory) =>
        factory.WithSetting("Serilog:MinimumLevel:Default", "Debug")
            .WithServices(services =>
            {
                services.AddSingleton<IProxyUpstream>(Upstream);
                services.AddSingleton<ILoggerProvider>(Logs);
            });
}

[CollectionDefinition(Name)]
public sealed class UpstreamCollection : ICollectionFixture<UpstreamApp>
{
    public const string Name = "reseller-upstream";
}

/// <summary>The simulation, plus gates that hold calls until a test opens them, failures on demand and counters.</summary>
internal sealed class ControllableUpstream : IProxyUpstream
{
    private readonly SimulatedProxyUpstream _simulation = new(new SimulationOptions());
    private int _provisionCalls;
    private int _proxyCalls;
    private int _releases;

    public int ProvisionCalls => _provisionCalls;

    public int ProxyCalls => _proxyCalls;

    public int Releases => _releases;

    public TaskCompletionSource? ProvisionGate { get; set; }

    public TaskCompletionSource? ProxiesGate { get; set; }

    public bool FailProvisioning { get; set; }

    public bool FailProxies { get; set; }

    public bool FailChanges { get; set; }

    public bool FailServers { get; set; }

    public void Reset()
    {
        _provisionCalls = 0;
        _proxyCalls = 0;
        _releases = 0;
        ProvisionGate = null;
        ProxiesGate = null;
        FailProvisioning = false;
        FailProxies = false;
        FailChanges = false;
        FailServers = false;
    }

    public async Task<ProvisionedAccess> ProvisionAsync(ProvisionOrder order, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _provisionCalls);
        if (FailProvisioning)
        {
            throw new HttpRequestException("upstream said 503");
        }

        if (ProvisionGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        return await _simulation.ProvisionAsync(order, cancellationToken);
    }

    public Task ChangeAsync(PlanChange change, CancellationToken cancellationToken) =>
        FailChanges ? throw new HttpRequestException("upstream said 503") : _simulation.ChangeAsync(change, cancellationToken);

    public Task ReleaseAsync(string reference, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _releases);
        return _simulation.ReleaseAsync(reference, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> StaticAddressesAsync(string reference, int quantity, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _proxyCalls);
        if (FailProxies)
        {
            throw new HttpRequestException("upstream said 503");
        }

        if (ProxiesGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        return await _simulation.StaticAddressesAsync(reference, quantity, cancellationToken);
    }

    public Task<ProvisionedServer> DescribeServerAsync(string reference, Catalog.Product product, CancellationToken cancellationToken) =>
        _simulation.DescribeServerAsync(reference, product, cancellationToken);

    public Task<IpRotation> RotateIpAsync(string reference, string currentIp, CancellationToken cancellationToken) =>
        FailServers ? throw new HttpRequestException("upstream said 503") : _simulation.RotateIpAsync(reference, currentIp, cancellationToken);

    public Task<TimeSpan> RestartServerAsync(string reference, CancellationToken cancellationToken) =>
        FailServers ? throw new HttpRequestException("upstream said 503") : _simulation.RestartServerAsync(reference, cancellationToken);

    public Task<VpnProfile> VpnProfileAsync(string reference, string gatewayHost, CancellationToken cancellationToken) =>
        FailServers ? throw new HttpRequestException("upstream said 503") : _simulation.VpnProfileAsync(reference, gatewayHost, cancellationToken);
}
