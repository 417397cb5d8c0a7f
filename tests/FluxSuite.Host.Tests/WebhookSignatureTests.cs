using System.Security.Cryptography;
using System.Text;
using FluxSuite.BuildingBlocks.Webhooks;
using StandardWebhooks;

namespace FluxSuite.Host.Tests;

/// <summary>The webhook signer and schedule of BuildingBlocks, against an independent Standard Webhooks implementation.</summary>
public sealed class WebhookSignatureTests
{
    [Fact]
    public void Given_random_messages_Then_the_signature_is_the_one_the_StandardWebhooks_package_computes()
    {
        for (var i = 0; i < 50; i++)
        {
            var secret = WebhookSignature.NewSecret();
            var id = $"msg_{Guid.NewGuid():N}";
            var timestamp = DateTimeOffset.FromUnixTimeSeconds(RandomNumberGenerator.GetInt32(1_000_000_000, int.MaxValue));
            var body = $$$"""{"type":"invoice.paid","data":{"n":{{{i}}},"text":"ünïcødé {{{Guid.NewGuid()}}}"}}""";

            Assert.Equal(new StandardWebhook(secret).Sign(id, timestamp, body), WebhookSignature.Sign(secret, id, timestamp, Encoding.UTF8.GetBytes(body)));
        }
    }

    [Fact]
    public void Given_a_new_secret_Then_it_is_whsec_and_32_random_bytes()
    {
        var secret = WebhookSignature.NewSecret();

        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.NotEqual(secret, WebhookSignature.NewSecret());
    }

    [Fact]
    public void Given_the_defaults_Then_retries_double_from_30_seconds_up_to_6_hours_for_3_days_and_the_guard_is_on()
    {
        var options = new WebhookOptions();

        Assert.Equal(
            [30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600],
            Enumerable.Range(1, 12).Select(n => options.RetryDelay(n).TotalSeconds));
        Assert.Equal(TimeSpan.FromDays(3), options.GiveUpAfter);
        Assert.False(options.AllowPrivateNetworks);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Timeout);
        Assert.Empty(WebhookOptions.Problems(options));
        Assert.NotEmpty(WebhookOptions.Problems(new WebhookOptions { AllowedNetworks = ["not a network"] }));
        Assert.NotEmpty(WebhookOptions.Problems(new WebhookOptions { RetryMaxDelay = TimeSpan.FromSeconds(1) }));
    }
}
