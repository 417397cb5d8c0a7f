using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Webhooks;

/// <summary><c>GET /admin/metering/webhooks</c>: every organization's endpoints and their health, failing ones first (operators).</summary>
internal static class ListAllWebhookEndpoints
{
    internal sealed record Response(IReadOnlyList<OperatorWebhookEndpointResponse> Data);

    public static async Task<ApiOk<Response>> Handle(MeteringDbContext db, CancellationToken cancellationToken) =>
        ApiResults.Ok(new Response(await WebhookEndpoints.AllAsync(db, cancellationToken)));
}
