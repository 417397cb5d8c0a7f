using System.Net;
using System.Net.Sockets;

namespace FluxSuite.BuildingBlocks.Net;

/// <summary>
/// Which addresses an outgoing request to a URL a user gave (a listing's pull source, a webhook endpoint)
/// may connect to. Such a URL is not trusted: without this, it (or a redirect, or a DNS answer that changes
/// between check and connect) could make the server fetch from its own network or a cloud metadata
/// endpoint. The check runs on the address actually being connected to (see <see cref="GuardedConnector"/>).
/// </summary>
public class OutboundAddressPolicy
{
    private static readonly IPAddress[] MetadataAddresses =
    [
        IPAddress.Parse("169.254.169.254"), // AWS, GCP, Azure, OpenStack, DigitalOcean
        IPAddress.Parse("169.254.170.2"), // AWS ECS task metadata
        IPAddress.Parse("100.100.100.200"), // Alibaba Cloud
        IPAddress.Parse("fd00:ec2::254"), // AWS over IPv6
    ];

    private static readonly (IPNetwork Network, string What)[] Refused =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "an unspecified address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a shared (carrier-grade NAT) address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address"),
        (IPNetwork.Parse("192.0.0.0/24"), "an IETF protocol address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address"),
        (IPNetwork.Parse("198.18.0.0/15"), "a benchmarking address"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved address"),
        (IPNetwork.Parse("::/128"), "an unspecified address"),
        (IPNetwork.Parse("::1/128"), "a loopback address"),
        (IPNetwork.Parse("fc00::/7"), "a private (unique local) address"),
        (IPNetwork.Parse("fe80::/10"), "a link-local address"),
        (IPNetwork.Parse("fec0::/10"), "a site-local address"),
        (IPNetwork.Parse("ff00::/8"), "a multicast address"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork IPv4Compatible = IPNetwork.Parse("::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private readonly bool _allowAll;
    private readonly IPNetwork[] _allowed;

    /// <param name="allowPrivateNetworks">Allows every address (tests reaching their loopback servers).</param>
    /// <param name="allowedNetworks">Networks in CIDR notation allowed although private (a partner on a private link).</param>
    public OutboundAddressPolicy(bool allowPrivateNetworks, IEnumerable<string> allowedNetworks)
    {
        ArgumentNullException.ThrowIfNull(allowedNetworks);
        _allowAll = allowPrivateNetworks;
        _allowed = [.. allowedNetworks.Select(IPNetwork.Parse)];
    }

    /// <summary>True when every address is allowed (<c>AllowPrivateNetworks</c>).</summary>
    public bool AllowsAll => _allowAll;

    /// <summary>Null when a request may connect to <paramref name="address"/>; otherwise what kind of address it is.</summary>
    public string? Refusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_allowAll || _allowed.Any(n => n.Contains(address) || (address.IsIPv4MappedToIPv6 && n.Contains(address.MapToIPv4()))))
        {
            return null;
        }

        return Classify(address);
    }

    /// <summary>What is wrong with an address for an outbound request, or null for an ordinary public address.</summary>
    public static string? Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (MetadataAddresses.Contains(address))
        {
            return "a cloud metadata address";
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedIPv4(address) is { } embedded)
        {
            return Classify(embedded);
        }

        foreach (var (network, what) in Refused)
        {
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
            {
                return what;
            }
        }

        return address.Equals(IPAddress.Broadcast) ? "a broadcast address" : null;
    }

    /// <summary>True when every entry is a network in CIDR notation (for options validation).</summary>
    public static bool AreNetworks(IEnumerable<string> networks) => networks.All(n => IPNetwork.TryParse(n, out _));

    /// <summary>The IPv4 address inside a NAT64 (64:ff9b::/96), 6to4 (2002::/16) or IPv4-compatible (::/96) address.</summary>
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address)
            || (IPv4Compatible.Contains(address) && !IPAddress.IPv6Any.Equals(address) && !IPAddress.IPv6Loopback.Equals(address)))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return SixToFour.Contains(address) ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }
}

/// <summary>Thrown at connect time when every address a host resolves to is one the policy refuses.</summary>
public sealed class AddressRefusedException(string message) : Exception(message);

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of a guarded client: resolves the host itself,
/// drops the addresses the policy refuses and connects to one of the rest — so the address checked is
/// the address connected to, whatever DNS answers later.
/// </summary>
/// <param name="policy">What may be reached.</param>
/// <param name="who">Who connects, for the refusal's message ("Pull", "A webhook").</param>
public sealed class GuardedConnector(OutboundAddressPolicy policy, string who)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var refusals = new List<string>();
        SocketException? lastFailure = null;
        foreach (var address in addresses)
        {
            if (policy.Refusal(address) is { } what)
            {
                refusals.Add($"{address} is {what}");
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastFailure = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        if (lastFailure is not null)
        {
            throw lastFailure;
        }

        throw new AddressRefusedException(
            $"refused to connect to {host}: {string.Join("; ", refusals)}. {who} may not reach loopback, private, link-local, multicast or cloud metadata addresses.");
    }

    /// <summary>The refusal inside a failed request, if that is why it failed.</summary>
    public static AddressRefusedException? RefusalIn(Exception exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is AddressRefusedException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
