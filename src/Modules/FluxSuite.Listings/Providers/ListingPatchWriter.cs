using System.Collections.Concurrent;
using System.Text.Json;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Listings.Api;
using FluxSuite.Listings.Keys;
using Npgsql;
using NpgsqlTypes;

namespace FluxSuite.Listings.Providers;

/// <summary>What one patch did: the listing as it now is, and the fields whose value changed.</summary>
internal sealed record PatchWrite(Provider Provider, IReadOnlyList<string> ChangedFields);

/// <summary>
/// What a provider's push did when its key was checked by the same statement: the key's verdict, and the
/// write when the key is an active key of the listing the route names (null also when there is no such listing).
/// </summary>
internal sealed record KeyedPatchWrite(ProviderKeyVerdict Key, PatchWrite? Write);

/// <summary>A provider's push to write: the hash of the key it came with, the listing its route names, its checked patch and when it came.</summary>
internal sealed record KeyedPush(string KeyHash, string Slug, ListingPatch Patch, DateTimeOffset Now);

/// <summary>
/// Applies a checked patch to one listing in one statement, run in autocommit: one round trip where
/// reading, tracking and saving the listing through EF took three and a commit. The statement locks the
/// row (<c>FOR UPDATE</c>), so concurrent writers take turns and each compares and writes against the
/// latest committed row (in READ COMMITTED the lock waits and then reads the newest version, and the
/// update in the same statement follows it): writes of different fields never undo each other. A field
/// given its current value changes nothing (PostgreSQL's <c>IS DISTINCT FROM</c>: numbers by value, so
/// 10 and 10.0 are the same; lists and tiers element by element, in order). Only changed fields are
/// written and get a history row, and <c>updated_at</c> moves only when one did; push stamps
/// <c>last_push_at</c> and every patched field in <c>pushed_fields</c>.
/// </summary>
/// <remarks>
/// The statement has the shape of the patch's set of fields: each field of the set a position in the body and a
/// value, every other field left out, so PostgreSQL starts and runs expressions for the fields a patch sends and
/// not for all of them (starting the executor for the statement of every field was a fifth of PostgreSQL's time per
/// push, docs/performance.md). A provider's integration sends the same few sets again and again, so each set's text
/// is made once and prepared once per connection when the pool's sessions are its own (<see cref="PooledSessions"/>).
/// The texts are bounded: past <see cref="MaxShapes"/> sets, a patch of a new set runs the statement of every field
/// (a position null when the patch leaves the field alone), one text too.
/// Pull keeps <see cref="ListingWriter"/>: it decides per field from the locked row and writes its
/// source's state in the same transaction.
/// A provider's push may carry its key check (<see cref="ApplyWithKeyAsync"/>, docs/listings.md): the same
/// statement then finds the active key by its hash and locks it (a revoke waits for the push, and a push
/// after a revoke finds no key), records the key's use as the authentication handler does, and writes only when
/// the key's listing is the one the route names; otherwise it writes nothing and says why.
/// </remarks>
internal sealed class ListingPatchWriter(PooledStatements statements, TimeProvider clock)
{
    private static readonly IReadOnlyList<StoredField> Columns = [.. ListingFields.All.Select(StoredField.Of)];

    /// <summary>How many sets of fields get a statement of their own (each set two texts, with and without the key).</summary>
    public const int MaxShapes = 64;

    private static readonly int[] AllColumns = [.. Enumerable.Range(0, Columns.Count)];

    // $1 the listing's id (or the key's hash), $2 now, $3 source, $4 push, $5 the pushed fields' times; with the
    // key, $6 the route's slug and $7 the time before which the key's last use is written again; then per field
    // its position and value.
    private const int HeadParameters = 5;
    private const int KeyParameters = 2;

    private static readonly Shape EveryField = new(AllColumns, BuildSql(withKey: false, AllColumns), BuildSql(withKey: true, AllColumns));

    private readonly ConcurrentDictionary<ulong, Shape> _shapes = new();

