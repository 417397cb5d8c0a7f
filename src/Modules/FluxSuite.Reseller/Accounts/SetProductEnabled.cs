using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Accounts;

/// <summary><c>PUT /admin/resellers/{id}/products/{product}</c>: every product is enabled until an operator disables it.</summary>
internal static class SetProductEnabled
{
    internal sealed record Request([property: JsonPropertyName("enabled")] bool? Enabled);

    internal sealed record Response(
        [property: JsonPropertyName("reseller_id")] Guid ResellerId,
        [property: JsonPropertyName("product")] string Product,
        [property: JsonPropertyName("enabled")] bool Enabled);

    internal sealed class Validator : AbstractValidator<Request>
    {
        public Validator() => RuleFor(r => r.Enabled).NotNull().WithMessage("is required (true or false).");
    }

    public static async Task<ApiOk<Envelope<Response>>> Handle(
        Guid id, string product, Request request, ResellerDbContext db, CancellationToken cancellationToken)
    {
        if (!Products.TryParse(product, out var parsed))
        {
            throw new ApiErrorException(ApiError.InvalidField("product", $"'{product}' is not a product; one of {Products.AllNames}."));
        }

        await AdminLookup.RequireResellerAsync(db, id, cancellationToken);
        var enabled = request.Enabled!.Value;
        var name = parsed.WireName();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO reseller.product_settings (reseller_id, product, enabled) VALUES ({id}, {name}, {enabled})
            ON CONFLICT (reseller_id, product) DO UPDATE SET enabled = EXCLUDED.enabled
            """, cancellationToken);
        return ApiResults.Ok(Envelope.Of(new Response(id, name, enabled)));
    }
}

internal static class ProductAccess
{
    /// <summary>Throws 403 PRODUCT_DISABLED when an operator has disabled the product for the reseller.</summary>
    public static async Task RequireEnabledAsync(ResellerDbContext db, Guid resellerId, Product product, CancellationToken cancellationToken)
    {
        var disabled = await db.ProductSettings.AsNoTracking()
            .AnyAsync(s => s.ResellerId == resellerId && s.Product == product && !s.Enabled, cancellationToken);
        if (disabled)
        {
            throw new ApiErrorException(ResellerErrors.ProductDisabled(product.WireName()));
        }
    }
}
