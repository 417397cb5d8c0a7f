using System.Globalization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Servers;
using FluxSuite.Reseller.Upstream;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Connections;

/// <summary>
/// <c>GET|POST /proxies/{planId}/ip-reset?expires=…&amp;signature=…</c>: the link <see cref="CreateIpResetLink"/> hands out.
/// The signature is the credential (no API key). A bad or expired link is 401; a suspended account or sub-user 403.
/// </summary>
internal static class ResetIpThroughLink
{
    public static string Path(Mode mode, Guid planId) => $"{ResellerRoutes.BasePath(mode)}/proxies/{planId}/ip-reset";

    public static async Task<ApiOk<Envelope<RotationResponse>>> Handle(
        Guid planId, [FromQuery] string? expires, [FromQuery] string? signature, HttpContext http, ResellerDbContext db, IpResetLinkSigner signer,
        UpstreamSelector upstreams, TimeProvider clock, IOptions<ResellerOptions> options, CancellationToken cancellationToken)
    {
        var mode = http.Request.Path.StartsWithSegments(ResellerRoutes.SandboxBase, StringComparison.OrdinalIgnoreCase) ? Mode.Test : Mode.Live;
        var now = clock.GetUtcNow();
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) || string.IsNullOrEmpty(signature)
            || !await signer.VerifyAsync(mode, planId, unix, signature, cancellationToken))
        {
            throw new ApiErrorException(ApiError.Unauthorized("Invalid IP reset link: ask for a new one (GET /proxies/{planId}/ip-reset-link)."));
        }

        if (unix <= now.ToUnixTimeSeconds())
        {
            throw new ApiErrorException(ApiError.Unauthorized("This IP reset link has expired: ask for a new one (GET /proxies/{planId}/ip-reset-link)."));
        }

        var owner = await db.Plans.AsNoTracking().Where(p => p.Id == planId && p.Mode == mode)
            .Join(db.Resellers, p => p.ResellerId, r => r.Id, (p, r) => new { Plan = p, ResellerStatus = r.Status })
            .FirstOrDefaultAsync(cancellationToken)
            ?? throw ReadPlans.NotFound(planId);
        if (owner.ResellerStatus != ResellerStatus.Active)
        {
            throw new ApiErrorException(ApiError.Forbidden("This reseller account is suspended."));
        }

        if (owner.Plan.SubUserId is { } subUserId
            && await db.SubUsers.AsNoTracking().AnyAsync(s => s.Id == subUserId && s.Status == SubUserStatus.Suspended, cancellationToken))
        {
            throw new ApiErrorException(ApiError.Forbidden("The sub-user of this plan is suspended."));
        }

        var rotation = await ServerActions.RotateAsync(db, owner.Plan, upstreams, options.Value.Servers, now, "link", cancellationToken);
        return ApiResults.Ok(Envelope.Of(rotation));
    }
}
