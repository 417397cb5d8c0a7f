using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using FluxSuite.Reseller.Catalog;

namespace FluxSuite.Reseller.Upstream;

/// <summary>
/// The proxy provider that really provisions what resellers buy. Every purchase, extension and
/// upgrade goes through it inside the charging transaction, so a failure charges nothing. The built-in
/// <see cref="SimulatedProxyUpstream"/> stands in until a real adapter is registered in its place;
/// sandbox (test mode) always uses the simulation and never reaches a real provider.
/// </summary>
internal interface IProxyUpstream
{
    Task<ProvisionedAccess> ProvisionAsync(ProvisionOrder order, CancellationToken cancellationToken);

    Task ChangeAsync(PlanChange change, CancellationToken cancellationToken);

    /// <summary>Undoes a provisioning whose purchase did not commit (the charge or the commit failed).</summary>
    Task ReleaseAsync(string reference, CancellationToken cancellationToken);

    /// <summary>The static IPs of a dedicated ISP plan, fresh from the provider.</summary>
    Task<IReadOnlyList<string>> StaticAddressesAsync(string reference, int quantity, CancellationToken cancellationToken);

    /// <summary>The server of a plan bought before servers were tracked here (it is ready: it has been running since).</summary>
    Task<ProvisionedServer> DescribeServerAsync(string reference, Product product, CancellationToken cancellationToken);

    /// <summary>Asks a dedicated mobile device for a new public IP; it takes <see cref="IpRotation.ReadyIn"/> to come up.</summary>
    Task<IpRotation> RotateIpAsync(string reference, string currentIp, CancellationToken cancellationToken);

    /// <summary>Restarts a plan's server; it is down for the time returned.</summary>
    Task<TimeSpan> RestartServerAsync(string reference, CancellationToken cancellationToken);

    /// <summary>The VPN gateway and the plan's keys, from which the module writes OpenVPN and WireGuard profiles.</summary>
    Task<VpnProfile> VpnProfileAsync(string reference, string gatewayHost, CancellationToken cancellationToken);
}

internal sealed record ProvisionOrder(
    Guid PlanId, Mode Mode, Product Product, long? MaxBytes, int? BandwidthMbps, string? Location,
    string? Pool, bool PoolIsSubnet, int? Quantity, DateTimeOffset? ExpiresAt);

/// <summary>
/// What the provider made: its reference, the proxy credentials, a dedicated device's address or static IPs,
/// and for server products (unlimited residential, dedicated mobile) the server, which comes up after a while.
/// </summary>
internal sealed record ProvisionedAccess(
    string Reference, string Username, string Password, string? ServerAddress, IReadOnlyList<string> StaticAddresses,
    ProvisionedServer? Server = null);

/// <summary>A server's public IP and how long until it is ready.</summary>
internal sealed record ProvisionedServer(string Ip, TimeSpan ReadyIn);

/// <summary>A rotation the provider accepted: the new IP, live after <see cref="ReadyIn"/>.</summary>
internal sealed record IpRotation(string NewIp, TimeSpan ReadyIn);

/// <summary>
/// A plan's VPN access: the gateway (OpenVPN port and protocol, its CA and tls-crypt key; the WireGuard port
/// and server key) and the plan's own WireGuard key and tunnel address.
/// </summary>
internal sealed record VpnProfile(
    string Host, int OpenVpnPort, string OpenVpnProtocol, string CaCertificatePem, string TlsCryptKey,
    int WireGuardPort, string WireGuardServerPublicKey, string WireGuardClientPrivateKey, string WireGuardClientAddress,
    IReadOnlyList<string> Dns);

internal sealed record PlanChange(string Reference, Product Product, long? MaxBytes, DateTimeOffset? ExpiresAt, int? BandwidthMbps);

/// <summary>Chooses the provider for a mode: the registered one for live, always the simulation for sandbox.</summary>
internal sealed class UpstreamSelector(IProxyUpstream live, SimulatedProxyUpstream simulated)
{
    public IProxyUpstream For(Mode mode) => mode == Mode.Live ? live : simulated;
}

