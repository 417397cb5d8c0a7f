using System.ComponentModel;
using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Webhooks;

/// <summary><c>PUT /webhooks/settings</c> <c>{balance_low_threshold_cents}</c>: sets the threshold of <c>balance.low</c> (null: no such events).</summary>
internal static class PutWebhookSettings
{
    /// <summary>As high as a top-up may go.</summary>
    public const long MaxThresholdCents = 100_000_000_00;

    internal sealed class Request
    {
        [JsonPropertyName("balance_low_threshold_cents"), Description("Cents; null or left out: no balance.low events.")]
        public long? BalanceLowThresholdCents { get; init; }
    }

    internal sealed class Validator : AbstractValidator<Request>
    {
        public Validator() =>
            RuleFor(r => r.BalanceLowThresholdCents).InclusiveBetween(0, MaxThresholdCents)
                .WithMessage($"must be between 0 and {MaxThresholdCents} cents, or null for no balance.low events.");
    }

    public static async Task<ApiOk<Envelope<GetWebhookSettings.Response>>> Handle(
        ResellerCaller caller, Request request, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var mode = caller.Mode.WireName();
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO reseller.webhook_settings (reseller_id, mode, balance_low_threshold_cents, updated_at)
            VALUES ({caller.ResellerId}, {mode}, {request.BalanceLowThresholdCents}, {now})
            ON CONFLICT (reseller_id, mode) DO UPDATE SET balance_low_threshold_cents = EXCLUDED.balance_low_threshold_cents, updated_at = EXCLUDED.updated_at
            """, cancellationToken);
        return ApiResults.Ok(Envelope.Of(GetWebhookSettings.View(request.BalanceLowThresholdCents)));
    }
}
