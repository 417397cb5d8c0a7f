using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Pricing;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Upstream;
using FluxSuite.Reseller.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace FluxSuite.Reseller.Plans;

/// <summary>
/// Buying a plan: stock is taken, the upstream asked to provision, the plan stored and the balance
/// charged in one transaction, so either all of it happens or none does (and what the upstream
/// provisioned for a purchase that did not commit is released). Stock rows are locked before the
/// balance row, always in that order, so concurrent purchases queue instead of deadlocking.
/// </summary>
internal sealed partial class PlanPurchase(
    ResellerDbContext db, PooledStatements statements, BalanceQueue balanceQueue, ChargeGroups chargeGroups, UpstreamSelector upstreams, TimeProvider clock,
    IOptions<ResellerOptions> options, ILogger<PlanPurchase> logger)
{
    private const string InsertProxiesSql = """
        INSERT INTO reseller.plan_proxies (plan_id, position, host, port)
        SELECT $1, a.position - 1, a.host, $3 FROM unnest($2::text[]) WITH ORDINALITY AS a(host, position)
        """;

    private const string InsertServerSql = "INSERT INTO reseller.servers (plan_id, ip, ready_at, created_at) VALUES ($1, $2, $3, $4)";

    /// <summary>Serializes the count of running trials per mode (any fixed number; the mode is added).</summary>
    private const long TrialLockKey = 0x5472_6961_6C00;

    /// <summary>
    /// Buys the plan at the <paramref name="account"/>'s prices; the statement <paramref name="withAnswer"/> makes of the answer, if
    /// any (the idempotent answer's store), goes last with the purchase's writes, so it commits with them or none of them does.
    /// </summary>
    public async Task<PlanResponse> BuyAsync(
        ResellerCaller caller, PlanOrder order, PurchaseAccount account, Func<PlanResponse, NpgsqlBatchCommand?> withAnswer, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var priceList = account.Prices;
        var cost = CostOf(order, priceList);
        ProxyPool? pool = null;
        if (order.Product == Product.DedicatedIsp)
        {
            pool = await db.Pools.AsNoTracking().FirstOrDefaultAsync(p => p.Mode == caller.Mode && p.Name == order.Pool, cancellationToken)
                   ?? throw new ApiErrorException(ResellerErrors.InvalidPool(order.Pool!));
        }

        var plan = new Plan
        {
            Id = Guid.CreateVersion7(now),
            ResellerId = caller.ResellerId,
            Mode = caller.Mode,
            Product = order.Product,
            BillingType = order.BillingType,
            Status = PlanStatus.Active,
            ProxyUsername = string.Empty,
            ProxyPassword = string.Empty,
            Hostname = string.Empty,
            MaxBytes = order.BandwidthGb is { } gb ? (long)(gb * Cost.BytesPerGb) : null,
            BandwidthMbps = order.Mbps,
            Duration = order.Duration,
            Location = order.Location,
            Pool = order.Pool,
            Quantity = order.Quantity,
            PricePerGbCents = order.BillingType == BillingType.Bandwidth ? priceList.PerGb(order.Product) : null,
            CostCents = cost,
            EndUserReference = order.EndUserReference,
            SubUserId = order.SubUserId,
            UpstreamReference = string.Empty,
            ExpiresAt = ExpiryOf(order, now),
            CreatedAt = now,
            UpdatedAt = now,
        };

        var upstream = upstreams.For(caller.Mode);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var tookStock = await TakeStockAsync(caller.Mode, order, now, cancellationToken);
        // Refuse what the balance cannot cover before asking the upstream for anything; the charge
        // below is still the authority (a concurrent purchase may spend the balance in between).
        if (account.BalanceCents < cost)
        {
            throw new ApiErrorException(ResellerErrors.InsufficientBalance(cost, account.BalanceCents));
        }

        var access = await ProvisionAsync(upstream, new ProvisionOrder(plan.Id, caller.Mode, order.Product, plan.MaxBytes,
            order.Mbps, order.Location, order.Pool, pool?.IsSubnet ?? false, order.Quantity, plan.ExpiresAt), cancellationToken);
        var endpoint = options.Value.ConnectionFor(order.Product);
        PlanResponse view;
        try
        {
            plan.UpstreamReference = access.Reference;
            plan.ProxyUsername = access.Username;
            plan.ProxyPassword = access.Password;
            plan.Hostname = access.ServerAddress ?? access.StaticAddresses.FirstOrDefault() ?? endpoint.Hostname;
            plan.PortHttp = endpoint.HttpPort;
            plan.PortSocks = endpoint.SocksPort;
            plan.Proxies = [.. access.StaticAddresses.Select((host, i) => new PlanProxy { PlanId = plan.Id, Position = i, Host = host, Port = endpoint.HttpPort })];
            view = PlanResponse.From(plan, endpoint, now);
            // The plan (counted in plan_counts at the commit, by trigger), its proxies or server, and plan.created, then the charge and the
            // commit: fixed statements, one round trip unless another charge of the balance is under way in this process
            // (then the writes go first, while waiting for its turn). The balance row is locked last and only for the charge
            // and the commit, so purchases of one reseller queue behind each other for as short a time as possible.
            List<NpgsqlBatchCommand> writes = [ReadPlans.Insert(plan)];
            if (plan.Proxies.Count > 0)
            {
                writes.Add(new NpgsqlBatchCommand(InsertProxiesSql)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<Guid> { TypedValue = plan.Id, NpgsqlDbType = NpgsqlDbType.Uuid },
                        new NpgsqlParameter<string[]> { TypedValue = [.. plan.Proxies.Select(p => p.Host)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                        new NpgsqlParameter<int> { TypedValue = endpoint.HttpPort, NpgsqlDbType = NpgsqlDbType.Integer },
                    },
                });
            }

            if (access.Server is { } server)
            {
                writes.Add(new NpgsqlBatchCommand(InsertServerSql)
                {
                    Parameters =
                    {
                        new NpgsqlParameter<Guid> { TypedValue = plan.Id, NpgsqlDbType = NpgsqlDbType.Uuid },
                        new NpgsqlParameter<string> { TypedValue = server.Ip, NpgsqlDbType = NpgsqlDbType.Varchar },
                        new NpgsqlParameter<DateTimeOffset> { TypedValue = now + server.ReadyIn, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                        new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                    },
                });
            }

            if (account.PlanCreatedEndpoints.Count > 0)
            {
                writes.Add(ResellerWebhookEvents.PlanCreatedInsert(caller.ResellerId, caller.Mode, view, account.PlanCreatedEndpoints, now));
            }

            // The idempotent answer, when there is one: after the rows it describes, before the charge and the commit.
            var answer = withAnswer(view);
            if (answer is not null)
            {
                writes.Add(answer);
            }

            // Committed with other purchases of the balance when nothing of this transaction was sent before these writes
            // (no stock taken, no idempotency claim); otherwise alone, in its transaction.
            var groups = tookStock || answer is not null ? null : chargeGroups;
            var description = $"Purchase: {Describe(order)}";
            if (!await Ledger.ChargeAndCommitAsync(db, statements, balanceQueue, groups, writes, caller.ResellerId, caller.Mode, LedgerType.Purchase, cost, plan,
                    description, now, cancellationToken))
            {
                await Ledger.ChargeAsync(db, caller.ResellerId, caller.Mode, LedgerType.Purchase, cost, plan, description, now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch
        {
            await ReleaseAsync(upstream, access.Reference, plan.Id);
            throw;
        }

        LogPurchased(logger, plan.Id, caller.ResellerId, caller.Mode.WireName(), order.Product.WireName(), cost);
        return view;
    }

    public static long CostOf(PlanOrder order, PriceList prices) => order.Product.Billing() switch
    {
        _ when order.BillingType == BillingType.Bandwidth => Cost.Bandwidth(order.BandwidthGb!.Value, prices.PerGb(order.Product)),
        BillingModel.Hybrid => Cost.Time(order.Duration!, order.Mbps!.Value, prices.PerDay(order.Product)),
        BillingModel.Unlimited when order.Duration == PlanDuration.Trial => prices.Get(order.Product, PriceComponent.Trial),
        BillingModel.Unlimited => Cost.Time(order.Duration!, order.Mbps!.Value, prices.PerDay(order.Product)),
        BillingModel.DedicatedMobile => PlanDuration.DaysIn(order.Duration!)!.Value * prices.Get(order.Product, PriceComponent.LocationPerDay(order.Location!)),
        _ => order.Quantity!.Value * prices.Get(order.Product, PriceComponent.PerIp30Days),
    };

    private DateTimeOffset? ExpiryOf(PlanOrder order, DateTimeOffset now) => order.Duration switch
    {
        null => null,
        PlanDuration.Trial => now + options.Value.UnlimitedResidentialTrial.Duration,
        PlanDuration.OneHour => now.AddHours(1),
        var duration => now.AddDays(PlanDuration.DaysIn(duration)!.Value),
    };

    /// <summary>Takes the order's stock, if its product has any, in the purchase's transaction; true when it sent anything.</summary>
    private async Task<bool> TakeStockAsync(Mode mode, PlanOrder order, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var modeName = mode.WireName();
        if (order.Product == Product.DedicatedIsp)
        {
            var quantity = order.Quantity!.Value;
            var taken = await db.Database.ExecuteSqlAsync($"""
                UPDATE reseller.pools SET stock = stock - {quantity}, updated_at = {now}
                WHERE mode = {modeName} AND name = {order.Pool} AND stock >= {quantity}
                """, cancellationToken);
            if (taken == 0)
            {
                var stock = await db.Pools.Where(p => p.Mode == mode && p.Name == order.Pool).Select(p => p.Stock).FirstOrDefaultAsync(cancellationToken);
                throw new ApiErrorException(ResellerErrors.PoolOutOfStock(order.Pool!, quantity, stock));
            }
        }
        else if (order.Product == Product.DedicatedMobile)
        {
            var taken = await db.Database.ExecuteSqlAsync($"""
                UPDATE reseller.dedicated_mobile_stock SET stock = stock - 1, updated_at = {now}
                WHERE mode = {modeName} AND location = {order.Location} AND stock >= 1
                """, cancellationToken);
            if (taken == 0)
            {
                throw new ApiErrorException(ResellerErrors.OutOfStock($"Dedicated mobile in {order.Location}"));
            }
        }
        else if (order.Duration == PlanDuration.Trial)
        {
            var lockKey = TrialLockKey + (long)mode;
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({lockKey})", cancellationToken);
            var running = await RunningTrialsAsync(db, mode, now, cancellationToken);
            if (running >= options.Value.UnlimitedResidentialTrial.Servers)
            {
                throw new ApiErrorException(ResellerErrors.OutOfStock("The unlimited residential trial"));
            }
        }
        else
        {
            return false;
        }

        return true;
    }

    public static Task<int> RunningTrialsAsync(ResellerDbContext db, Mode mode, DateTimeOffset now, CancellationToken cancellationToken) =>
        PlanQueries.Active(db.Plans.AsNoTracking(), now)
            .CountAsync(p => p.Mode == mode && p.Product == Product.UnlimitedResidential && p.Duration == PlanDuration.Trial, cancellationToken);

    private async Task<ProvisionedAccess> ProvisionAsync(IProxyUpstream upstream, ProvisionOrder order, CancellationToken cancellationToken)
    {
        try
        {
            return await upstream.ProvisionAsync(order, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ApiErrorException)
        {
            LogUpstreamFailed(logger, order.PlanId, order.Product.WireName(), ex);
            throw new ApiErrorException(ResellerErrors.UpstreamFailed());
        }
    }

    /// <summary>Undoes a provisioning whose purchase did not commit; a failure here is logged, not thrown over the first.</summary>
    private async Task ReleaseAsync(IProxyUpstream upstream, string reference, Guid planId)
    {
        try
        {
            await upstream.ReleaseAsync(reference, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogReleaseFailed(logger, planId, reference, ex);
        }
    }

    private static string Describe(PlanOrder order) => order switch
    {
        { BillingType: BillingType.Bandwidth } => $"{order.Product.WireName()} {order.BandwidthGb} GB",
        { Product: Product.DedicatedIsp } => $"dedicated_isp {order.Quantity} IP(s) from {order.Pool}, 30 days",
        { Product: Product.DedicatedMobile } => $"dedicated_mobile {order.Location}, {order.Duration}",
        _ => $"{order.Product.WireName()} {order.Duration} at {order.Mbps} Mbps",
    };

    [LoggerMessage(LogLevel.Information, "Plan {PlanId} bought by reseller {ResellerId} ({Mode}): {Product} for {CostCents} cents")]
    private static partial void LogPurchased(ILogger logger, Guid planId, Guid resellerId, string mode, string product, long costCents);

    [LoggerMessage(LogLevel.Error, "Upstream could not release {Reference} of plan {PlanId}, whose purchase did not commit")]
    private static partial void LogReleaseFailed(ILogger logger, Guid planId, string reference, Exception exception);

    [LoggerMessage(LogLevel.Error, "Upstream failed to provision plan {PlanId} ({Product}); the purchase was rolled back")]
    private static partial void LogUpstreamFailed(ILogger logger, Guid planId, string product, Exception exception);
}
