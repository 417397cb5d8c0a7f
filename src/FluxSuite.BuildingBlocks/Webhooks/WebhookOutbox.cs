using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.BuildingBlocks.Webhooks;

/// <summary>
/// Writes events to the outbox: for each change, one event row and a delivery per enabled endpoint of
/// its owner that takes its type, added to the caller's DbContext so they are saved in the caller's
/// transaction (with the change, or not at all). Owners without such an endpoint get no rows.
/// </summary>
public static class WebhookOutbox
{
    public static Task<int> AddAsync(
        DbContext db, string mode, string type, Guid ownerId, object data, JsonSerializerOptions json, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        AddAsync(db, mode, type, [data], _ => ownerId, d => d, json, now, cancellationToken);

    /// <summary>
    /// Adds an event per changed item (one query for all their owners' endpoints); <paramref name="dataOf"/>
    /// (the object as the API returns it) is built only for owners with an endpoint. Returns how many deliveries.
    /// </summary>
    public static async Task<int> AddAsync<T>(
        DbContext db, string mode, string type, IReadOnlyList<T> changes, Func<T, Guid> ownerOf, Func<T, object> dataOf,
        JsonSerializerOptions json, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(ownerOf);
        ArgumentNullException.ThrowIfNull(dataOf);
        if (changes.Count == 0)
        {
            return 0;
        }

        var owners = changes.Select(ownerOf).Distinct().ToList();
        var endpoints = await db.Set<WebhookEndpoint>().AsNoTracking()
            .Where(e => owners.Contains(e.OwnerId) && e.Mode == mode && e.Enabled && e.EventTypes.Contains(type))
            .Select(e => new { e.Id, e.OwnerId })
            .ToListAsync(cancellationToken);
        if (endpoints.Count == 0)
        {
            return 0;
        }

        var byOwner = endpoints.ToLookup(e => e.OwnerId, e => e.Id);
        var deliveries = 0;
        foreach (var change in changes)
        {
            var owner = ownerOf(change);
            if (!byOwner.Contains(owner))
            {
                continue;
            }

            var webhookEvent = NewEvent(owner, mode, type, dataOf(change), json, now);
            db.Add(webhookEvent);
            foreach (var endpointId in byOwner[owner])
            {
                db.Add(NewDelivery(webhookEvent.Id, endpointId, now));
                deliveries++;
            }
        }

        return deliveries;
    }

    public static WebhookEvent NewEvent(Guid ownerId, string mode, string type, object data, JsonSerializerOptions json, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OwnerId = ownerId,
        Mode = mode,
        Type = type,
        Payload = JsonSerializer.Serialize(
            new Envelope(type, now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), data), json),
        CreatedAt = now,
    };

    public static WebhookDelivery NewDelivery(Guid eventId, Guid endpointId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        EventId = eventId,
        EndpointId = endpointId,
        Status = WebhookStatuses.Pending,
        NextAttemptAt = now,
        DueSince = now,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>The shape Standard Webhooks recommends.</summary>
    private sealed record Envelope(
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("timestamp")] string Timestamp,
        [property: JsonPropertyName("data")] object Data);
}
