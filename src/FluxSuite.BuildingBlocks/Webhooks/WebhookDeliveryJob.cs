using FluxSuite.BuildingBlocks.Scheduling;
using Hangfire;

namespace FluxSuite.BuildingBlocks.Webhooks;

/// <summary>A module's webhook tables: the schema the delivery job works in.</summary>
public sealed record WebhookStore(string Schema);

/// <summary>
/// Delivers the due webhooks of every module (every 10 seconds by default). Each firing runs on one
/// instance, but runs may overlap (a slow receiver, a trigger by hand, two instances): deliveries are
/// claimed with SKIP LOCKED, so runs share the work instead of repeating it. Not retried: the next firing
/// picks up what a failed run left.
/// </summary>
[AutomaticRetry(Attempts = 0)]
public sealed class WebhookDeliveryJob(WebhookDispatcher dispatcher, IEnumerable<WebhookStore> stores) : IRecurringJob
{
    public const string Id = "webhooks-delivery";
    public const string Queue = "webhooks";

    public Task RunAsync(CancellationToken cancellationToken) => DeliverDueAsync(cancellationToken);

    /// <summary>Delivers what is due in every module; returns how many attempts were made.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var attempts = 0;
        foreach (var store in stores)
        {
            attempts += await dispatcher.DeliverDueAsync(store.Schema, cancellationToken);
        }

        return attempts;
    }
}
