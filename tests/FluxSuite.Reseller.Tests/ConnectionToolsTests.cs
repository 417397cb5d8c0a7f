using System.Net;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Reseller.Tests;

/// <summary>Connection info, VPN profiles and IP reset links.</summary>
[Collection(ResellerCollection.Name)]
public sealed class ConnectionToolsTests(ResellerApp app) : IAsyncLifetime
{
    private TestReseller _reseller = null!;

    public async ValueTask InitializeAsync()
    {
        await app.ResetAsync();
        _reseller = await app.CreateFundedResellerAsync(1_000_000);
        await app.SetDedicatedMobileStockAsync(nl: 3, uk: 3);
        await app.SetDedicatedMobileStockAsync(nl: 3, uk: 3, mode: "test");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_connection_info_Then_every_product_has_its_endpoint_username_format_and_targeting(string mode)
    {
        var disabled = await app.CreateAdminClient().PutAsync($"/admin/resellers/{_reseller.Id}/products/mobile", JsonHttp.RequestBody("""{"enabled":false}"""));
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);

        var info = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/proxies/connection-info"));

        Assert.Equal("{username}-country-{CC}-state-{STATE}-city-{CITY}-session-{ID}", info.GetProperty("geo_format").GetString());
        var products = info.GetProperty("products");
        Assert.Equal(15, products.EnumerateObject().Count());
        var lite = products.GetProperty("residential-lite");
        Assert.Equal(("lite.proxyserver.bot", 6969, 9696), (lite.GetProperty("hostname").GetString(), lite.GetProperty("port_http").GetInt32(), lite.GetProperty("port_socks").GetInt32()));
        Assert.False(products.GetProperty("mobile").GetProperty("enabled").GetBoolean());
        Assert.True(products.GetProperty("mobile").GetProperty("targeting").GetProperty("asn").GetBoolean());
        var pool1 = products.GetProperty("pool1");
        Assert.Equal(("10000-10009", "11000-11009"), (pool1.GetProperty("port_range_http").GetString(), pool1.GetProperty("port_range_socks").GetString()));
        Assert.Equal("USERNAME-package-pool1:PASSWORD@v3-resi-us.proxyserver.bot:10000", pool1.GetProperty("connection_format").GetString());
        Assert.Equal("-session-{ID}-time-short|long", pool1.GetProperty("session").GetProperty("syntax").GetString());
        Assert.Contains("user-package-pool1-country-us-session-abc-time-long", pool1.GetProperty("examples").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("us_prefixed", products.GetProperty("pool3").GetProperty("targeting").GetProperty("state").GetString());
        Assert.Equal("us_only", products.GetProperty("pool3").GetProperty("targeting").GetProperty("zip").GetString());
        Assert.Equal("two_letter", products.GetProperty("pool4").GetProperty("targeting").GetProperty("state").GetString());
        Assert.Equal("7 days", products.GetProperty("pool2").GetProperty("session").GetProperty("max_duration").GetString());
        Assert.Equal("{username}-zone-custom[-region-{CC}][-session-{ID}-sessTime-{MIN}-sessAuto-1]",
            products.GetProperty("unlimited_residential").GetProperty("username_format").GetString());
        Assert.Equal(JsonValueKind.Null, products.GetProperty("dedicated_mobile").GetProperty("hostname").ValueKind);
        Assert.Equal("USERNAME-package-ipv6:PASSWORD@v3-v6-resi.proxyserver.bot:30", products.GetProperty("ipv6-residential").GetProperty("connection_format").GetString());
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_a_plan_Then_the_ovpn_profile_is_complete_with_its_gateway_credentials_ca_and_tls_crypt_key(string mode)
    {
        var plan = await app.BuyAsync(_reseller, new { product = "pool3", bandwidth_gb = 1 }, mode);
        var view = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/plans/{plan}"));

        var profile = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/proxies/{plan}/vpn-config?format=ovpn"));
        var defaulted = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/proxies/{plan}/vpn-config"));

        var config = profile.GetProperty("config").GetString()!;
        Assert.Equal(("ovpn", "application/x-openvpn-profile"), (profile.GetProperty("format").GetString(), profile.GetProperty("content_type").GetString()));
        Assert.EndsWith(".ovpn", profile.GetProperty("filename").GetString(), StringComparison.Ordinal);
        Assert.Equal(config, defaulted.GetProperty("config").GetString());
        var lines = config.Split('\n');
        Assert.Contains("client", lines);
        Assert.Contains("dev tun", lines);
        Assert.Contains("remote v3-resi-us.proxyserver.bot 1194", lines);
        Assert.Contains("remote-cert-tls server", lines);
        Assert.Contains(view.GetProperty("proxy_username").GetString() + "-package-pool3", lines);
        Assert.Contains(view.GetProperty("proxy_password").GetString(), lines);
        var ca = Between(config, "<ca>\n", "\n</ca>");
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(ca);
        Assert.Contains("FluxSuite", certificate.Subject, StringComparison.Ordinal);
        var key = Between(config, "-----BEGIN OpenVPN Static key V1-----\n", "\n-----END OpenVPN Static key V1-----").Split('\n');
        Assert.Equal(16, key.Length);
        Assert.All(key, line => Assert.Matches("^[0-9a-f]{32}$", line));
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_a_plan_Then_the_wireguard_profile_is_complete_and_the_same_on_every_call(string mode)
    {
        var plan = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1 }, mode);

        var first = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/proxies/{plan}/vpn-config?format=wireguard"));
        var second = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/proxies/{plan}/vpn-config?format=wireguard"));

        var config = first.GetProperty("config").GetString()!;
        Assert.Equal(config, second.GetProperty("config").GetString());
        Assert.Equal(("wireguard", "text/plain"), (first.GetProperty("format").GetString(), first.GetProperty("content_type").GetString()));
        Assert.EndsWith(".conf", first.GetProperty("filename").GetString(), StringComparison.Ordinal);
        Assert.Matches(@"\[Interface\]\nPrivateKey = [A-Za-z0-9+/]{43}=\nAddress = 10\.\d+\.\d+\.\d+/32\nDNS = 1\.1\.1\.1, 1\.0\.0\.1\n", config);
        Assert.Matches(@"\[Peer\]\nPublicKey = [A-Za-z0-9+/]{43}=\nAllowedIPs = 0\.0\.0\.0/0, ::/0\nEndpoint = geo\.proxyserver\.bot:51820\nPersistentKeepalive = 25\n", config);
        var privateKey = Convert.FromBase64String(System.Text.RegularExpressions.Regex.Match(config, "PrivateKey = (.+)").Groups[1].Value);
        Assert.Equal((32, 0, 64), (privateKey.Length, privateKey[0] & 7, privateKey[31] & 0xC0));
    }

    [Theory]
    [InlineData("live", "test")]
    [InlineData("test", "live")]
    public async Task Given_a_bad_format_an_expired_plan_or_an_unknown_plan_Then_vpn_config_is_400_400_and_404(string mode, string otherMode)
    {
        var plan = await app.BuyAsync(_reseller, new { product = "datacenter", billing_type = "time", duration = "1_hour", mbps = 10 }, mode);
        var otherModes = await app.BuyAsync(_reseller, new { product = "residential", bandwidth_gb = 1 }, otherMode);
        var client = _reseller.Client(mode);
        var format = await client.GetAsync($"{TestReseller.Base(mode)}/proxies/{plan}/vpn-config?format=ipsec");
        var upperCase = await client.GetAsync($"{TestReseller.Base(mode)}/proxies/{plan}/vpn-config?format=OVPN");
        app.Clock.Advance(TimeSpan.FromHours(2));

        await Api.ValidationErrorAsync(format, "format");
        await Api.ValidationErrorAsync(upperCase, "format");
        await Api.ValidationErrorAsync(await client.GetAsync($"{TestReseller.Base(mode)}/proxies/{plan}/vpn-config"), "plan_id");
        await Api.ErrorAsync(await client.GetAsync($"{TestReseller.Base(mode)}/proxies/{Guid.NewGuid()}/vpn-config"), HttpStatusCode.NotFound, "NOT_FOUND");
        await Api.ErrorAsync(await client.GetAsync($"{TestReseller.Base(mode)}/proxies/{otherModes}/vpn-config"), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_an_ip_reset_link_Then_calling_it_without_a_key_rotates_the_ip_with_the_rotation_limits(string mode)
    {
        var plan = await ReadyMobile(mode);
        var before = (await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/servers/{plan}/ip"))).GetProperty("ip").GetString();

        var link = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/proxies/{plan}/ip-reset-link"));
        var url = new Uri(link.GetProperty("url").GetString()!);
        var anonymous = app.CreateClient();
        var first = await anonymous.GetAsync(url.PathAndQuery);
        var tooSoon = await anonymous.PostAsync(url.PathAndQuery, null);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var later = await anonymous.PostAsync(url.PathAndQuery, null);

        Assert.StartsWith($"{TestReseller.Base(mode)}/proxies/{plan}/ip-reset?expires=", url.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(24 * 3600, link.GetProperty("expires_in").GetInt64());
        var rotation = await Api.DataAsync(first);
        Assert.Equal(("rotating", before), (rotation.GetProperty("status").GetString(), rotation.GetProperty("current_ip").GetString()));
        await Api.ErrorAsync(tooSoon, HttpStatusCode.BadRequest, "ROTATION_TOO_FREQUENT");
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        var after = await Api.DataAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/servers/{plan}/ip"));
        Assert.NotEqual(before, after.GetProperty("ip").GetString());
        Assert.Equal(2, await app.Database.ScalarAsync<long>("SELECT count(*) FROM reseller.server_events WHERE plan_id = @p AND source = 'link'", ("p", plan)));
    }

    [Fact]
    public async Task Given_a_tampered_expired_or_other_modes_link_Then_401_and_nothing_rotates()
    {
        var plan = await ReadyMobile("live");
        var link = await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/proxies/{plan}/ip-reset-link?expires_in=120"));
        var pathAndQuery = new Uri(link.GetProperty("url").GetString()!).PathAndQuery;
        var anonymous = app.CreateClient();
        var expires = link.GetProperty("expires_at").GetDateTime();

        var tampered = await anonymous.GetAsync(pathAndQuery.Replace("signature=", "signature=x", StringComparison.Ordinal));
        var longer = await anonymous.GetAsync(pathAndQuery.Replace($"expires={new DateTimeOffset(expires).ToUnixTimeSeconds()}", $"expires={new DateTimeOffset(expires).ToUnixTimeSeconds() + 3600}", StringComparison.Ordinal));
        var sandbox = await anonymous.GetAsync("/sandbox" + pathAndQuery);
        var bare = await anonymous.GetAsync($"/api/v1/proxies/{plan}/ip-reset");
        app.Clock.Advance(TimeSpan.FromSeconds(121));
        var expired = await anonymous.GetAsync(pathAndQuery);

        Assert.Equal(120, link.GetProperty("expires_in").GetInt64());
        foreach (var response in new[] { tampered, longer, sandbox, bare, expired })
        {
            await Api.ErrorAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }

        Assert.Equal(0, await app.Database.ScalarAsync<long>("SELECT count(*) FROM reseller.server_events WHERE plan_id = @p", ("p", plan)));
    }

    [Fact]
    public async Task Given_a_suspended_reseller_Then_its_reset_links_are_403()
    {
        var plan = await ReadyMobile("live");
        var link = await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/proxies/{plan}/ip-reset-link"));
        await app.CreateAdminClient().PutAsync($"/admin/resellers/{_reseller.Id}/status", JsonHttp.RequestBody("""{"status":"suspended"}"""));

        var response = await app.CreateClient().GetAsync(new Uri(link.GetProperty("url").GetString()!).PathAndQuery);

        await Api.ErrorAsync(response, HttpStatusCode.Forbidden, "FORBIDDEN");
    }

    [Fact]
    public async Task Given_a_link_for_a_plan_ending_sooner_than_the_lifetime_Then_it_expires_with_the_plan()
    {
        var plan = await ReadyMobile("live");
        app.Clock.Advance(TimeSpan.FromDays(6.5));

        var link = await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/proxies/{plan}/ip-reset-link"));

        var planExpiry = (await Api.DataAsync(await _reseller.Live().GetAsync($"/api/v1/plans/{plan}"))).GetProperty("expires_at").GetDateTime();
        Assert.Equal(planExpiry, link.GetProperty("expires_at").GetDateTime());
    }

    [Theory]
    [InlineData("expires_in=59", "expires_in")]
    [InlineData("expires_in=2592001", "expires_in")]
    [InlineData("expires_in=soon", "expires_in")]
    public async Task Given_a_bad_lifetime_Then_400(string query, string field)
    {
        foreach (var mode in new[] { "live", "test" })
        {
            var plan = await ReadyMobile(mode);

            await Api.ValidationErrorAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/proxies/{plan}/ip-reset-link?{query}"), field);
        }
    }

    [Theory]
    [InlineData("residential")]
    [InlineData("unlimited_residential")]
    public async Task Given_a_plan_that_is_not_dedicated_mobile_Then_no_reset_link_400(string product)
    {
        foreach (var mode in new[] { "live", "test" })
        {
            var plan = await app.BuyAsync(_reseller, product == "residential"
                ? new { product, bandwidth_gb = 1 }
                : (object)new { product, duration = "1_day", bandwidth_mbps = 200 }, mode);

            await Api.ValidationErrorAsync(await _reseller.Client(mode).GetAsync($"{TestReseller.Base(mode)}/proxies/{plan}/ip-reset-link"), "plan_id");
        }
    }

    [Theory]
    [InlineData("live", "test")]
    [InlineData("test", "live")]
    public async Task Given_an_unknown_plan_the_other_modes_or_an_expired_one_Then_no_reset_link_404_404_400(string mode, string otherMode)
    {
        var otherModes = await ReadyMobile(otherMode);
        var expired = await ReadyMobile(mode);
        app.Clock.Advance(TimeSpan.FromDays(8));
        var client = _reseller.Client(mode);

        await Api.ErrorAsync(await client.GetAsync($"{TestReseller.Base(mode)}/proxies/{Guid.NewGuid()}/ip-reset-link"), HttpStatusCode.NotFound, "NOT_FOUND");
        await Api.ErrorAsync(await client.GetAsync($"{TestReseller.Base(mode)}/proxies/{otherModes}/ip-reset-link"), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Contains("expired", await Api.ValidationErrorAsync(await client.GetAsync($"{TestReseller.Base(mode)}/proxies/{expired}/ip-reset-link"), "plan_id"),
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("live")]
    [InlineData("test")]
    public async Task Given_the_plans_sub_user_is_suspended_Then_its_reset_link_is_403_until_it_is_reactivated(string mode)
    {
        var client = _reseller.Client(mode);
        var subUser = (await Api.DataAsync(await client.PostJsonAsync($"{TestReseller.Base(mode)}/sub-users", new { name = "Jane" }))).GetProperty("id").GetGuid();
        var plan = await app.BuyAsync(_reseller, new { product = "dedicated_mobile", duration = "7_days", location = "NL", sub_user_id = subUser }, mode);
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        var link = new Uri((await Api.DataAsync(await client.GetAsync($"{TestReseller.Base(mode)}/proxies/{plan}/ip-reset-link"))).GetProperty("url").GetString()!);
        await client.PatchAsync($"{TestReseller.Base(mode)}/sub-users/{subUser}", JsonHttp.RequestBody("""{"status":"suspended"}"""));

        var refused = await app.CreateClient().GetAsync(link.PathAndQuery);
        await client.PatchAsync($"{TestReseller.Base(mode)}/sub-users/{subUser}", JsonHttp.RequestBody("""{"status":"active"}"""));
        var accepted = await app.CreateClient().PostAsync(link.PathAndQuery, null);

        await Api.ErrorAsync(refused, HttpStatusCode.Forbidden, "FORBIDDEN");
        Assert.Equal("rotating", (await Api.DataAsync(accepted)).GetProperty("status").GetString());
        Assert.Equal(1, await app.Database.ScalarAsync<long>("SELECT count(*) FROM reseller.server_events WHERE plan_id = @p", ("p", plan)));
    }

    private async Task<Guid> ReadyMobile(string mode)
    {
        var plan = await app.BuyAsync(_reseller, new { product = "dedicated_mobile", duration = "7_days", location = "NL" }, mode);
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        return plan;
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return text[from..text.IndexOf(end, from, StringComparison.Ordinal)];
    }
}
