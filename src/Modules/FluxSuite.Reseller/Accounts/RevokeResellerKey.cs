using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Accounts;

/// <summary><c>DELETE /admin/resellers/{id}/keys/{keyId}</c>: revokes the key.</summary>
internal static class RevokeResellerKey
{
    public static async Task<NoContent> Handle(Guid id, Guid keyId, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var key = await db.Keys.FirstOrDefaultAsync(k => k.Id == keyId && k.ResellerId == id, cancellationToken)
                  ?? throw new ApiErrorException(ApiError.NotFound($"Key {keyId} of reseller {id} not found."));
        key.RevokedAt ??= now;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}
