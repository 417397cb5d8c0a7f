using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Connections;

/// <summary>
/// <c>GET /proxies/connection-info</c>: for every product, where to connect (the configured endpoints), how to
/// write the username, and the targeting and session syntax of the reference (per pool for pool1–pool5).
/// </summary>
internal static class ProxyConnectionInfo
{
    public const string GeoFormat = "{username}-country-{CC}-state-{STATE}-city-{CITY}-session-{ID}";

    /// <summary>What can be targeted. <c>state</c>: how a state is written (see <c>GET /geo/states</c>); <c>city</c>: when cities need a state.</summary>
    internal sealed record Targeting(
        [property: JsonPropertyName("country")] bool Country,
        [property: JsonPropertyName("state"), AllowedValues("full_name", "us_full_name", "us_prefixed", "two_letter", null)] string? State,
        [property: JsonPropertyName("city"), AllowedValues("yes", "us_needs_state", "non_us_direct_us_needs_state", null)] string? City,
        [property: JsonPropertyName("asn")] bool Asn,
        [property: JsonPropertyName("zip"), AllowedValues("us_only", null)] string? Zip);

    internal sealed record Session(
        [property: JsonPropertyName("syntax")] string Syntax,
        [property: JsonPropertyName("default_duration")] string DefaultDuration,
        [property: JsonPropertyName("max_duration")] string MaxDuration);

    internal sealed record ProductConnection(
        [property: JsonPropertyName("enabled")] bool Enabled,
        [property: JsonPropertyName("hostname")] string? Hostname,
        [property: JsonPropertyName("port_http")] int PortHttp,
        [property: JsonPropertyName("port_socks")] int PortSocks,
        [property: JsonPropertyName("port_range_http")] string? PortRangeHttp,
        [property: JsonPropertyName("port_range_socks")] string? PortRangeSocks,
        [property: JsonPropertyName("username_format")] string UsernameFormat,
        [property: JsonPropertyName("connection_format")] string ConnectionFormat,
        [property: JsonPropertyName("targeting")] Targeting Targeting,
        [property: JsonPropertyName("session")] Session? Session,
        [property: JsonPropertyName("examples")] IReadOnlyList<string> Examples,
        [property: JsonPropertyName("notes")] string? Notes);

    internal sealed record Response(
        [property: JsonPropertyName("geo_format")] string GeoFormat,
        [property: JsonPropertyName("products")] IReadOnlyDictionary<string, ProductConnection> Products);

    private sealed record Rules(Targeting Targeting, Session? Session, string Tail, string[] Examples, string? Notes = null);

    private static readonly Targeting CountryOnly = new(true, null, null, false, null);
    private static readonly Session Sticky = new("-session-{ID}", "provider default", "provider default");
    private static readonly Session TimedSession = new("-session-{ID}-time-{SECONDS}", "1 hour", string.Empty);

