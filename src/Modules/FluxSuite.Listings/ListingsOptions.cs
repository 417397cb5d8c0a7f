namespace FluxSuite.Listings;

/// <summary>The <c>Listings</c> configuration section.</summary>
internal sealed class ListingsOptions
{
    public const string Section = "Listings";

    public PullOptions Pull { get; set; } = new();

    public DirectoryCacheOptions DirectoryCache { get; set; } = new();
}

/// <summary>The <c>Listings:DirectoryCache</c> section: the pages of the public directory each instance keeps.</summary>
internal sealed class DirectoryCacheOptions
{
    /// <summary>The most the kept pages may weigh together; past it the cache starts again empty. 0 turns the cache off (conditional requests still work).</summary>
    public long MaxBytes { get; set; } = 64 * 1024 * 1024;
}

/// <summary>The <c>Listings:Pull</c> section: how the pull sync fetches and applies providers' documents.</summary>
internal sealed class PullOptions
{
    /// <summary>Lets pull reach loopback, private and link-local addresses. For tests only.</summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Networks (CIDR, e.g. <c>10.20.0.0/16</c>) pull may reach although they are private: a partner on a private link.</summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>A field written by push within this window is not overwritten by pull.</summary>
    public TimeSpan PushPriorityWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The whole fetch, redirects and body included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    public int MaxRedirects { get; set; } = 3;

    /// <summary>The longest wait after failures.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How many due sources one scheduler run takes on at most.</summary>
    public int BatchSize { get; set; } = 50;
}
