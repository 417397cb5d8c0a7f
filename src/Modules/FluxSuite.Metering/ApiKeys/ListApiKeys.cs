using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.ApiKeys;

/// <summary><c>GET /api-keys</c>: every key with its prefix, scopes and last use; never the key itself.</summary>
internal static class ListApiKeys
{
    public static async Task<ApiOk<Response>> Handle(ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var keys = await db.Set<ApiKey>().AsNoTracking().Where(k => k.OrganizationId == organizationId)
            .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id).ToListAsync(cancellationToken);
        return ApiResults.Ok(new Response([.. keys.Select(ApiKeyResponse.From)]));
    }

    /// <summary><c>{"data": [...]}</c>: every key, not paged (an organization holds a handful).</summary>
    internal sealed record Response(IReadOnlyList<ApiKeyResponse> Data);
}
