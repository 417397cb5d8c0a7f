using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;

namespace FluxSuite.Reseller.Pricing;

/// <summary><c>GET /balance/pricing</c>: the caller's effective price list.</summary>
internal static class GetPricing
{
    public static async Task<ApiOk<Envelope<PricingDocument>>> Handle(ResellerCaller caller, ResellerDbContext db, PriceBook book, CancellationToken cancellationToken) =>
        ApiResults.Ok(Envelope.Of(PricingDocument.From(await book.ForAsync(db, caller.ResellerId, cancellationToken))));
}
