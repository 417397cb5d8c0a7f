using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Accounts;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Idempotency;
using FluxSuite.Reseller.Pricing;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Upstream;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace FluxSuite.Reseller.Plans;

/// <summary>
/// How <see cref="ExtendPlan"/> and <see cref="UpgradePlan"/> change a plan. The plan row is locked for the
/// transaction, so concurrent changes of one plan apply one after the other; each charge is a ledger entry at
/// the reseller's current prices, and the upstream is told before the commit. Only active plans change: an
/// expired or cancelled plan is a 400 (buy a new plan instead).
/// </summary>
internal static partial class ChangePlan
{
    /// <summary>Locks the plan, applies <paramref name="change"/>, charges it and tells the upstream, in one transaction.</summary>
    public static async Task<ApiOk<Envelope<PlanResponse>>> ChangeAsync(
        ResellerCaller caller, Guid planId, HttpContext http, ResellerDbContext db, PriceBook prices, UpstreamSelector upstreams,
        TimeProvider clock, IOptions<ResellerOptions> options, IOptions<HttpJsonOptions> json,
        Func<Plan, PriceList, DateTimeOffset, (string Type, long Cost, string Description)> change, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var priceList = await prices.ForAsync(db, caller.ResellerId, cancellationToken);
        var mode = caller.Mode.WireName();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var plan = await db.Plans
                       .FromSql($"SELECT * FROM reseller.plans WHERE id = {planId} AND reseller_id = {caller.ResellerId} AND mode = {mode} FOR UPDATE")
                       .FirstOrDefaultAsync(cancellationToken)
                   ?? throw ReadPlans.NotFound(planId);
        await ProductAccess.RequireEnabledAsync(db, caller.ResellerId, plan.Product, cancellationToken);
        var status = PlanQueries.StatusAt(plan, now);
        if (status != PlanStatus.Active)
        {
            throw new ApiErrorException(ApiError.InvalidField("plan_id", $"the plan is {status}; only active plans can be changed. Buy a new plan instead."));
        }

        var (type, cost, description) = change(plan, priceList, now);
        await Ledger.ChargeAsync(db, caller.ResellerId, caller.Mode, type, cost, plan, description, now, cancellationToken);
        plan.CostCents += cost;
        plan.UpdatedAt = now;
        try
        {
            await upstreams.For(caller.Mode).ChangeAsync(
                new PlanChange(plan.UpstreamReference, plan.Product, plan.MaxBytes, plan.ExpiresAt, plan.BandwidthMbps), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not ApiErrorException)
        {
            // The transaction is not committed: nothing is charged and the plan keeps its limits.
            LogUpstreamFailed(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ChangePlan).FullName!), plan.Id, ex);
            throw new ApiErrorException(ResellerErrors.UpstreamFailed());
        }
        await db.SaveChangesAsync(cancellationToken);
        var response = Envelope.Of(PlanResponse.From(plan, options.Value.ConnectionFor(plan.Product), now));
        if (http.Features.Get<IdempotencyClaim>() is { } claim)
        {
            await claim.CompleteAsync(db, StatusCodes.Status200OK, response, null, json.Value.SerializerOptions, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return ApiResults.Ok(response);
    }

    [LoggerMessage(LogLevel.Error, "Upstream failed to change plan {PlanId}; the change was rolled back")]
    private static partial void LogUpstreamFailed(ILogger logger, Guid planId, Exception exception);
}
