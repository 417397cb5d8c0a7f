using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.SubUsers;

internal static class SubUserAccess
{
    /// <summary>The caller's sub-user by its id as the path spells it; any other (or a non-UUID) is 404.</summary>
    public static async Task<SubUser> FindAsync(IQueryable<SubUser> subUsers, ResellerCaller caller, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var subUserId))
        {
            throw NotFound(id);
        }

        return await subUsers.FirstOrDefaultAsync(s => s.Id == subUserId && s.ResellerId == caller.ResellerId && s.Mode == caller.Mode, cancellationToken)
               ?? throw NotFound(id);
    }

    /// <summary>A plan may be bought only for an active sub-user of the caller; anything else is a 400 naming <paramref name="field"/>.</summary>
    public static async Task RequireActiveAsync(ResellerDbContext db, ResellerCaller caller, Guid id, string field, CancellationToken cancellationToken)
    {
        var status = await db.SubUsers.AsNoTracking()
            .Where(s => s.Id == id && s.ResellerId == caller.ResellerId && s.Mode == caller.Mode)
            .Select(s => s.Status).FirstOrDefaultAsync(cancellationToken);
        if (status is null)
        {
            throw new ApiErrorException(ApiError.InvalidField(field, $"{id} is not one of your sub-users (GET /sub-users lists them)."));
        }

        if (status != SubUserStatus.Active)
        {
            throw new ApiErrorException(ApiError.InvalidField(field, $"sub-user {id} is suspended; reactivate it first (PATCH /sub-users/{id})."));
        }
    }

    private static ApiErrorException NotFound(string id) => new(ApiError.NotFound($"Sub-user {id} not found."));
}
