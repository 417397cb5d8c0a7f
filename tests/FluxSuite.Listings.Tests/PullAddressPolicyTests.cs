using System.Net;
using FluxSuite.Listings.Pull;
using Microsoft.Extensions.Options;

namespace FluxSuite.Listings.Tests;

public sealed class PullAddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "a loopback address")]
    [InlineData("127.255.255.254", "a loopback address")]
    [InlineData("10.0.0.1", "a private address")]
    [InlineData("172.16.0.1", "a private address")]
    [InlineData("172.31.255.255", "a private address")]
    [InlineData("192.168.1.1", "a private address")]
    [InlineData("169.254.1.1", "a link-local address")]
    [InlineData("169.254.169.254", "a cloud metadata address")]
    [InlineData("169.254.170.2", "a cloud metadata address")]
    [InlineData("100.100.100.200", "a cloud metadata address")]
    [InlineData("100.64.0.1", "a shared (carrier-grade NAT) address")]
    [InlineData("0.0.0.0", "an unspecified address")]
    [InlineData("224.0.0.1", "a multicast address")]
    [InlineData("239.255.255.250", "a multicast address")]
    [InlineData("255.255.255.255", "a reserved address")]
    [InlineData("::1", "a loopback address")]
    [InlineData("::", "an unspecified address")]
    [InlineData("fe80::1", "a link-local address")]
    [InlineData("fc00::1", "a private (unique local) address")]
    [InlineData("fd12:3456::1", "a private (unique local) address")]
    [InlineData("fd00:ec2::254", "a cloud metadata address")]
    [InlineData("ff02::1", "a multicast address")]
    [InlineData("::ffff:10.0.0.1", "a private address")]
    [InlineData("::ffff:169.254.169.254", "a cloud metadata address")]
    [InlineData("64:ff9b::7f00:1", "a loopback address")]
    [InlineData("2002:c0a8:0101::1", "a private address")]
    public void Given_an_address_pull_must_not_reach_Then_it_is_classified(string address, string what)
    {
        Assert.Equal(what, PullAddressPolicy.Classify(IPAddress.Parse(address)));
        Assert.Equal(what, Policy(allowPrivate: false).Refusal(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Given_a_public_address_Then_it_is_allowed(string address)
    {
        Assert.Null(Policy(allowPrivate: false).Refusal(IPAddress.Parse(address)));
    }

    [Fact]
    public void Given_AllowPrivateNetworks_or_an_allowed_network_Then_those_addresses_are_allowed()
    {
        Assert.Null(Policy(allowPrivate: true).Refusal(IPAddress.Parse("10.0.0.1")));
        var partner = Policy(allowPrivate: false, "10.20.0.0/16");
        Assert.Null(partner.Refusal(IPAddress.Parse("10.20.3.4")));
        Assert.Null(partner.Refusal(IPAddress.Parse("::ffff:10.20.3.4")));
        Assert.Equal("a private address", partner.Refusal(IPAddress.Parse("10.21.0.1")));
    }

    [Fact]
    public void Given_the_defaults_Then_the_guard_is_on_and_the_limits_are_those_of_the_issue()
    {
        var options = new ListingsOptions().Pull;

        Assert.False(options.AllowPrivateNetworks);
        Assert.Equal(TimeSpan.FromDays(1), options.PushPriorityWindow);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.Equal(1024 * 1024, options.MaxBodyBytes);
        Assert.Equal(3, options.MaxRedirects);
        Assert.Equal(TimeSpan.FromHours(24), options.MaxBackoff);
    }

    [Theory]
    [InlineData(5, 0, 1.0, 5)]
    [InlineData(5, 1, 1.0, 10)]
    [InlineData(5, 3, 1.0, 40)]
    [InlineData(5, 3, 0.0, 30)]
    [InlineData(60, 10, 1.0, 1440)]
    [InlineData(60, 30, 0.0, 1080)]
    [InlineData(1440, 1, 1.0, 1440)]
    public void Given_failures_Then_the_backoff_doubles_is_jittered_down_by_at_most_a_quarter_and_is_capped(
        int interval, int failures, double random, double expectedMinutes)
    {
        Assert.Equal(expectedMinutes, PullBackoff.Delay(interval, failures, TimeSpan.FromHours(24), random).TotalMinutes, 6);
    }

    private static PullAddressPolicy Policy(bool allowPrivate, params string[] allowed) =>
        new(Options.Create(new ListingsOptions { Pull = new PullOptions { AllowPrivateNetworks = allowPrivate, AllowedNetworks = [.. allowed] } }));
}
