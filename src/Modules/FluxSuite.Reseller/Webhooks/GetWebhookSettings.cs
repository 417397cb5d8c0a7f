using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Webhooks;

/// <summary>
/// <c>GET /webhooks/settings</c>: the balance below which <c>balance.low</c> is sent (null: never), per mode like the
/// balance itself; <see cref="PutWebhookSettings"/> sets it.
/// </summary>
internal static class GetWebhookSettings
{
    internal sealed record Response(
        [property: JsonPropertyName("balance_low_threshold_cents")] long? BalanceLowThresholdCents,
        [property: JsonPropertyName("balance_low_threshold_formatted")] string? BalanceLowThresholdFormatted);

    public static async Task<ApiOk<Envelope<Response>>> Handle(ResellerCaller caller, ResellerDbContext db, CancellationToken cancellationToken)
    {
        var mode = caller.Mode.WireName();
        var threshold = await db.Set<WebhookSettings>().AsNoTracking()
            .Where(s => s.ResellerId == caller.ResellerId && s.Mode == mode)
            .Select(s => s.BalanceLowThresholdCents).FirstOrDefaultAsync(cancellationToken);
        return ApiResults.Ok(Envelope.Of(View(threshold)));
    }

    public static Response View(long? threshold) => new(threshold, threshold is { } cents ? Money.Format(cents) : null);
}
