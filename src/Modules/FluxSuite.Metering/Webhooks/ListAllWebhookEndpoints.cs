using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Webhooks;

/// <summary><c>GET /admin/metering/webhooks</c>: every organization's endpoints and their health, failing ones first (operators).</summary>
internal static class ListAllWebhookEndpoints
{
    internal sealed record Response(IReadOnlyList<OperatorWebhookEndpointResponse> Data);

    public static async Task<IResult> Handle(MeteringDbContext db, CancellationToken cancellationToken) =>
        MeteringResults.Ok(new Response(await WebhookEndpoints.AllAsync(db, cancellationToken)));
}