/// <summary>
/// A provider simulation: random credentials, and addresses from the documentation ranges
/// (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) derived from the reference, so they stay the same
/// for the life of a plan without any state here.
/// </summary>
internal sealed class SimulatedProxyUpstream(SimulationOptions options) : IProxyUpstream
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const string Base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly string[] Networks = ["192.0.2", "198.51.100", "203.0.113"];

    /// <summary>Host numbers 1–254 of each documentation /24.</summary>
    public const int HostsPerNetwork = 254;

    public Task<ProvisionedAccess> ProvisionAsync(ProvisionOrder order, CancellationToken cancellationToken)
    {
        var reference = $"sim-{(order.PoolIsSubnet ? "sn" : "ip")}-{order.PlanId:N}";
        var username = "fp" + RandomNumberGenerator.GetString(Lower, 10);
        var password = RandomNumberGenerator.GetString(Base62, 20);
        string? server = order.Product == Product.DedicatedMobile ? Address(Seed(reference), 0, subnet: true) : null;
        IReadOnlyList<string> addresses = order.Product == Product.DedicatedIsp
            ? Addresses(reference, order.Quantity ?? 0)
            : [];
        var provisioned = order.Product is Product.UnlimitedResidential or Product.DedicatedMobile
            ? new ProvisionedServer(Address(Seed(reference + ":public"), 0, subnet: false), options.ServerProvisioning.Pick())
            : null;
        return Task.FromResult(new ProvisionedAccess(reference, username, password, server, addresses, provisioned));
    }

    public Task<ProvisionedServer> DescribeServerAsync(string reference, Product product, CancellationToken cancellationToken) =>
        Task.FromResult(new ProvisionedServer(Address(Seed(reference + ":public"), 0, subnet: false), TimeSpan.Zero));

    public Task<IpRotation> RotateIpAsync(string reference, string currentIp, CancellationToken cancellationToken)
    {
        string next;
        do
        {
            next = $"{Networks[RandomNumberGenerator.GetInt32(Networks.Length)]}.{RandomNumberGenerator.GetInt32(1, HostsPerNetwork + 1)}";
        }
        while (next == currentIp);

        return Task.FromResult(new IpRotation(next, options.IpRotation.Pick()));
    }

    public Task<TimeSpan> RestartServerAsync(string reference, CancellationToken cancellationToken) =>
        Task.FromResult(options.Restart.Pick());

    /// <summary>One gateway key set per host and one WireGuard key per plan, derived so that every call (and instance) agrees.</summary>
    public Task<VpnProfile> VpnProfileAsync(string reference, string gatewayHost, CancellationToken cancellationToken)
    {
        var clientKey = SHA256.HashData(Encoding.UTF8.GetBytes("sim-wireguard-client:" + reference));
        // A Curve25519 private key is 32 random bytes, clamped.
        clientKey[0] &= 248;
        clientKey[31] &= 127;
        clientKey[31] |= 64;
        var seed = Seed(reference);
        var address = $"10.{64 + (seed % 64)}.{(seed >> 8) % 256}.{((seed >> 16) % 253) + 2}/32";
        var tlsCrypt = new StringBuilder();
        for (var i = 0; i < 8; i++)
        {
            var block = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"sim-tls-crypt:{gatewayHost}:{i}")));
            tlsCrypt.Append(block.AsSpan(0, 32)).Append('\n').Append(block.AsSpan(32, 32)).Append('\n');
        }

        return Task.FromResult(new VpnProfile(
            gatewayHost, 1194, "udp", SimulatedGatewayCa, tlsCrypt.ToString().TrimEnd('\n'),
            51820, Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes("sim-wireguard-server:" + gatewayHost))),
            Convert.ToBase64String(clientKey), address, ["1.1.1.1", "1.0.0.1"]));
    }

    /// <summary>The simulated gateways' CA (a real certificate; no real gateway holds its key).</summary>
    private const string SimulatedGatewayCa = """
        -----BEGIN CERTIFICATE-----
        MIIB5jCCAY2gAwIBAgIUWj2T6gIR4XBbnERNdonbfOcQvgIwCgYIKoZIzj0EAwIw
        QTESMBAGA1UECgwJRmx1eFN1aXRlMSswKQYDVQQDDCJGbHV4U3VpdGUgU2ltdWxh
        dGVkIFZQTiBHYXRld2F5IENBMB4XDTI2MTEyMjAyMjUzMFoXDTM2MTExOTAyMjUz
        MFowQTESMBAGA1UECgwJRmx1eFN1aXRlMSswKQYDVQQDDCJGbHV4U3VpdGUgU2lt
        dWxhdGVkIFZQTiBHYXRld2F5IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
        Is5ixGPI3bOKqU4dWWh3bDgRbAiP0RUJ9+m6KwwmFXpRC07KubDJwB004NL5FDtJ
        YcXdU++4joDeFbu1yAkgQ6NjMGEwHQYDVR0OBBYEFCjyJORVdg88joAFzWpCBaKu
        yhf0MB8GA1UdIwQYMBaAFCjyJORVdg88joAFzWpCBaKuyhf0MA8GA1UdEwEB/wQF
        MAMBAf8wDgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMCA0cAMEQCIGm5sFff8t26
        t9dDDppAZBO/a84buHmU9oKUTnlAExyuAiAevdLgApLtLTi5MjRK92cPAVkifDla
        LMPs5i+fKDyCAg==
        -----END CERTIFICATE-----
        """;

    public Task ChangeAsync(PlanChange change, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ReleaseAsync(string reference, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<string>> StaticAddressesAsync(string reference, int quantity, CancellationToken cancellationToken) =>
        Task.FromResult(Addresses(reference, quantity));

    /// <summary>Subnet pools get consecutive addresses of one /24; ISP pools spread across the three.</summary>
    private static IReadOnlyList<string> Addresses(string reference, int quantity)
    {
        var seed = Seed(reference);
        var subnet = reference.StartsWith("sim-sn-", StringComparison.Ordinal);
        return [.. Enumerable.Range(0, quantity).Select(i => Address(seed, i, subnet))];
    }

    private static string Address(uint seed, int index, bool subnet)
    {
        if (subnet)
        {
            var network = Networks[seed % 3];
            var host = (int)((seed / 3 + (uint)index) % HostsPerNetwork) + 1;
            return $"{network}.{host}";
        }

        // A stride coprime with 762 visits every address once before repeating.
        var slot = (int)((seed + (uint)index * 7u) % (HostsPerNetwork * 3));
        return $"{Networks[slot % 3]}.{(slot / 3) + 1}";
    }

    private static uint Seed(string reference) =>
        BinaryPrimitives.ReadUInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(reference)));
}

