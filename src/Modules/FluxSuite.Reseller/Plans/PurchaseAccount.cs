using FluxSuite.BuildingBlocks.Errors;
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
/// What a purchase needs to know of its buyer before it starts, read in one round trip with the key's lookup
/// (<see cref="KeyedRead"/>; fixed texts on the shared pool, prepared once per connection when its sessions are its own):
/// the products disabled for the reseller (403 <c>PRODUCT_DISABLED</c>, <see cref="RequireEnabled"/>), its balance in the
/// caller's mode, for the first check of the cost (the charge itself decides, with the balance row locked), the webhook
/// endpoints that take <c>plan.created</c> in that mode, and its price list.
/// </summary>
internal sealed record PurchaseAccount(PriceList Prices, long BalanceCents, IReadOnlyList<Guid> PlanCreatedEndpoints, IReadOnlyList<string> DisabledProducts)
{
    // $1 the reseller (ReadOwner), $2 the mode, $3 the event type.
    private static readonly OwnedSql DisabledBalanceAndEndpointsSql = new(reseller => $"""
        SELECT ARRAY(SELECT s.product FROM reseller.product_settings s WHERE s.reseller_id = {reseller} AND NOT s.enabled),
               (SELECT b.balance_cents FROM reseller.balances b WHERE b.reseller_id = {reseller} AND b.mode = $2),
               {WebhookOutbox.SubscribedEndpointsSql(ResellerDbContext.Schema, reseller, "$2", "$3")}
        """, 1);

    private static readonly OwnedSql OverridesSql = new(reseller => $"SELECT p.product, p.component, p.cents FROM reseller.price_overrides p WHERE p.reseller_id = {reseller}", 1);

    /// <summary>403 <c>PRODUCT_DISABLED</c> when <paramref name="product"/> is disabled for the reseller.</summary>
    public void RequireEnabled(Product product)
    {
        if (DisabledProducts.Contains(product.WireName()))
        {
            throw new ApiErrorException(ResellerErrors.ProductDisabled(product.WireName()));
        }
    }

    /// <summary>The purchase's account read, which rides with the key lookup of <c>POST /plans</c>.</summary>
    public static KeyedRead ReadFor(HttpContext http) => new Read(http.RequestServices.GetRequiredService<PriceBook>());

    /// <summary>The owner's <see cref="PurchaseAccount"/>; none when the owner is a key that names no reseller.</summary>
    internal sealed class Read(PriceBook book) : KeyedRead
    {
        public PurchaseAccount? Account { get; private set; }

        public override IReadOnlyList<NpgsqlBatchCommand> Commands(ReadOwner owner)
        {
            ArgumentNullException.ThrowIfNull(owner);
            return
            [
                DisabledBalanceAndEndpointsSql.Command(owner, owner.Parameter(), owner.ModeParameter(),
                    new NpgsqlParameter<string> { TypedValue = ResellerWebhookEvents.PlanCreated, NpgsqlDbType = NpgsqlDbType.Text }),
                OverridesSql.Command(owner, owner.Parameter()),
            ];
        }

        public override async Task ReadAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(reader);
            await reader.ReadAsync(cancellationToken);
            var disabled = reader.GetFieldValue<string[]>(0);
            // Every reseller has a balance row per mode from its creation on; a key that names no reseller finds none.
            long? balance = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            var endpoints = reader.GetFieldValue<Guid[]>(2);
            await reader.NextResultAsync(cancellationToken);
            var overrides = new List<(Product, string, long)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                overrides.Add((Products.Parse(reader.GetString(0)), reader.GetString(1), reader.GetInt64(2)));
            }

            Account = balance is { } cents ? new PurchaseAccount(book.With(overrides), cents, endpoints, disabled) : null;
        }
    }
}
