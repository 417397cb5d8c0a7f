using FluxSuite.BuildingBlocks.Net;
using Microsoft.Extensions.Options;

namespace FluxSuite.Listings.Pull;

/// <summary>
/// Which addresses pull may connect to: the shared outbound guard, configured by
/// <c>Listings:Pull:AllowPrivateNetworks</c> and <c>Listings:Pull:AllowedNetworks</c>.
/// </summary>
internal sealed class PullAddressPolicy(IOptions<ListingsOptions> options)
    : OutboundAddressPolicy(options.Value.Pull.AllowPrivateNetworks, options.Value.Pull.AllowedNetworks);
