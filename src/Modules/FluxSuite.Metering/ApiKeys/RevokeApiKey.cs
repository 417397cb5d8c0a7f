using System.Security.Claims;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FluxSuite.Metering.ApiKeys;

/// <summary><c>DELETE /api-keys/{id}</c>: the key stops working at once; it stays listed as revoked.</summary>
internal static class RevokeApiKey
{
    public static async Task<NoContent> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var key = await db.Set<ApiKey>().FindOwnedAsync(id, organizationId, cancellationToken);

        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.NoContent();
    }
}
