using FluxSuite.BuildingBlocks.Net;

namespace FluxSuite.BuildingBlocks.Webhooks;

/// <summary>The <c>Webhooks</c> configuration section: the address guard, the limits of one delivery and the retry schedule.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Lets deliveries reach loopback, private and link-local addresses, and endpoints use http://. For tests only.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Networks (CIDR) deliveries may reach although they are private.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>One delivery attempt, connecting and reading the answer included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>At most this much of an answer is read; the rest is not waited for.</summary>
    public int MaxResponseBytes { get; set; } = 64 * 1024;

    /// <summary>How much of an answer the delivery log keeps.</summary>
    public int ResponseExcerptLength { get; set; } = 1000;

    /// <summary>The wait after the first failed attempt; it doubles after each further one.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>A delivery still failing this long after it became due is failed; an endpoint failing this long is disabled.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How many deliveries one claim takes.</summary>
    public int BatchSize { get; set; } = 20;

    /// <summary>Endpoints an owner may register.</summary>
    public int MaxEndpointsPerOwner { get; set; } = 20;

    public OutboundAddressPolicy AddressPolicy() => new(AllowPrivateNetworks, AllowedNetworks);

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt: 30 s, 1 min, 2 min, … up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var delay = RetryBaseDelay * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        return delay < RetryMaxDelay ? delay : RetryMaxDelay;
    }

    /// <summary>The problems with these options, for start-up validation.</summary>
    public static IEnumerable<string> Problems(WebhookOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (!OutboundAddressPolicy.AreNetworks(o.AllowedNetworks))
        {
            yield return "Webhooks:AllowedNetworks must hold networks in CIDR notation such as 10.20.0.0/16.";
        }

        if (o.Timeout <= TimeSpan.Zero || o.RetryBaseDelay <= TimeSpan.Zero || o.RetryMaxDelay < o.RetryBaseDelay || o.GiveUpAfter <= TimeSpan.Zero)
        {
            yield return "Webhooks:Timeout, RetryBaseDelay and GiveUpAfter must be positive, and RetryMaxDelay at least RetryBaseDelay.";
        }

        if (o.MaxResponseBytes <= 0 || o.ResponseExcerptLength < 0 || o.BatchSize <= 0 || o.MaxEndpointsPerOwner <= 0)
        {
            yield return "Webhooks:MaxResponseBytes, BatchSize and MaxEndpointsPerOwner must be positive, ResponseExcerptLength not negative.";
        }
    }
}
