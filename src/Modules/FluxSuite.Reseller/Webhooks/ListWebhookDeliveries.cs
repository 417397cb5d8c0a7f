using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.Reseller.Webhooks;

/// <summary><c>GET /webhooks/{id}/deliveries?page=&amp;per_page=</c>: the delivery log, newest first, each attempt with its status code, duration and the start of the answer.</summary>
internal static class ListWebhookDeliveries
{
    internal sealed record Response(
        [property: JsonPropertyName("deliveries")] IReadOnlyList<WebhookDeliveryResponse> Deliveries,
        [property: JsonPropertyName("pagination")] Pagination Pagination);

    public static async Task<Ok<Envelope<Response>>> Handle(
        ResellerCaller caller, Guid id, ResellerDbContext db, [FromQuery] int? page, [FromQuery(Name = "per_page")] int? perPage,
        CancellationToken cancellationToken)
    {
        var paging = Paging.Parse(page, perPage);
        var deliveries = await WebhookEndpoints.DeliveriesAsync(db, ResellerWebhookEvents.Owner(caller.ResellerId, caller.Mode), id,
            paging.Page, paging.PageSize, cancellationToken);
        var pages = (int)((deliveries.Total + paging.PageSize - 1) / paging.PageSize);
        return TypedResults.Ok(Envelope.Of(new Response(deliveries.Data, new Pagination(paging.Page, paging.PageSize, deliveries.Total, pages))));
    }
}
