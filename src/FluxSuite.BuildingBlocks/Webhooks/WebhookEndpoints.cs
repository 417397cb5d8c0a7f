using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Paging;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.BuildingBlocks.Webhooks;

/// <summary>
/// What an owner does with its endpoints, the same in every module: the module's route handlers check
/// the caller, call these with the module's DbContext and answer in the module's envelope. An endpoint
/// of another owner (or the other mode) is a 404, never shown.
/// </summary>
public static class WebhookEndpoints
{
    public static async Task<CreatedWebhookEndpointResponse> CreateAsync(
        DbContext db, WebhookOwner owner, string url, string? description, IReadOnlyList<string> events, int maxEndpoints, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(events);
        if (await Owned(db, owner).CountAsync(cancellationToken) >= maxEndpoints)
        {
            throw new ApiErrorException(ApiError.Conflict($"An account may have at most {maxEndpoints} webhook endpoints; delete one first."));
        }

        var endpoint = new WebhookEndpoint
        {
            Id = Guid.CreateVersion7(now),
            OwnerId = owner.Id,
            Mode = owner.Mode,
            Url = url,
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
            EventTypes = [.. events.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Secret = WebhookSignature.NewSecret(),
            Enabled = true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Add(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedWebhookEndpointResponse(WebhookEndpointResponse.From(endpoint), endpoint.Secret);
    }

    public static async Task<IReadOnlyList<WebhookEndpointResponse>> ListAsync(DbContext db, WebhookOwner owner, CancellationToken cancellationToken) =>
        [.. (await Owned(db, owner).AsNoTracking().OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).ToListAsync(cancellationToken))
            .Select(WebhookEndpointResponse.From)];

    public static async Task<WebhookEndpointResponse> GetAsync(DbContext db, WebhookOwner owner, Guid id, CancellationToken cancellationToken) =>
        WebhookEndpointResponse.From(await FindAsync(db, owner, id, tracked: false, cancellationToken));

    /// <summary>Changes what is given (null: unchanged). Enabling an endpoint clears its failure record and the reason it was disabled.</summary>
    public static async Task<WebhookEndpointResponse> UpdateAsync(
        DbContext db, WebhookOwner owner, Guid id, string? url, string? description, IReadOnlyList<string>? events, bool? enabled, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var endpoint = await FindAsync(db, owner, id, tracked: true, cancellationToken);
        if (url is not null)
        {
            endpoint.Url = url;
        }

        if (description is not null)
        {
            endpoint.Description = description.Trim().Length == 0 ? null : description.Trim();
        }

        if (events is not null)
        {
            endpoint.EventTypes = [.. events.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }

        if (enabled is { } on && on != endpoint.Enabled)
        {
            endpoint.Enabled = on;
            if (on)
            {
                endpoint.DisabledReason = null;
                endpoint.FailingSince = null;
                endpoint.ConsecutiveFailures = 0;
            }
        }

        endpoint.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return WebhookEndpointResponse.From(endpoint);
    }

    /// <summary>Deletes the endpoint with its deliveries and their log.</summary>
    public static async Task DeleteAsync(DbContext db, WebhookOwner owner, Guid id, CancellationToken cancellationToken)
    {
        if (await Owned(db, owner).Where(e => e.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            throw NotFound(id);
        }
    }

    /// <summary>A new secret; deliveries are signed with it from now on.</summary>
    public static async Task<WebhookSecretResponse> RotateSecretAsync(DbContext db, WebhookOwner owner, Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var endpoint = await FindAsync(db, owner, id, tracked: true, cancellationToken);
        endpoint.Secret = WebhookSignature.NewSecret();
        endpoint.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return new WebhookSecretResponse(endpoint.Id, endpoint.Secret);
    }

    /// <summary>The endpoint's deliveries, newest first, each with its attempts.</summary>
    public static async Task<Page<WebhookDeliveryResponse>> DeliveriesAsync(
        DbContext db, WebhookOwner owner, Guid id, PageRequest page, CancellationToken cancellationToken)
    {
        await FindAsync(db, owner, id, tracked: false, cancellationToken);
        var deliveries = await db.Set<WebhookDelivery>().AsNoTracking().Where(d => d.EndpointId == id)
            .Include(d => d.Event).Include(d => d.AttemptLog)
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id)
            .AsSplitQuery()
            .ToPageAsync(page, cancellationToken);
        return deliveries.Map(WebhookDeliveryResponse.From);
    }

    /// <summary>Sends a delivery again, whatever became of it: due now, with a new give-up window. A delivery in flight is a 409.</summary>
    public static async Task<WebhookDeliveryResponse> RedeliverAsync(
        DbContext db, WebhookOwner owner, Guid id, Guid deliveryId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await FindAsync(db, owner, id, tracked: false, cancellationToken);
        var delivery = await db.Set<WebhookDelivery>().Include(d => d.Event).Include(d => d.AttemptLog)
            .FirstOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == id, cancellationToken)
            ?? throw new ApiErrorException(ApiError.NotFound($"No delivery with id {deliveryId} on webhook endpoint {id}."));
        if (delivery.LockedUntil > now)
        {
            throw new ApiErrorException(ApiError.Conflict($"Delivery {deliveryId} is being attempted now; ask again when the attempt is over."));
        }

        delivery.Status = WebhookStatuses.Pending;
        delivery.NextAttemptAt = delivery.DueSince = delivery.UpdatedAt = now;
        delivery.LockedUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        return WebhookDeliveryResponse.From(delivery);
    }

    /// <summary>Queues a <c>webhook.test</c> event for this endpoint alone (it need not take that type).</summary>
    public static async Task<WebhookDeliveryResponse> SendTestAsync(
        DbContext db, WebhookOwner owner, Guid id, JsonSerializerOptions json, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var endpoint = await FindAsync(db, owner, id, tracked: false, cancellationToken);
        var data = new Dictionary<string, object> { ["endpoint_id"] = endpoint.Id, ["message"] = "A test event from FluxSuite." };
        var webhookEvent = WebhookOutbox.NewEvent(owner.Id, owner.Mode, WebhookMessages.TestEventType, data, json, now);
        var delivery = WebhookOutbox.NewDelivery(webhookEvent.Id, endpoint.Id, now);
        delivery.Event = webhookEvent;
        db.Add(webhookEvent);
        db.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        return WebhookDeliveryResponse.From(delivery);
    }

    /// <summary>The operator view: every endpoint of the module, its owner and its health, failing ones first.</summary>
    public static async Task<IReadOnlyList<OperatorWebhookEndpointResponse>> AllAsync(DbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var endpoints = await db.Set<WebhookEndpoint>().AsNoTracking()
            .OrderByDescending(e => e.ConsecutiveFailures).ThenBy(e => e.CreatedAt).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        var pending = await db.Set<WebhookDelivery>().Where(d => d.Status == WebhookStatuses.Pending)
            .GroupBy(d => d.EndpointId).Select(g => new { EndpointId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.EndpointId, g => g.Count, cancellationToken);
        return [.. endpoints.Select(e => new OperatorWebhookEndpointResponse(e, pending.GetValueOrDefault(e.Id)))];
    }

    private static IQueryable<WebhookEndpoint> Owned(DbContext db, WebhookOwner owner)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Set<WebhookEndpoint>().Where(e => e.OwnerId == owner.Id && e.Mode == owner.Mode);
    }

    private static async Task<WebhookEndpoint> FindAsync(DbContext db, WebhookOwner owner, Guid id, bool tracked, CancellationToken cancellationToken)
    {
        var endpoints = Owned(db, owner);
        return await (tracked ? endpoints : endpoints.AsNoTracking()).FirstOrDefaultAsync(e => e.Id == id, cancellationToken)
               ?? throw NotFound(id);
    }

    private static ApiErrorException NotFound(Guid id) => new(ApiError.NotFound($"No webhook endpoint with id {id}."));
}
