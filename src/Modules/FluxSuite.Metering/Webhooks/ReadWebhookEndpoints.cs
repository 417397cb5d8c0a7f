using System.Security.Claims;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Webhooks;

/// <summary><c>GET /webhooks</c> (oldest first, with each endpoint's health) and <c>GET /webhooks/{id}</c>; secrets are never shown again.</summary>
internal static class ReadWebhookEndpoints
{
    internal sealed record ListResponse(IReadOnlyList<WebhookEndpointResponse> Data);

    public static async Task<IResult> List(ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken) =>
        MeteringResults.Ok(new ListResponse(await WebhookEndpoints.ListAsync(db, MeteringWebhookEvents.Owner(caller.OrganizationId()), cancellationToken)));

    public static async Task<IResult> Get(Guid id, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken) =>
        MeteringResults.Ok(await WebhookEndpoints.GetAsync(db, MeteringWebhookEvents.Owner(caller.OrganizationId()), id, cancellationToken));
}
