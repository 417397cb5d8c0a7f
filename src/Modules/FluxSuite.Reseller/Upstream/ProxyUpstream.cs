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
}

internal sealed record ProvisionOrder(
    Guid PlanId, Mode Mode, Product Product, long? MaxBytes, int? BandwidthMbps, string? Location,
    string? Pool, bool PoolIsSubnet, int? Quantity, DateTimeOffset? ExpiresAt);

/// <summary>What the provider made: its reference, the proxy credentials, and a server IP or static IPs when dedicated.</summary>
internal sealed record ProvisionedAccess(string Reference, string Username, string Password, string? ServerAddress, IReadOnlyList<string> StaticAddresses);

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
internal sealed class SimulatedProxyUpstream : IProxyUpstream
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
        return Task.FromResult(new ProvisionedAccess(reference, username, password, server, addresses));
    }

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
