using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using Npgsql;
using NpgsqlTypes;

namespace FluxSuite.Metering.Usage;

/// <summary>What happened to one event.</summary>
internal enum EventOutcome
{
    Accepted,
    Duplicate,
    MeterNotFound,
    CustomerNotFound,
    PropertyMissing,
    IdempotencyConflict,
}

internal sealed record WrittenEvent(ValidEvent Event, EventOutcome Outcome, Guid? EventId, DateTimeOffset? Timestamp, string? PropertyName);

/// <summary>The key's verdict and each event's outcome.</summary>
internal sealed record WriteResult(Guid? OrganizationId, bool CanWrite, IReadOnlyList<WrittenEvent> Events);

/// <summary>
/// The hot path. One statement, one round trip, prepared once per connection: it finds the API key by
/// its hash (and notes its use), resolves every event's meter token and customer inside the key's
/// organization, and inserts the events that resolved — skipping any whose idempotency key the
/// organization already used. It commits before the caller answers. Only when an idempotency key
/// collided does a second query read the stored events, to tell a retry (same payload: duplicate)
/// from a different event (conflict).
/// </summary>
internal sealed class EventWriter(SdkDataSource sdkDataSource)
{
    private const string WriteSql =
        $"""
        WITH {ApiKeyLookup.KeyCte},
        input AS (
            SELECT * FROM unnest($3::int[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::bytea[], $9::numeric[], $10::jsonb[], $11::timestamptz[], $12::timestamptz[])
                AS i(idx, id, meter_token, external_id, idempotency_key, payload_hash, quantity, properties, ts, received_at)),
        resolved AS (
            SELECT i.*, k.organization_id, m.meter_id, m.property_name, c.id AS customer_id,
                   (m.aggregation_type IS DISTINCT FROM 'UNIQUE_COUNT'
                    OR jsonb_typeof(i.properties -> m.property_name) IN ('string', 'number', 'boolean')) AS property_ok
            FROM input i
            JOIN k ON 'usage.write' = ANY(k.scopes)
            LEFT JOIN metering.features m
                   ON m.meter_token = i.meter_token AND m.organization_id = k.organization_id AND m.archived_at IS NULL
            LEFT JOIN metering.customers c ON c.organization_id = k.organization_id AND c.external_id = i.external_id),
        inserted AS (
            INSERT INTO metering.events (id, organization_id, meter_id, customer_id, idempotency_key, payload_hash, quantity, properties, "timestamp", received_at)
            SELECT id, organization_id, meter_id, customer_id, idempotency_key, payload_hash, quantity, properties, ts, received_at
            FROM resolved
            WHERE meter_id IS NOT NULL AND customer_id IS NOT NULL AND property_ok
            ORDER BY idx
            ON CONFLICT (organization_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
            RETURNING id)
        SELECT -1, k.organization_id, 'usage.write' = ANY(k.scopes), false, false, false, NULL::text, false
        FROM (SELECT 1) one LEFT JOIN k ON true
        UNION ALL
        SELECT r.idx, NULL, NULL, r.meter_id IS NOT NULL, r.customer_id IS NOT NULL, r.property_ok, r.property_name, x.id IS NOT NULL
        FROM resolved r LEFT JOIN inserted x ON x.id = r.id
        """;

    private const string StoredSql =
        """
        SELECT idempotency_key, id, payload_hash, "timestamp" FROM metering.events
        WHERE organization_id = $1 AND idempotency_key = ANY($2) AND idempotency_key IS NOT NULL
        """;