/// <summary>How long the simulated provider takes: <c>Reseller:Simulation</c> (tests shorten these).</summary>
internal sealed class SimulationOptions
{
    /// <summary>A new server comes up this long after the purchase (the reference: 30–60 s).</summary>
    public DelayRange ServerProvisioning { get; set; } = new(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60));

    /// <summary>A rotated IP is live this long after the request (the reference: 10–30 s).</summary>
    public DelayRange IpRotation { get; set; } = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30));

    /// <summary>A restarted server is down this long (the reference: 1–3 min).</summary>
    public DelayRange Restart { get; set; } = new(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3));
}

/// <summary>A delay picked at random between <see cref="Min"/> and <see cref="Max"/>, to the second.</summary>
internal sealed class DelayRange
{
    public DelayRange()
    {
    }

    public DelayRange(TimeSpan min, TimeSpan max)
    {
        Min = min;
        Max = max;
    }

    public TimeSpan Min { get; set; }

    public TimeSpan Max { get; set; }

    public TimeSpan Pick()
    {
        var min = (long)Math.Max(0, Min.TotalSeconds);
        var max = (long)Math.Max(min, Max.TotalSeconds);
        return TimeSpan.FromSeconds(min + RandomNumberGenerator.GetInt32((int)Math.Min(int.MaxValue - 1, max - min) + 1));
    }
}