    /// <summary>Applies <paramref name="patch"/> on behalf of <paramref name="source"/>; null when there is no such listing.</summary>
    public async Task<PatchWrite?> ApplyAsync(Guid providerId, ListingPatch patch, string source, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var shape = ShapeOf(patch);
        var parameters = Parameters(shape, new NpgsqlParameter { Value = providerId, NpgsqlDbType = NpgsqlDbType.Uuid }, null, now, patch, source);
        await using var reader = await statements.ExecuteReaderAsync(shape.ByIdSql, parameters, cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? await ReadWriteAsync(reader, 0, shape, patch, source, now, cancellationToken) : null;
    }

    /// <summary>
    /// Applies a provider's <paramref name="push"/> to the listing its slug names, in the statement that checks the key whose
    /// SHA-256 hex digest it carries, committed on its own: one round trip for the key and the write.
    /// </summary>
    public async Task<KeyedPatchWrite> ApplyWithKeyAsync(KeyedPush push, CancellationToken cancellationToken)
    {
        var (shape, parameters) = Keyed(push);
        await using var reader = await statements.ExecuteReaderAsync(shape.WithKeySql, parameters, cancellationToken);
        return await ReadKeyedAsync(reader, shape, push, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="pushes"/> in one transaction, each by its own statement in the given order, committed by the
    /// last statement of the same round trip: every push is written, or none is (a statement that fails rolls them all back).
    /// The answers are returned once the commit is done.
    /// </summary>
    public async Task<KeyedPatchWrite[]> ApplyWithKeysAsync(IReadOnlyList<KeyedPush> pushes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pushes);
        var commands = pushes.Select(Keyed).ToArray();
        return await statements.ExecuteCommittedAsync(
            [.. commands.Select(c =>
            {
                var command = new NpgsqlBatchCommand(c.Shape.WithKeySql);
                command.Parameters.AddRange(c.Parameters);
                return command;
            })],
            async (reader, token) =>
            {
                var writes = new KeyedPatchWrite[pushes.Count];
                for (var i = 0; i < writes.Length; i++)
                {
                    if (i > 0 && !await reader.NextResultAsync(token))
                    {
                        throw new InvalidOperationException($"The pushes' batch ended after {i} of its {writes.Length} statements.");
                    }

                    writes[i] = await ReadKeyedAsync(reader, commands[i].Shape, pushes[i], token);
                }

                return writes;
            },
            cancellationToken);
    }

    private (Shape Shape, NpgsqlParameter[] Parameters) Keyed(KeyedPush push)
    {
        var shape = ShapeOf(push.Patch);
        return (shape, Parameters(
            shape,
            new NpgsqlParameter { Value = push.KeyHash, NpgsqlDbType = NpgsqlDbType.Varchar },
            [new NpgsqlParameter { Value = push.Slug, NpgsqlDbType = NpgsqlDbType.Text },
             new NpgsqlParameter { Value = push.Now - KeyLastUse.Resolution, NpgsqlDbType = NpgsqlDbType.TimestampTz }],
            push.Now, push.Patch, ChangeSource.Push));
    }

    // The statement's one row: the key's verdict first (null when no active key has the hash), then the listing if written.
    private static async Task<KeyedPatchWrite> ReadKeyedAsync(NpgsqlDataReader reader, Shape shape, KeyedPush push, CancellationToken cancellationToken)
    {
        await reader.ReadAsync(cancellationToken);
        if (await reader.IsDBNullAsync(0, cancellationToken))
        {
            return new KeyedPatchWrite(ProviderKeyVerdict.Unknown, null);
        }

        if (!reader.GetBoolean(0))
        {
            return new KeyedPatchWrite(ProviderKeyVerdict.OtherProvider, null);
        }

        return new KeyedPatchWrite(
            ProviderKeyVerdict.Valid,
            await reader.IsDBNullAsync(1, cancellationToken)
                ? null
                : await ReadWriteAsync(reader, 1, shape, push.Patch, ChangeSource.Push, push.Now, cancellationToken));
    }

    /// <summary>
    /// The statement for <paramref name="patch"/>'s set of fields: made on first use, or the statement of every field once
    /// <see cref="MaxShapes"/> sets have one (and for a patch of no field).
    /// </summary>
    private Shape ShapeOf(ListingPatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var mask = 0UL;
        foreach (var (field, _) in patch.Values)
        {
            mask |= 1UL << IndexOf(field);
        }

        if (mask == 0)
        {
            return EveryField;
        }

        if (_shapes.TryGetValue(mask, out var shape))
        {
            return shape;
        }

        if (_shapes.Count >= MaxShapes)
        {
            return EveryField;
        }

        int[] columns = [.. AllColumns.Where(i => (mask & (1UL << i)) != 0)];
        return _shapes.GetOrAdd(mask, new Shape(columns, BuildSql(withKey: false, columns), BuildSql(withKey: true, columns)));
    }

    private static NpgsqlParameter[] Parameters(
        Shape shape, NpgsqlParameter target, NpgsqlParameter[]? key, DateTimeOffset now, ListingPatch patch, string source)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var push = source == ChangeSource.Push;
        var positions = new int?[Columns.Count];
        var values = new object?[Columns.Count];
        Dictionary<string, DateTimeOffset>? pushed = push ? new(StringComparer.Ordinal) : null;
        for (var i = 0; i < patch.Values.Count; i++)
        {
            var (field, value) = patch.Values[i];
            var index = IndexOf(field);
            positions[index] = i;
            values[index] = value;
            pushed?.Add(field.Name, now);
        }

        var parameters = new List<NpgsqlParameter>(HeadParameters + KeyParameters + (2 * shape.Columns.Length));
        parameters.Add(target);
        parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(new NpgsqlParameter { Value = source, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = push, NpgsqlDbType = NpgsqlDbType.Boolean });
        parameters.Add(new NpgsqlParameter
        {
            Value = pushed is null ? DBNull.Value : JsonSerializer.Serialize(pushed, ListingsJson.Options),
            NpgsqlDbType = NpgsqlDbType.Jsonb,
        });
        parameters.AddRange(key ?? []);
        foreach (var i in shape.Columns)
        {
            var column = Columns[i];
            parameters.Add(new NpgsqlParameter { Value = positions[i] is { } position ? position : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            parameters.Add(new NpgsqlParameter
            {
                Value = positions[i] is null || values[i] is null ? DBNull.Value : column.ToParameter(values[i]!),
                NpgsqlDbType = column.Type,
            });
        }

        return [.. parameters];
    }

    /// <summary>The listing and its changed fields from the statement's row, whose columns start at <paramref name="first"/>.</summary>
    private static async Task<PatchWrite> ReadWriteAsync(
        NpgsqlDataReader reader, int first, Shape shape, ListingPatch patch, string source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The row as it was when locked; the patch's values are laid over it where they changed it, so
        // the listing returned holds each value as the patch gave it.
        var provider = new Provider { Id = reader.GetGuid(first) };
        for (var i = 0; i < Columns.Count; i++)
        {
            var column = Columns[i];
            var ordinal = first + i + 1;
            column.Field.Set(provider, await reader.IsDBNullAsync(ordinal, cancellationToken) ? column.Empty : column.Read(reader, ordinal));
        }

        var next = first + Columns.Count + 1;
        provider.CreatedAt = reader.GetFieldValue<DateTimeOffset>(next);
        provider.UpdatedAt = reader.GetFieldValue<DateTimeOffset>(next + 1);
        provider.LastPushAt = await reader.IsDBNullAsync(next + 2, cancellationToken) ? null : reader.GetFieldValue<DateTimeOffset>(next + 2);
        provider.LastPullAt = await reader.IsDBNullAsync(next + 3, cancellationToken) ? null : reader.GetFieldValue<DateTimeOffset>(next + 3);
        provider.PushedFields = JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(reader.GetString(next + 4), ListingsJson.Options)!;

        var changed = new List<string>();
        foreach (var (field, value) in patch.Values)
        {
            // The statement's flags follow the row, one per field of its shape, in the shape's order.
            if (reader.GetBoolean(next + 5 + Array.IndexOf(shape.Columns, IndexOf(field))))
            {
                field.Set(provider, value);
                changed.Add(field.Name);
            }
        }

        if (changed.Count > 0)
        {
            provider.UpdatedAt = now;
        }

        if (source == ChangeSource.Push)
        {
            provider.LastPushAt = now;
            foreach (var (field, _) in patch.Values)
            {
                provider.PushedFields[field.Name] = now;
            }
        }

        return new PatchWrite(provider, changed);
    }

    private static int IndexOf(ListingField field)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (ReferenceEquals(Columns[i].Field, field))
            {
                return i;
            }
        }

        throw new ArgumentException($"{field.Name} is not a listing field.", nameof(field));
    }

    /// <summary>The statement for the fields <paramref name="shape"/> names (indexes into <see cref="Columns"/>, in order).</summary>
    private static string BuildSql(bool withKey, int[] shape)
    {
        var firstField = HeadParameters + (withKey ? KeyParameters : 0) + 1;
        string Position(int i) => $"${firstField + (2 * i)}";
        string Value(int i) => $"${firstField + (2 * i) + 1}";
        string Changed(int i) => $"changed_{i}";

        var patched = shape.Select(i => Columns[i]).ToList();
        var columns = string.Join(", ", Columns.Select(c => c.Name));
        var flags = string.Join(",\n        ", patched.Select((c, i) => $"({Position(i)} IS NOT NULL AND old.{c.Name} IS DISTINCT FROM {Value(i)}) AS {Changed(i)}"));
        var sets = string.Join(",\n        ", patched.Select((c, i) => $"{c.Name} = CASE WHEN x.{Changed(i)} THEN {Value(i)} ELSE p.{c.Name} END"));
        var anyChanged = string.Join(" OR ", patched.Select((_, i) => $"x.{Changed(i)}"));
        var history = string.Join(",\n        ", patched.Select((c, i) =>
            $"({Position(i)}, '{c.Field.Name}', x.{Changed(i)}, to_jsonb(x.{c.Name}), to_jsonb({Value(i)}))"));

        // With the key: the active key of that hash, locked, so that a revoke committed before this statement locks it
        // leaves no key (the lock waits for it, then reads the revoked row) and a revoke that comes later waits for this
        // write's commit. FOR NO KEY UPDATE, not FOR SHARE: the statement may write the key's last use, and two pushes
        // holding it shared would each wait for the other to let go before writing. Pushes with one key take turns on
        // it, as they do on the listing. The use is recorded as KeyLastUse.RecordAsync does (the condition in the
        // statement, so concurrent requests write it once); the listing is locked only when it is the key's and the
        // route's, after the key, in the order every push takes them.
        var head = withKey
            ? """
                WITH key AS (
                    SELECT k.id, k.provider_id, p.slug = $6 AS owns
                    FROM listings.provider_keys k JOIN listings.providers p ON p.id = k.provider_id
                    WHERE k.key_hash = $1 AND k.revoked_at IS NULL
                    LIMIT 1
                    FOR NO KEY UPDATE OF k),
                used AS (
                    UPDATE listings.provider_keys k SET last_used_at = $2
                    FROM key
                    WHERE k.id = key.id AND (k.last_used_at IS NULL OR k.last_used_at < $7)),
                """
            : "WITH ";
        var target = withKey ? "(SELECT provider_id FROM key WHERE owns)" : "$1";
        var result = withKey
            ? "SELECT key.owns, x.* FROM (VALUES (1)) AS one (n) LEFT JOIN key ON true LEFT JOIN x ON true"
            : "SELECT * FROM x";

        return $"""
            {head}old AS (
                SELECT id, {columns}, created_at, updated_at, last_push_at, last_pull_at, pushed_fields
                FROM listings.providers WHERE id = {target} FOR UPDATE),
            x AS (
                SELECT old.*,
                    {flags}
                FROM old),
            updated AS (
                UPDATE listings.providers p SET
                    {sets},
                    updated_at = CASE WHEN {anyChanged} THEN $2 ELSE p.updated_at END,
                    last_push_at = CASE WHEN $4 THEN $2 ELSE p.last_push_at END,
                    pushed_fields = CASE WHEN $4 THEN p.pushed_fields || $5 ELSE p.pushed_fields END
                FROM x
                WHERE p.id = x.id AND ($4 OR {anyChanged})),
            history AS (
                INSERT INTO listings.listing_changes (provider_id, field, old_value, new_value, source, changed_at)
                SELECT x.id, c.field, c.old_value, c.new_value, $3, $2
                FROM x CROSS JOIN LATERAL (VALUES
                    {history}) AS c(position, field, changed, old_value, new_value)
                WHERE c.changed
                ORDER BY c.position)
            {result}
            """;
    }

    /// <summary>The statements for one set of fields: their indexes into <see cref="Columns"/>, in order, and its two texts.</summary>
    private sealed record Shape(int[] Columns, string ByIdSql, string WithKeySql);

    /// <summary>How one field is stored: its column, its parameter type, and how a value goes in and comes out.</summary>
    private sealed record StoredField(
        ListingField Field, string Name, NpgsqlDbType Type, Func<object, object> ToParameter, Func<NpgsqlDataReader, int, object?> Read, object? Empty)
    {
        public static StoredField Of(ListingField field)
        {
            var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(field.Property.Name);
            var type = Nullable.GetUnderlyingType(field.Property.PropertyType) ?? field.Property.PropertyType;
            return type switch
            {
                _ when type == typeof(string) => new(field, name, NpgsqlDbType.Text, v => v, (r, i) => r.GetString(i), null),
                _ when type == typeof(int) => new(field, name, NpgsqlDbType.Integer, v => v, (r, i) => r.GetInt32(i), null),
                _ when type == typeof(decimal) => new(field, name, NpgsqlDbType.Numeric, v => v, (r, i) => r.GetDecimal(i), null),
                _ when type == typeof(bool) => new(field, name, NpgsqlDbType.Boolean, v => v, (r, i) => r.GetBoolean(i), null),
                _ when type == typeof(List<string>) => new(
                    field, name, NpgsqlDbType.Array | NpgsqlDbType.Text, v => v, (r, i) => r.GetFieldValue<List<string>>(i), new List<string>()),
                // Stored as the wire writes it, as the EF mapping does (Data/JsonColumn.cs).
                _ when type == typeof(List<PricingTier>) => new(
                    field, name, NpgsqlDbType.Jsonb, v => JsonSerializer.Serialize(v, ListingsJson.Options),
                    (r, i) => JsonSerializer.Deserialize<List<PricingTier>>(r.GetString(i), ListingsJson.Options), new List<PricingTier>()),
                _ => throw new InvalidOperationException($"The listing field {field.Name} has a type the patch statement does not store: {type}."),
            };
        }
    }
}
