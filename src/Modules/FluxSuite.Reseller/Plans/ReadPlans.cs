using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace FluxSuite.Reseller.Plans;

/// <summary>How the plan routes find a plan: only the caller's own plans, in the caller's mode; any other is 404.</summary>
internal static class ReadPlans
{
    /// <summary>The plan's columns as <see cref="Read"/> reads them, from <c>$1</c> on: the plan id, the reseller and the mode.</summary>
    public const string PlanColumns = """
        p.id, p.reseller_id, p.mode, p.product, p.billing_type, p.status, p.proxy_username, p.proxy_password, p.hostname,
        p.port_http, p.port_socks, p.max_bytes, p.bytes_used, p.overage_bytes, p.sub_user_id, p.bandwidth_mbps, p.duration,
        p.location, p.pool, p.quantity, p.price_per_gb_cents, p.cost_cents, p.end_user_reference, p.upstream_reference,
        p.expires_at, p.created_at, p.updated_at
        """;

    /// <summary>
    /// A plan of the owner's: <see cref="PlanColumns"/> of plan <c>$1</c>, its reseller <c>$2</c> and its mode <c>$3</c> (<see cref="Owned"/>), a
    /// fixed text for each kind of owner (prepared once per connection).
    /// </summary>
    public static readonly OwnedSql OwnedPlanSql = new(reseller => $"SELECT {PlanColumns} FROM reseller.plans p WHERE p.id = $1 AND p.reseller_id = {reseller} AND p.mode = $3", 2);

    private static readonly Func<ResellerDbContext, Guid, Guid, Mode, Task<Plan?>> FindPlan =
        EF.CompileAsyncQuery((ResellerDbContext db, Guid id, Guid reseller, Mode mode) =>
            db.Plans.AsNoTracking().FirstOrDefault(p => p.Id == id && p.ResellerId == reseller && p.Mode == mode));

    /// <summary>The caller's plan (no tracking), or 404.</summary>
    /// <remarks>The compiled query takes no token; the request is short and the connection is pooled.</remarks>
    public static async Task<Plan> OwnedAsync(ResellerDbContext db, ResellerCaller caller, Guid planId) =>
        await FindPlan(db, planId, caller.ResellerId, caller.Mode) ?? throw NotFound(planId);

    /// <summary>
    /// The caller's plan, or 404, without its proxies: the same row as the EF read, as one statement on the shared pool,
    /// prepared when its sessions are its own (the EF query is parsed and planned by PostgreSQL on every request).
    /// </summary>
    public static async Task<Plan> OwnedAsync(PooledStatements statements, ResellerCaller caller, Guid planId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(statements);
        await using var reader = await statements.ExecuteReaderAsync([Owned(ReadOwner.Of(caller), planId)], cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, 0) : throw NotFound(planId);
    }

