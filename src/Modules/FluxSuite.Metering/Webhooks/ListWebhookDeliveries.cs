using System.Security.Claims;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.Metering.Webhooks;

/// <summary><c>GET /webhooks/{id}/deliveries?page=&amp;page_size=</c>: the delivery log, newest first, each attempt with its status code, duration and the start of the answer.</summary>
internal static class ListWebhookDeliveries
{
    public static async Task<ApiOk<ListResponse<WebhookDeliveryResponse>>> Handle(
        Guid id, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken,
        [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize)
    {
        var deliveries = await WebhookEndpoints.DeliveriesAsync(db, MeteringWebhookEvents.Owner(caller.OrganizationId()), id,
            Paging.Read(page, pageSize), cancellationToken);
        return ApiResults.Ok(ListResponse<WebhookDeliveryResponse>.From(deliveries));
    }
}
