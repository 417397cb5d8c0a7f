using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Pricing;
using FluxSuite.Reseller.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FluxSuite.Reseller.Plans;

/// <summary>
/// What a purchase needs to know of its buyer before it starts, read in one round trip: that the product is
/// enabled for the reseller (403 <c>PRODUCT_DISABLED</c> if not), its price list, and its balance in the caller's
/// mode, for the first check of the cost (the charge itself decides, with the balance row locked).
/// </summary>
internal sealed record PurchaseAccount(PriceList Prices, long BalanceCents)
{
    private const string DisabledAndBalanceSql = """
        SELECT EXISTS (SELECT 1 FROM reseller.product_settings s WHERE s.reseller_id = $1 AND s.product = $2 AND NOT s.enabled),
               (SELECT b.balance_cents FROM reseller.balances b WHERE b.reseller_id = $1 AND b.mode = $3)
        """;

    private const string OverridesSql = "SELECT p.product, p.component, p.cents FROM reseller.price_overrides p WHERE p.reseller_id = $1";

    public static async Task<PurchaseAccount> ReadAsync(
        ResellerDbContext db, PriceBook book, ResellerCaller caller, Product product, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection())
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand(DisabledAndBalanceSql)
                    {
                        Parameters =
                        {
                            new NpgsqlParameter<Guid> { TypedValue = caller.ResellerId },
                            new NpgsqlParameter<string> { TypedValue = product.WireName() },
                            new NpgsqlParameter<string> { TypedValue = caller.Mode.WireName() },
                        },
                    },
                    new NpgsqlBatchCommand(OverridesSql) { Parameters = { new NpgsqlParameter<Guid> { TypedValue = caller.ResellerId } } },
                },
            };
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetBoolean(0))
            {
                throw new ApiErrorException(ResellerErrors.ProductDisabled(product.WireName()));
            }

            // Every reseller has a balance row per mode from its creation on.
            var balance = reader.GetInt64(1);
            await reader.NextResultAsync(cancellationToken);
            var overrides = new List<(Product, string, long)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                overrides.Add((Products.Parse(reader.GetString(0)), reader.GetString(1), reader.GetInt64(2)));
            }

            return new PurchaseAccount(book.With(overrides), balance);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