    public async Task<WriteResult> WriteAsync(string presentedKey, IReadOnlyList<ValidEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await sdkDataSource.Source.OpenConnectionAsync(cancellationToken);
        Guid? organizationId = null;
        var canWrite = false;
        var rows = new Dictionary<int, (bool Meter, bool Customer, bool PropertyOk, string? PropertyName, bool Inserted)>(events.Count);
        await using (var command = new NpgsqlCommand(WriteSql, connection))
        {
            var p = command.Parameters;
            p.Add(new NpgsqlParameter<string> { TypedValue = KeyHash.Sha256Hex(presentedKey) });
            p.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = events.Max(e => e.ReceivedAt) });
            p.Add(new NpgsqlParameter<int[]> { TypedValue = [.. events.Select(e => e.Index)] });
            p.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. events.Select(e => e.Id)] });
            p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.MeterToken)] });
            p.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.CustomerExternalId)] });
            p.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. events.Select(e => e.IdempotencyKey)] });
            p.Add(new NpgsqlParameter<byte[][]> { TypedValue = [.. events.Select(e => e.PayloadHash)] });
            p.Add(new NpgsqlParameter<decimal[]> { TypedValue = [.. events.Select(e => e.Quantity)] });
            p.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. events.Select(e => e.Properties)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
            p.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. events.Select(e => e.Timestamp)] });
            p.Add(new NpgsqlParameter<DateTimeOffset[]> { TypedValue = [.. events.Select(e => e.ReceivedAt)] });
            await command.PrepareAsync(cancellationToken);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var index = reader.GetInt32(0);
                if (index < 0)
                {
                    organizationId = reader.IsDBNull(1) ? null : reader.GetGuid(1);
                    canWrite = !reader.IsDBNull(2) && reader.GetBoolean(2);
                    continue;
                }

                rows[index] = (reader.GetBoolean(3), reader.GetBoolean(4), !reader.IsDBNull(5) && reader.GetBoolean(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetBoolean(7));
            }
        }

        if (organizationId is not { } organization || !canWrite)
        {
            return new WriteResult(organizationId, canWrite, []);
        }

        var written = new List<WrittenEvent>(events.Count);
        var collided = new List<ValidEvent>();
        foreach (var e in events)
        {
            var row = rows[e.Index];
            var outcome = !row.Meter ? EventOutcome.MeterNotFound
                : !row.Customer ? EventOutcome.CustomerNotFound
                : !row.PropertyOk ? EventOutcome.PropertyMissing
                : row.Inserted ? EventOutcome.Accepted
                : EventOutcome.Duplicate;
            if (outcome == EventOutcome.Duplicate)
            {
                collided.Add(e);
                continue;
            }

            written.Add(new WrittenEvent(e, outcome, outcome == EventOutcome.Accepted ? e.Id : null,
                outcome == EventOutcome.Accepted ? e.Timestamp : null, row.PropertyName));
        }

        if (collided.Count > 0)
        {
            written.AddRange(await ResolveCollisionsAsync(connection, organization, collided, cancellationToken));
        }

        written.Sort((a, b) => a.Event.Index.CompareTo(b.Event.Index));
        return new WriteResult(organizationId, canWrite, written);
    }

    /// <summary>Events whose idempotency key was taken: the same payload is a duplicate of the stored event, another is a conflict.</summary>
    private static async Task<IEnumerable<WrittenEvent>> ResolveCollisionsAsync(
        NpgsqlConnection connection, Guid organizationId, List<ValidEvent> collided, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, (Guid Id, byte[] Hash, DateTimeOffset Timestamp)>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(StoredSql, connection))
        {
            command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = organizationId });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. collided.Select(e => e.IdempotencyKey!).Distinct(StringComparer.Ordinal)] });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                stored[reader.GetString(0)] = (reader.GetGuid(1), reader.GetFieldValue<byte[]>(2), reader.GetFieldValue<DateTimeOffset>(3));
            }
        }

        return collided.Select(e =>
        {
            if (!stored.TryGetValue(e.IdempotencyKey!, out var first))
            {
                // Not reachable unless the first insert was rolled back after the conflict was seen; report it as a conflict to retry.
                return new WrittenEvent(e, EventOutcome.IdempotencyConflict, null, null, null);
            }

            return first.Hash.AsSpan().SequenceEqual(e.PayloadHash)
                ? new WrittenEvent(e, EventOutcome.Duplicate, first.Id, first.Timestamp, null)
                : new WrittenEvent(e, EventOutcome.IdempotencyConflict, first.Id, null, null);
        });
    }

    /// <summary>The problem an outcome stands for (null when the event was stored or is a duplicate of a stored one).</summary>
    public static EventProblem? Problem(WrittenEvent written, string fieldPrefix = "") => written.Outcome switch
    {
        EventOutcome.MeterNotFound => new EventProblem(StatusCodes.Status404NotFound, Problems.MeterNotFound,
            $"No active meter with meter_token '{written.Event.MeterToken}' in this organization.", fieldPrefix + "meter_token"),
        EventOutcome.CustomerNotFound => new EventProblem(StatusCodes.Status404NotFound, Problems.CustomerNotFound,
            $"No customer with external_id '{written.Event.CustomerExternalId}' in this organization: create it with POST /customers first.",
            fieldPrefix + "customer_external_id"),
        EventOutcome.PropertyMissing => EventProblem.Invalid($"{fieldPrefix}properties.{written.PropertyName}",
            "is required: the meter counts the distinct values of this property (UNIQUE_COUNT)."),
        EventOutcome.IdempotencyConflict => new EventProblem(StatusCodes.Status409Conflict, Problems.IdempotencyConflict,
            $"idempotency_key '{written.Event.IdempotencyKey}' was already used for a different event (event {written.EventId}).",
            fieldPrefix + "idempotency_key"),
        _ => null,
    };
}
