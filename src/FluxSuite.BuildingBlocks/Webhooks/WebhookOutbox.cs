using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

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
        // The endpoints SubscribedEndpointsSql finds for one owner.
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

    /// <summary>
    /// For a statement of its own (a fixed text, prepared once per connection): the ids of the enabled endpoints in
    /// <paramref name="schema"/> of the owner <paramref name="owner"/> in mode <paramref name="mode"/> that take the type
    /// <paramref name="type"/> (each a parameter such as <c>$1</c>), as a <c>uuid[]</c>: the endpoints <see cref="AddAsync{T}"/> reads with EF.
    /// </summary>
    public static string SubscribedEndpointsSql(string schema, string owner, string mode, string type) =>
        $"ARRAY(SELECT e.id FROM {schema}.webhook_endpoints e WHERE e.owner_id = {owner} AND e.mode = {mode} AND e.enabled AND {type} = ANY (e.event_types))";

    /// <summary>
    /// The text of <see cref="InsertCommand"/> for <paramref name="schema"/>: one event and a pending delivery per endpoint,
    /// in one statement (the rows <see cref="NewEvent"/> and <see cref="NewDelivery"/> make for EF).
    /// </summary>
    public static string InsertSql(string schema) => $"""
        WITH e AS (
            INSERT INTO {schema}.webhook_events (id, owner_id, mode, type, payload, created_at) VALUES ($1, $2, $3, $4, $5, $6))
        INSERT INTO {schema}.webhook_deliveries
            (id, event_id, endpoint_id, status, attempts, next_attempt_at, due_since, created_at, updated_at)
        SELECT d.id, $1, d.endpoint_id, '{WebhookStatuses.Pending}', 0, $6, $6, $6, $6
        FROM unnest($7::uuid[], $8::uuid[]) AS d(id, endpoint_id)
        """;

    /// <summary>
    /// <paramref name="webhookEvent"/> (from <see cref="NewEvent"/>) and its deliveries to <paramref name="endpointIds"/>
    /// as one statement of <see cref="InsertSql"/>'s text <paramref name="sql"/>, for a batch in the caller's transaction.
    /// </summary>
    public static NpgsqlBatchCommand InsertCommand(string sql, WebhookEvent webhookEvent, IReadOnlyList<Guid> endpointIds)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        ArgumentNullException.ThrowIfNull(endpointIds);
        var now = webhookEvent.CreatedAt;
        return new NpgsqlBatchCommand(sql)
        {
            Parameters =
            {
                new NpgsqlParameter<Guid> { TypedValue = webhookEvent.Id },
                new NpgsqlParameter<Guid> { TypedValue = webhookEvent.OwnerId },
                new NpgsqlParameter<string> { TypedValue = webhookEvent.Mode, NpgsqlDbType = NpgsqlDbType.Varchar },
                new NpgsqlParameter<string> { TypedValue = webhookEvent.Type, NpgsqlDbType = NpgsqlDbType.Varchar },
                new NpgsqlParameter<string> { TypedValue = webhookEvent.Payload, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter<DateTimeOffset> { TypedValue = now, NpgsqlDbType = NpgsqlDbType.TimestampTz },
                new NpgsqlParameter<Guid[]> { TypedValue = [.. endpointIds.Select(e => NewDelivery(webhookEvent.Id, e, now).Id)] },
                new NpgsqlParameter<Guid[]> { TypedValue = [.. endpointIds] },
            },
        };
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
