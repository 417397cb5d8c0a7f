using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Invoices;
using FluxSuite.Metering.Subscriptions;

namespace FluxSuite.Metering.Webhooks;

/// <summary>
/// The events Metering reports, and the one way its code writes them: to the outbox through the
/// module's DbContext, in the transaction of the change (the caller saves). Each carries the object as
/// the API returns it, in the module's wire format.
/// </summary>
internal static class MeteringWebhookEvents
{
    /// <summary>An organization has no sandbox: every endpoint and event is <c>live</c>.</summary>
    public const string Mode = "live";

    public const string InvoiceCreated = "invoice.created";
    public const string InvoiceFinalized = "invoice.finalized";
    public const string InvoicePaid = "invoice.paid";
    public const string InvoiceVoided = "invoice.voided";
    public const string SubscriptionCreated = "subscription.created";
    public const string SubscriptionCanceled = "subscription.canceled";

    public static readonly string[] All =
        [InvoiceCreated, InvoiceFinalized, InvoicePaid, InvoiceVoided, SubscriptionCreated, SubscriptionCanceled];

    public static WebhookOwner Owner(Guid organizationId) => new(organizationId, Mode);

    /// <summary>Adds an event per invoice (DRAFT created, OPEN finalized, …); returns how many deliveries.</summary>
    public static Task<int> AddInvoicesAsync(
        MeteringDbContext db, string type, IEnumerable<Invoice> invoices, IReadOnlyDictionary<Guid, InvoiceEmail> emails, TimeSpan gracePeriod,
        DateTimeOffset now, CancellationToken cancellationToken) =>
        WebhookOutbox.AddAsync(db, Mode, type, [.. invoices], i => i.OrganizationId,
            i => InvoiceResponse.From(i, emails.GetValueOrDefault(i.Id), gracePeriod), MeteringJson.Options, now, cancellationToken);

    /// <summary>Adds one invoice's event with the invoice as the routes answer it now (its email included).</summary>
    public static async Task<int> AddInvoiceAsync(
        MeteringDbContext db, string type, Invoice invoice, TimeSpan gracePeriod, DateTimeOffset now, CancellationToken cancellationToken) =>
        await WebhookOutbox.AddAsync(db, Mode, type, invoice.OrganizationId,
            await InvoiceReads.ResponseAsync(db, invoice, gracePeriod, cancellationToken), MeteringJson.Options, now, cancellationToken);

    public static Task<int> AddSubscriptionAsync(
        MeteringDbContext db, string type, Subscription subscription, DateTimeOffset now, CancellationToken cancellationToken) =>
        WebhookOutbox.AddAsync(db, Mode, type, subscription.OrganizationId, SubscriptionResponse.From(subscription, now),
            MeteringJson.Options, now, cancellationToken);
}
