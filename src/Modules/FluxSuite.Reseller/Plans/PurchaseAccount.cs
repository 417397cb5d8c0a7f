using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Pricing;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Webhooks;
using Npgsql;
using NpgsqlTypes;

namespace FluxSuite.Reseller.Plans;

/// <summary>
/// What a purchase needs to know of its buyer before it starts, read in one round trip (fixed texts on the shared pool,
/// prepared once per connection when its sessions are its own): that the product is enabled for the reseller (403
/// <c>PRODUCT_DISABLED</c> if not), its balance in the caller's mode, for the first check of the cost (the charge itself
/// decides, with the balance row locked), the webhook endpoints that take <c>plan.created</c> in that mode, and its
/// price list.
/// </summary>
internal sealed record PurchaseAccount(PriceList Prices, long BalanceCents, IReadOnlyList<Guid> PlanCreatedEndpoints)
{
    private static readonly string DisabledBalanceAndEndpointsSql = $"""
        SELECT EXISTS (SELECT 1 FROM reseller.product_settings s WHERE s.reseller_id = $1 AND s.product = $2 AND NOT s.enabled),
               (SELECT b.balance_cents FROM reseller.balances b WHERE b.reseller_id = $1 AND b.mode = $3),
               {WebhookOutbox.SubscribedEndpointsSql(ResellerDbContext.Schema, "$1", "$3", "$4")}
        """;

    private const string OverridesSql = "SELECT p.product, p.component, p.cents FROM reseller.price_overrides p WHERE p.reseller_id = $1";

    public static async Task<PurchaseAccount> ReadAsync(
        PooledStatements statements, PriceBook book, ResellerCaller caller, Product product, CancellationToken cancellationToken)
    {
        await using var reader = await statements.ExecuteReaderAsync(
        [
            new NpgsqlBatchCommand(DisabledBalanceAndEndpointsSql)
            {
                Parameters =
                {
                    new NpgsqlParameter<Guid> { TypedValue = caller.ResellerId, NpgsqlDbType = NpgsqlDbType.Uuid },
                    new NpgsqlParameter<string> { TypedValue = product.WireName(), NpgsqlDbType = NpgsqlDbType.Varchar },
                    new NpgsqlParameter<string> { TypedValue = caller.Mode.WireName(), NpgsqlDbType = NpgsqlDbType.Varchar },
                    new NpgsqlParameter<string> { TypedValue = ResellerWebhookEvents.PlanCreated, NpgsqlDbType = NpgsqlDbType.Text },
                },
            },
            new NpgsqlBatchCommand(OverridesSql) { Parameters = { new NpgsqlParameter<Guid> { TypedValue = caller.ResellerId, NpgsqlDbType = NpgsqlDbType.Uuid } } },
        ], cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetBoolean(0))
        {
            throw new ApiErrorException(ResellerErrors.ProductDisabled(product.WireName()));
        }

        // Every reseller has a balance row per mode from its creation on.
        var balance = reader.GetInt64(1);
        var endpoints = reader.GetFieldValue<Guid[]>(2);
        await reader.NextResultAsync(cancellationToken);
        var overrides = new List<(Product, string, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            overrides.Add((Products.Parse(reader.GetString(0)), reader.GetString(1), reader.GetInt64(2)));
        }

        return new PurchaseAccount(book.With(overrides), balance, endpoints);
    }
}