    /// <summary>The statement that reads <paramref name="owner"/>'s plan <paramref name="planId"/> (<see cref="OwnedPlanSql"/>): one row or none.</summary>
    public static NpgsqlBatchCommand Owned(ReadOwner owner, Guid planId)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return OwnedPlanSql.Command(owner, Id(planId), owner.Parameter(), owner.ModeParameter());
    }

    /// <summary>A plan's id as a statement's parameter.</summary>
    public static NpgsqlParameter Id(Guid planId) => new NpgsqlParameter<Guid> { TypedValue = planId, NpgsqlDbType = NpgsqlDbType.Uuid };

    /// <summary>
    /// A new plan's row: <see cref="PlanColumns"/> from <c>$1</c> to <c>$27</c>, in <see cref="Read"/>'s order (the purchase's
    /// insert, a fixed text prepared once per connection; a trigger on plans counts it in <c>plan_counts</c> at the commit).
    /// </summary>
    public static readonly string InsertPlanSql =
        $"INSERT INTO reseller.plans ({PlanColumns.Replace("p.", string.Empty, StringComparison.Ordinal)}) VALUES ({string.Join(", ", Enumerable.Range(1, 27).Select(i => $"${i}"))})";

    /// <summary>The insert of <paramref name="plan"/> (<see cref="InsertPlanSql"/>), for the purchase's batch.</summary>
    public static NpgsqlBatchCommand Insert(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        static NpgsqlParameter Value(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };
        return new NpgsqlBatchCommand(InsertPlanSql)
        {
            Parameters =
            {
                Value(plan.Id, NpgsqlDbType.Uuid),
                Value(plan.ResellerId, NpgsqlDbType.Uuid),
                Value(WireConverters.Mode.ConvertToProviderTyped(plan.Mode), NpgsqlDbType.Varchar),
                Value(WireConverters.Product.ConvertToProviderTyped(plan.Product), NpgsqlDbType.Varchar),
                Value(WireConverters.BillingType.ConvertToProviderTyped(plan.BillingType), NpgsqlDbType.Varchar),
                Value(plan.Status, NpgsqlDbType.Varchar),
                Value(plan.ProxyUsername, NpgsqlDbType.Varchar),
                Value(plan.ProxyPassword, NpgsqlDbType.Varchar),
                Value(plan.Hostname, NpgsqlDbType.Varchar),
                Value(plan.PortHttp, NpgsqlDbType.Integer),
                Value(plan.PortSocks, NpgsqlDbType.Integer),
                Value(plan.MaxBytes, NpgsqlDbType.Bigint),
                Value(plan.BytesUsed, NpgsqlDbType.Bigint),
                Value(plan.OverageBytes, NpgsqlDbType.Bigint),
                Value(plan.SubUserId, NpgsqlDbType.Uuid),
                Value(plan.BandwidthMbps, NpgsqlDbType.Integer),
                Value(plan.Duration, NpgsqlDbType.Varchar),
                Value(plan.Location, NpgsqlDbType.Varchar),
                Value(plan.Pool, NpgsqlDbType.Varchar),
                Value(plan.Quantity, NpgsqlDbType.Integer),
                Value(plan.PricePerGbCents, NpgsqlDbType.Bigint),
                Value(plan.CostCents, NpgsqlDbType.Bigint),
                Value(plan.EndUserReference, NpgsqlDbType.Varchar),
                Value(plan.UpstreamReference, NpgsqlDbType.Varchar),
                Value(plan.ExpiresAt, NpgsqlDbType.TimestampTz),
                Value(plan.CreatedAt, NpgsqlDbType.TimestampTz),
                Value(plan.UpdatedAt, NpgsqlDbType.TimestampTz),
            },
        };
    }

    /// <summary>The plan in the current row, its <see cref="PlanColumns"/> from column <paramref name="first"/> on.</summary>
    public static Plan Read(NpgsqlDataReader reader, int first)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int? Int(int i) => reader.IsDBNull(first + i) ? null : reader.GetInt32(first + i);
        long? Long(int i) => reader.IsDBNull(first + i) ? null : reader.GetInt64(first + i);
        string? Text(int i) => reader.IsDBNull(first + i) ? null : reader.GetString(first + i);
        return new Plan
        {
            Id = reader.GetGuid(first),
            ResellerId = reader.GetGuid(first + 1),
            Mode = WireConverters.Mode.ConvertFromProviderTyped(reader.GetString(first + 2)),
            Product = WireConverters.Product.ConvertFromProviderTyped(reader.GetString(first + 3)),
            BillingType = WireConverters.BillingType.ConvertFromProviderTyped(reader.GetString(first + 4)),
            Status = reader.GetString(first + 5),
            ProxyUsername = reader.GetString(first + 6),
            ProxyPassword = reader.GetString(first + 7),
            Hostname = reader.GetString(first + 8),
            PortHttp = reader.GetInt32(first + 9),
            PortSocks = reader.GetInt32(first + 10),
            MaxBytes = Long(11),
            BytesUsed = reader.GetInt64(first + 12),
            OverageBytes = reader.GetInt64(first + 13),
            SubUserId = reader.IsDBNull(first + 14) ? null : reader.GetGuid(first + 14),
            BandwidthMbps = Int(15),
            Duration = Text(16),
            Location = Text(17),
            Pool = Text(18),
            Quantity = Int(19),
            PricePerGbCents = Long(20),
            CostCents = reader.GetInt64(first + 21),
            EndUserReference = Text(22),
            UpstreamReference = reader.GetString(first + 23),
            ExpiresAt = reader.IsDBNull(first + 24) ? null : reader.GetFieldValue<DateTimeOffset>(first + 24),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(first + 25),
            UpdatedAt = reader.GetFieldValue<DateTimeOffset>(first + 26),
        };
    }

    public static ApiErrorException NotFound(Guid planId) => new(ApiError.NotFound($"Plan {planId} not found."));
}
