using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;

namespace FluxSuite.Reseller.Webhooks;

/// <summary><c>GET /admin/resellers/webhooks</c>: every reseller's endpoints (live and sandbox) and their health, failing ones first (operators).</summary>
internal static class ListAllWebhookEndpoints
{
    internal sealed record Response([property: JsonPropertyName("endpoints")] IReadOnlyList<OperatorWebhookEndpointResponse> Endpoints);

    public static async Task<ApiOk<Envelope<Response>>> Handle(ResellerDbContext db, CancellationToken cancellationToken) =>
        ApiResults.Ok(Envelope.Of(new Response(await WebhookEndpoints.AllAsync(db, cancellationToken))));
}
