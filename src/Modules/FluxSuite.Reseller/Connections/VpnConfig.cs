using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Servers;
using FluxSuite.Reseller.Upstream;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Connections;

/// <summary>
/// <c>GET /proxies/{planId}/vpn-config?format=ovpn|wireguard</c> (default ovpn): a complete client profile for an
/// active plan, to save as the file named in <c>filename</c>. OpenVPN signs in with the plan's proxy credentials
/// (inline, OpenVPN 2.6+), so targeting in the username works as it does for the proxy; WireGuard uses the plan's own key.
/// </summary>
internal static class VpnConfig
{
    internal sealed record Response(
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("product")] string Product,
        [property: JsonPropertyName("format"), AllowedValues("ovpn", "wireguard")] string Format,
        [property: JsonPropertyName("filename")] string Filename,
        [property: JsonPropertyName("content_type")] string ContentType,
        [property: JsonPropertyName("config")] string Config);

    public static async Task<ApiOk<Envelope<Response>>> Handle(
        ResellerCaller caller, Guid planId, ResellerDbContext db, UpstreamSelector upstreams, TimeProvider clock, IOptions<ResellerOptions> options,
        [FromQuery] string? format, CancellationToken cancellationToken)
    {
        format ??= "ovpn";
        if (format is not ("ovpn" or "wireguard"))
        {
            throw new ApiErrorException(ApiError.InvalidField("format", "must be ovpn or wireguard."));
        }

        var plan = await ReadPlans.OwnedAsync(db, caller, planId);
        var now = clock.GetUtcNow();
        if (PlanQueries.StatusAt(plan, now) != PlanStatus.Active)
        {
            throw new ApiErrorException(ApiError.InvalidField("plan_id", $"the plan is {PlanQueries.StatusAt(plan, now)}; VPN profiles are for active plans."));
        }

        var endpoint = options.Value.ConnectionFor(plan.Product);
        var profile = await ServerStates.CallAsync(() => upstreams.For(plan.Mode).VpnProfileAsync(plan.UpstreamReference, plan.Hostname, cancellationToken));
        var name = $"fluxsuite-{plan.Product.WireName()}-{plan.Id.ToString("N")[..8]}";
        return ApiResults.Ok(Envelope.Of(format == "ovpn"
            ? new Response(plan.Id, plan.Product.WireName(), format, name + ".ovpn", "application/x-openvpn-profile",
                OpenVpn(plan, plan.ProxyUsername + endpoint.UsernameSuffix, profile))
            : new Response(plan.Id, plan.Product.WireName(), format, name + ".conf", "text/plain", WireGuard(plan, profile))));
    }

    public static string OpenVpn(Plan plan, string username, VpnProfile profile)
    {
        var text = new StringBuilder();
        text.Append("# FluxSuite OpenVPN profile: plan ").Append(plan.Id).Append(" (").Append(plan.Product.WireName()).Append(")\n")
            .Append("# Requires OpenVPN 2.6 or later (inline credentials).\n")
            .Append("client\ndev tun\nproto ").Append(profile.OpenVpnProtocol).Append('\n')
            .Append("remote ").Append(profile.Host).Append(' ').Append(profile.OpenVpnPort).Append('\n')
            .Append("resolv-retry infinite\nnobind\npersist-key\npersist-tun\nremote-cert-tls server\n")
            .Append("data-ciphers AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\nauth SHA256\nverb 3\n")
            .Append("<auth-user-pass>\n").Append(username).Append('\n').Append(plan.ProxyPassword).Append("\n</auth-user-pass>\n")
            .Append("<ca>\n").Append(profile.CaCertificatePem.Trim()).Append("\n</ca>\n")
            .Append("<tls-crypt>\n-----BEGIN OpenVPN Static key V1-----\n").Append(profile.TlsCryptKey.Trim())
            .Append("\n-----END OpenVPN Static key V1-----\n</tls-crypt>\n");
        return text.ToString();
    }

    public static string WireGuard(Plan plan, VpnProfile profile) =>
        $"""
        # FluxSuite WireGuard profile: plan {plan.Id} ({plan.Product.WireName()})
        [Interface]
        PrivateKey = {profile.WireGuardClientPrivateKey}
        Address = {profile.WireGuardClientAddress}
        DNS = {string.Join(", ", profile.Dns)}

        [Peer]
        PublicKey = {profile.WireGuardServerPublicKey}
        AllowedIPs = 0.0.0.0/0, ::/0
        Endpoint = {profile.Host}:{profile.WireGuardPort}
        PersistentKeepalive = 25

        """.ReplaceLineEndings("\n");
}
