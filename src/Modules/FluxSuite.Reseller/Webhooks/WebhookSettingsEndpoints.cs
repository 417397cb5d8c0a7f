using System.ComponentModel;
using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Webhooks;

/// <summary>
/// <c>GET</c> and <c>PUT /webhooks/settings</c> <c>{balance_low_threshold_cents}</c>: the balance below which
/// <c>balance.low</c> is sent (null: never), per mode like the balance itself.
/// </summary>
internal static class WebhookSettingsEndpoints
{
    /// <summary>As high as a top-up may go.</summary>
    public const long MaxThresholdCents = 100_000_000_00;

    internal sealed record Response(
        [property: JsonPropertyName("balance_low_threshold_cents")] long? BalanceLowThresholdCents,
        [property: JsonPropertyName("balance_low_threshold_formatted")] string? BalanceLowThresholdFormatted);

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

    public static async Task<Ok<Envelope<Response>>> Get(ResellerCaller caller, ResellerDbContext db, CancellationToken cancellationToken)
    {
        var mode = caller.Mode.WireName();
        var threshold = await db.Set<WebhookSettings>().AsNoTracking()
            .Where(s => s.ResellerId == caller.ResellerId && s.Mode == mode)
            .Select(s => s.BalanceLowThresholdCents).FirstOrDefaultAsync(cancellationToken);
        return TypedResults.Ok(Envelope.Of(View(threshold)));
    }

    public static async Task<Ok<Envelope<Response>>> Put(
        ResellerCaller caller, Request request, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var mode = caller.Mode.WireName();
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO reseller.webhook_settings (reseller_id, mode, balance_low_threshold_cents, updated_at)
            VALUES ({caller.ResellerId}, {mode}, {request.BalanceLowThresholdCents}, {now})
            ON CONFLICT (reseller_id, mode) DO UPDATE SET balance_low_threshold_cents = EXCLUDED.balance_low_threshold_cents, updated_at = EXCLUDED.updated_at
            """, cancellationToken);
        return TypedResults.Ok(Envelope.Of(View(request.BalanceLowThresholdCents)));
    }

    private static Response View(long? threshold) => new(threshold, threshold is { } cents ? Money.Format(cents) : null);
}
