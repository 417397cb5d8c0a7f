using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.Reseller.Webhooks;

/// <summary><c>GET /webhooks/{id}/deliveries?page=&amp;per_page=</c>: the delivery log, newest first, each attempt with its status code, duration and the start of the answer.</summary>
internal static class ListWebhookDeliveries
{
    internal sealed record Response(
        [property: JsonPropertyName("deliveries")] IReadOnlyList<WebhookDeliveryResponse> Deliveries,
        [property: JsonPropertyName("pagination")] Pagination Pagination);

    public static async Task<ApiOk<Envelope<Response>>> Handle(
        ResellerCaller caller, Guid id, ResellerDbContext db, [FromQuery] int? page, [FromQuery(Name = "per_page")] int? perPage,
        CancellationToken cancellationToken)
    {
        var deliveries = await WebhookEndpoints.DeliveriesAsync(db, ResellerWebhookEvents.Owner(caller.ResellerId, caller.Mode), id,
            Paging.Parse(page, perPage), cancellationToken);
        return ApiResults.Ok(Envelope.Of(new Response(deliveries.Items, Pagination.For(deliveries))));
    }
}
