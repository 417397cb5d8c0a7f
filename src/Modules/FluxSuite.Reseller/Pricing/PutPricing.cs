using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Accounts;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Pricing;

/// <summary>
/// <c>PUT /admin/resellers/{id}/pricing</c>: replaces the reseller's price list. Prices it leaves out
/// follow the configured defaults; the read-only fields are accepted when they match.
/// </summary>
internal static class PutPricing
{
    public const long MaxPriceCents = 10_000_000; // $100,000.00

    public static async Task<ApiOk<Envelope<PricingDocument>>> Handle(
        Guid id, PricingDocument document, ResellerDbContext db, PriceBook book, CancellationToken cancellationToken)
    {
        await AdminLookup.RequireResellerAsync(db, id, cancellationToken);
        var (prices, errors) = Read(document);
        errors.ThrowIfAny();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.PriceOverrides.Where(p => p.ResellerId == id).ExecuteDeleteAsync(cancellationToken);
        db.PriceOverrides.AddRange(prices.Select(p => new PriceOverride { ResellerId = id, Product = p.Product, Component = p.Component, Cents = p.Cents }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ApiResults.Ok(Envelope.Of(PricingDocument.From(await book.ForAsync(db, id, cancellationToken))));
    }

    private static (List<(Product Product, string Component, long Cents)> Prices, FieldErrors Errors) Read(PricingDocument document)
    {
        var prices = new List<(Product, string, long)>();
        var errors = new FieldErrors();
        void Error(string field, string problem) => errors.Add(field, problem);

        if (document.Currency is not null && document.Currency != PricingDocument.Usd)
        {
            Error("currency", $"must be {PricingDocument.Usd}; prices are in US cents.");
        }

        if (document.Products is null)
        {
            Error("products", "is required: an object of product → prices.");
            return (prices, errors);
        }

        foreach (var (name, pricing) in document.Products)
        {
            var field = $"products.{name}";
            if (!Catalog.Products.TryParse(name, out var product))
            {
                Error(field, $"'{name}' is not a product; one of {Catalog.Products.AllNames}.");
                continue;
            }

            if (pricing is null)
            {
                Error(field, "must be an object of prices.");
                continue;
            }

            var allowed = PriceComponent.For(product);
            void Take(string component, long? cents)
            {
                if (cents is null)
                {
                    return;
                }

                var at = $"{field}.{component}";
                if (!allowed.Contains(component))
                {
                    Error(at, $"does not apply to {name}.");
                }
                else if (cents < 0 || cents > MaxPriceCents)
                {
                    Error(at, $"must be between 0 and {MaxPriceCents} cents.");
                }
                else
                {
                    prices.Add((product, component, cents.Value));
                }
            }

            Take(PriceComponent.PerGb, pricing.PricePerGbCents);
            Take(PriceComponent.PerDay, pricing.PricePerDayCents);
            Take(PriceComponent.Trial, pricing.TrialPriceCents);
            Take(PriceComponent.PerIp30Days, pricing.PricePerIp30Days);
            foreach (var (location, locationPricing) in pricing.Locations ?? [])
            {
                if (product != Product.DedicatedMobile)
                {
                    Error($"{field}.locations", $"does not apply to {name}.");
                    break;
                }

                if (!DedicatedMobileLocations.All.Contains(location))
                {
                    Error($"{field}.locations.{location}", "is not a location; one of NL, UK.");
                    continue;
                }

                Take(PriceComponent.LocationPerDay(location), locationPricing?.PricePerDayCents);
            }

            var billing = BillingTypeOf(product);
            if (pricing.BillingType is not null && pricing.BillingType != billing)
            {
                Error($"{field}.billing_type", $"is read-only: {name} is billed as {billing}.");
            }

            if (pricing.DayPriceMbps is not null && (pricing.DayPriceMbps != PriceComponent.DayPriceMbps || !allowed.Contains(PriceComponent.PerDay)))
            {
                Error($"{field}.day_price_mbps", $"is read-only: day prices are per {PriceComponent.DayPriceMbps} Mbps.");
            }
        }

        return (prices, errors);
    }

    private static string BillingTypeOf(Product product) => product.Billing() switch
    {
        BillingModel.Bandwidth => "bandwidth",
        BillingModel.Hybrid => "hybrid",
        BillingModel.DedicatedIsp => "per_ip",
        _ => "time",
    };
}
