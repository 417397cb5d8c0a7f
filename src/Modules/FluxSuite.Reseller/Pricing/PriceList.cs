using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Pricing;

/// <summary>The priced parts of a product, named as the price list spells them on the wire.</summary>
internal static class PriceComponent
{
    public const string PerGb = "price_per_gb_cents";
    public const string PerDay = "price_per_day_cents";
    public const string Trial = "trial_price_cents";
    public const string PerIp30Days = "price_per_ip_30_days";

    /// <summary>Day prices of hybrid and unlimited products buy this many Mbps; cost scales linearly with Mbps.</summary>
    public const int DayPriceMbps = 100;

    public static string LocationPerDay(string location) => $"locations.{location}.{PerDay}";

    /// <summary>Every component a product is priced by.</summary>
    public static IReadOnlyList<string> For(Product product) => product.Billing() switch
    {
        BillingModel.Bandwidth => [PerGb],
        BillingModel.Hybrid => [PerGb, PerDay],
        BillingModel.Unlimited => [PerDay, Trial],
        BillingModel.DedicatedMobile => [.. DedicatedMobileLocations.All.Select(LocationPerDay)],
        _ => [PerIp30Days],
    };
}

internal static class DedicatedMobileLocations
{
    public static IReadOnlyList<string> All { get; } = ["NL", "UK"];
}

/// <summary>A reseller's effective prices: its own where its price list sets them, else the configured defaults.</summary>
internal sealed class PriceList(IReadOnlyDictionary<(Product, string), long> prices)
{
    public long Get(Product product, string component) =>
        prices.TryGetValue((product, component), out var cents)
            ? cents
            : throw new InvalidOperationException($"No price for {product.WireName()} {component}.");

    public long PerGb(Product product) => Get(product, PriceComponent.PerGb);

    public long PerDay(Product product) => Get(product, PriceComponent.PerDay);

    public IReadOnlyDictionary<(Product Product, string Component), long> All => prices;
}

/// <summary>Loads price lists: configured defaults overlaid with the reseller's own prices.</summary>
internal sealed class PriceBook(IOptions<ResellerOptions> options)
{
    private readonly Lazy<IReadOnlyDictionary<(Product, string), long>> _defaults = new(() => BuildDefaults(options.Value.Pricing));

    public IReadOnlyDictionary<(Product, string), long> Defaults => _defaults.Value;

    public async Task<PriceList> ForAsync(ResellerDbContext db, Guid resellerId, CancellationToken cancellationToken)
    {
        var overrides = await db.PriceOverrides.AsNoTracking()
            .Where(p => p.ResellerId == resellerId)
            .Select(p => new { p.Product, p.Component, p.Cents })
            .ToListAsync(cancellationToken);
        return With(overrides.Select(o => (o.Product, o.Component, o.Cents)));
    }

    /// <summary>The defaults with a reseller's own prices over them.</summary>
    public PriceList With(IEnumerable<(Product Product, string Component, long Cents)> overrides)
    {
        Dictionary<(Product, string), long>? prices = null;
        foreach (var (product, component, cents) in overrides)
        {
            prices ??= new Dictionary<(Product, string), long>(Defaults);
            prices[(product, component)] = cents;
        }

        return new PriceList(prices ?? Defaults);
    }

    private static Dictionary<(Product, string), long> BuildDefaults(PricingDefaults defaults)
    {
        var prices = new Dictionary<(Product, string), long>();
        foreach (var product in Products.All)
        {
            foreach (var component in PriceComponent.For(product))
            {
                prices[(product, component)] = component switch
                {
                    PriceComponent.PerGb => Required(defaults.PricePerGbCents, product),
                    PriceComponent.PerDay => Required(defaults.PricePerDayCents, product),
                    PriceComponent.Trial => defaults.UnlimitedTrialPriceCents,
                    PriceComponent.PerIp30Days => defaults.DedicatedIspPricePerIp30DaysCents,
                    _ => Required(defaults.DedicatedMobilePricePerDayCents, component.Split('.')[1]),
                };
            }
        }

        return prices;
    }

    private static long Required(Dictionary<string, long> prices, Product product) => Required(prices, product.WireName());

    private static long Required(Dictionary<string, long> prices, string name) =>
        prices.TryGetValue(name, out var cents) && cents >= 0
            ? cents
            : throw new InvalidOperationException($"Reseller:Pricing has no default price for {name}.");
}

/// <summary>The cost rules; every result is integer cents, rounded half up.</summary>
internal static class Cost
{
    public const long BytesPerGb = 1_000_000_000;

    public static long Bandwidth(decimal gb, long pricePerGbCents) => Money.RoundToCents(gb * pricePerGbCents);

    /// <summary>Days × day price × Mbps / 100; <c>1_hour</c> is 1/8 of one day.</summary>
    public static long Time(string duration, int mbps, long pricePerDayCents) =>
        duration == PlanDuration.OneHour
            ? Money.RoundToCents((decimal)mbps * pricePerDayCents / PriceComponent.DayPriceMbps / 8)
            : Days(PlanDuration.DaysIn(duration) ?? throw new ArgumentOutOfRangeException(nameof(duration)), mbps, pricePerDayCents);

    public static long Days(int days, int mbps, long pricePerDayCents) =>
        Money.RoundToCents((decimal)days * mbps * pricePerDayCents / PriceComponent.DayPriceMbps);

    /// <summary>The price difference of a higher Mbps cap for the time a plan has left.</summary>
    public static long Upgrade(TimeSpan remaining, int fromMbps, int toMbps, long pricePerDayCents) =>
        Money.RoundToCents((decimal)remaining.Ticks / TimeSpan.TicksPerDay * (toMbps - fromMbps) * pricePerDayCents / PriceComponent.DayPriceMbps);
}