    private static Rules For(Product product) => product switch
    {
        Product.Residential => new(new(true, "full_name", "yes", false, null), Sticky, "[-country-{CC}[-state-{STATE}][-city-{CITY}]][-session-{ID}]",
            ["user123-country-us", "user123-country-us-state-california", "user123-country-us-state-california-city-losangeles", "user123-country-us-session-abc123"]),
        Product.Mobile => new(new(true, "full_name", "yes", true, null), Sticky, "[-country-{CC}[-state-{STATE}][-city-{CITY}][-asn-{ASN}]][-session-{ID}]",
            ["user123-country-us", "user123-country-us-state-california", "user-country-US-asn-7922", "user123-country-us-session-abc123"]),
        Product.ResidentialLite or Product.Datacenter or Product.SharedIsp or Product.Ipv6Datacenter => new(CountryOnly, Sticky,
            "[-country-{CC}][-session-{ID}]", ["user123-country-us", "user123-country-de-session-abc123"]),
        Product.Ipv6Residential => new(CountryOnly, Sticky, "[-country-{CC}][-session-{ID}]",
            ["user123-package-ipv6-country-us", "user123-package-ipv6-country-us-session-abc123"]),
        Product.Pool1 => new(new(true, "us_full_name", "us_needs_state", true, null),
            new("-session-{ID}-time-short|long", "short (a random device of the whole pool)", "24 hours (time-long: a reliable device)"),
            "[-country-{CC}[-state-{STATE}[-city-{CITY}]][-asn-{ASN}]][-session-{ID}[-time-short|-time-long]]",
            ["user-package-pool1-country-us-session-abc-time-long", "user-package-pool1-country-us-session-abc123-time-short"]),
        Product.Pool2 => new(new(true, "full_name", "yes", false, null), TimedSession with { MaxDuration = "7 days" },
            "[-country-{CC}[-state-{STATE}][-city-{CITY}]][-session-{ID}[-time-{SECONDS}]]",
            ["user-package-pool2-country-de-city-berlin", "user-package-pool2-country-us-session-abc123-time-600"]),
        Product.Pool3 => new(new(true, "us_prefixed", "yes", true, "us_only"), TimedSession with { MaxDuration = "24 hours" },
            "[-country-{CC}[-state-{STATE}][-city-{CITY}][-zip-{ZIP}][-asn-{ASN}]][-session-{ID}[-time-{SECONDS}]]",
            ["user-package-pool3-country-us-zip-10001", "user-package-pool3-country-us-state-us_california", "user-package-pool3-country-us-session-abc123-time-1800"]),
        Product.Pool4 => new(new(true, "two_letter", "yes", true, null), new("-session-{ID}", "about 10 minutes", "about 10 minutes (no duration control)"),
            "[-country-{CC}[-state-{STATE}][-city-{CITY}][-asn-{ASN}]][-session-{ID}]",
            ["user-package-pool4-country-us-state-ca", "user-package-pool4-country-us-session-abc123"]),
        Product.Pool5 => new(new(true, "us_full_name", "non_us_direct_us_needs_state", false, null), TimedSession with { MaxDuration = "2 hours" },
            "[-country-{CC}[-state-{STATE}][-city-{CITY}]][-session-{ID}[-time-{SECONDS}]]",
            ["user-package-pool5-country-gb-city-london", "user-package-pool5-country-us-state-california-city-losangeles"]),
        Product.UnlimitedResidential => new(new(true, null, null, false, null), new("-session-{ID}-sessTime-{MINUTES}-sessAuto-1", "provider default", "provider default"),
            "[-region-{CC}][-session-{ID}-sessTime-{MIN}-sessAuto-1]",
            ["user123-zone-custom", "user123-zone-custom-region-US", "user123-zone-custom-region-US-session-abc123-sessTime-30-sessAuto-1"],
            "Targeting uses -region-{CC}. GET /servers/{planId}/ip shows the server's own address once it is provisioned."),
        Product.DedicatedMobile => new(new(false, null, null, false, null), null, string.Empty, [],
            "Connect to the plan's own device: connection.hostname of GET /plans/{planId}. POST /servers/{planId}/rotate-ip or an IP reset link gives it a new public IP."),
        _ => new(new(false, null, null, false, null), null, string.Empty, [],
            "Each plan has its own static IPs: GET /plans/{planId}/proxies lists them with their credentials."),
    };

    /// <summary>What a product can target, as <c>GET /geo/…</c> answers it.</summary>
    public static Targeting TargetingFor(Product product) => For(product).Targeting;

    public static async Task<ApiOk<Envelope<Response>>> Handle(
        ResellerCaller caller, ResellerDbContext db, IOptions<ResellerOptions> options, CancellationToken cancellationToken)
    {
        var disabled = await db.ProductSettings.AsNoTracking()
            .Where(s => s.ResellerId == caller.ResellerId && !s.Enabled).Select(s => s.Product).ToListAsync(cancellationToken);
        var products = Products.All.ToDictionary(p => p.WireName(), p =>
        {
            var endpoint = options.Value.ConnectionFor(p);
            var rules = For(p);
            var dedicated = p is Product.DedicatedMobile or Product.DedicatedIsp;
            var host = dedicated ? "{plan hostname}" : endpoint.Hostname;
            var pooled = p is >= Product.Pool1 and <= Product.Pool5;
            return new ProductConnection(
                !disabled.Contains(p),
                dedicated ? null : endpoint.Hostname,
                endpoint.HttpPort,
                endpoint.SocksPort,
                pooled ? $"{endpoint.HttpPort}-{endpoint.HttpPort + 9}" : null,
                pooled ? $"{endpoint.SocksPort}-{endpoint.SocksPort + 9}" : null,
                "{username}" + endpoint.UsernameSuffix + rules.Tail,
                $"USERNAME{endpoint.UsernameSuffix}:PASSWORD@{host}:{endpoint.HttpPort}",
                rules.Targeting,
                rules.Session,
                rules.Examples,
                rules.Notes ?? (pooled ? "Ports " + endpoint.HttpPort + "–" + (endpoint.HttpPort + 9) + " (HTTP) and " + endpoint.SocksPort + "–" + (endpoint.SocksPort + 9)
                    + " (SOCKS5) are identical; spread connections over them." : null));
        });
        return ApiResults.Ok(Envelope.Of(new Response(GeoFormat, products)));
    }
}
