using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Plans;

/// <summary>How the plan routes find a plan: only the caller's own plans, in the caller's mode; any other is 404.</summary>
internal static class ReadPlans
{
    private static readonly Func<ResellerDbContext, Guid, Guid, Mode, Task<Plan?>> FindPlan =
        EF.CompileAsyncQuery((ResellerDbContext db, Guid id, Guid reseller, Mode mode) =>
            db.Plans.AsNoTracking().FirstOrDefault(p => p.Id == id && p.ResellerId == reseller && p.Mode == mode));

    /// <summary>The caller's plan (no tracking), or 404.</summary>
    /// <remarks>The compiled query takes no token; the request is short and the connection is pooled.</remarks>
    public static async Task<Plan> OwnedAsync(ResellerDbContext db, ResellerCaller caller, Guid planId) =>
        await FindPlan(db, planId, caller.ResellerId, caller.Mode) ?? throw NotFound(planId);

    public static ApiErrorException NotFound(Guid planId) => new(ApiError.NotFound($"Plan {planId} not found."));
}
