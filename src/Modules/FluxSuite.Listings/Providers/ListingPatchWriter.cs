using System.Text.Json;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Listings.Api;
using Npgsql;
using NpgsqlTypes;

namespace FluxSuite.Listings.Providers;

/// <summary>What one patch did: the listing as it now is, and the fields whose value changed.</summary>
internal sealed record PatchWrite(Provider Provider, IReadOnlyList<string> ChangedFields);

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
/// The statement has one fixed shape for every patch (each field a position in the body, null when the
/// patch leaves it alone, and a value), so it can be prepared once per connection when the pool's
/// sessions are its own (<see cref="PooledSessions"/>): one text, never one per set of fields.
/// Pull keeps <see cref="ListingWriter"/>: it decides per field from the locked row and writes its
/// source's state in the same transaction.
/// </remarks>
internal sealed class ListingPatchWriter(PooledStatements statements, TimeProvider clock)
{
    private static readonly IReadOnlyList<StoredField> Columns = [.. ListingFields.All.Select(StoredField.Of)];

    // $1 id, $2 now, $3 source, $4 push, $5 the pushed fields' times; then per field its position and value.
    private const int FirstFieldParameter = 6;

    private static readonly string Sql = BuildSql();

    /// <summary>Applies <paramref name="patch"/> on behalf of <paramref name="source"/>; null when there is no such listing.</summary>
    public async Task<PatchWrite?> ApplyAsync(Guid providerId, ListingPatch patch, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patch);
        var now = clock.GetUtcNow();
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

        var parameters = new List<NpgsqlParameter>(FirstFieldParameter - 1 + (2 * Columns.Count));
        parameters.Add(new NpgsqlParameter { Value = providerId, NpgsqlDbType = NpgsqlDbType.Uuid });
        parameters.Add(new NpgsqlParameter { Value = now, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        parameters.Add(new NpgsqlParameter { Value = source, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = push, NpgsqlDbType = NpgsqlDbType.Boolean });
        parameters.Add(new NpgsqlParameter
        {
            Value = pushed is null ? DBNull.Value : JsonSerializer.Serialize(pushed, ListingsJson.Options),
            NpgsqlDbType = NpgsqlDbType.Jsonb,
        });
        for (var i = 0; i < Columns.Count; i++)
        {
            var column = Columns[i];
            parameters.Add(new NpgsqlParameter { Value = positions[i] is { } position ? position : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
            parameters.Add(new NpgsqlParameter
            {
                Value = positions[i] is null || values[i] is null ? DBNull.Value : column.ToParameter(values[i]!),
                NpgsqlDbType = column.Type,
            });
        }

        // Every push runs this statement: parsed and planned once per connection when the pool's sessions are its own.
        await using var reader = await statements.ExecuteReaderAsync(Sql, [.. parameters], cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        // The row as it was when locked; the patch's values are laid over it where they changed it, so
        // the listing returned holds each value as the patch gave it.
        var provider = new Provider { Id = reader.GetGuid(0) };
        for (var i = 0; i < Columns.Count; i++)
        {
            var column = Columns[i];
            column.Field.Set(provider, await reader.IsDBNullAsync(i + 1, cancellationToken) ? column.Empty : column.Read(reader, i + 1));
        }

        var next = Columns.Count + 1;
        provider.CreatedAt = reader.GetFieldValue<DateTimeOffset>(next);
        provider.UpdatedAt = reader.GetFieldValue<DateTimeOffset>(next + 1);
        provider.LastPushAt = await reader.IsDBNullAsync(next + 2, cancellationToken) ? null : reader.GetFieldValue<DateTimeOffset>(next + 2);
        provider.LastPullAt = await reader.IsDBNullAsync(next + 3, cancellationToken) ? null : reader.GetFieldValue<DateTimeOffset>(next + 3);
        provider.PushedFields = JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(reader.GetString(next + 4), ListingsJson.Options)!;

        var changed = new List<string>();
        foreach (var (field, value) in patch.Values)
        {
            if (reader.GetBoolean(next + 5 + IndexOf(field)))
            {
                field.Set(provider, value);
                changed.Add(field.Name);
            }
        }

        if (changed.Count > 0)
        {
            provider.UpdatedAt = now;
        }

        if (pushed is not null)
        {
            provider.LastPushAt = now;
            foreach (var (name, at) in pushed)
            {
                provider.PushedFields[name] = at;
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

    private static string BuildSql()
    {
        string Position(int i) => $"${FirstFieldParameter + (2 * i)}";
        string Value(int i) => $"${FirstFieldParameter + (2 * i) + 1}";
        string Changed(int i) => $"changed_{i}";

        var columns = string.Join(", ", Columns.Select(c => c.Name));
        var flags = string.Join(",\n        ", Columns.Select((c, i) => $"({Position(i)} IS NOT NULL AND old.{c.Name} IS DISTINCT FROM {Value(i)}) AS {Changed(i)}"));
        var sets = string.Join(",\n        ", Columns.Select((c, i) => $"{c.Name} = CASE WHEN x.{Changed(i)} THEN {Value(i)} ELSE p.{c.Name} END"));
        var anyChanged = string.Join(" OR ", Columns.Select((_, i) => $"x.{Changed(i)}"));
        var history = string.Join(",\n        ", Columns.Select((c, i) =>
            $"({Position(i)}, '{c.Field.Name}', x.{Changed(i)}, to_jsonb(x.{c.Name}), to_jsonb({Value(i)}))"));

        return $"""
            WITH old AS (
                SELECT id, {columns}, created_at, updated_at, last_push_at, last_pull_at, pushed_fields
                FROM listings.providers WHERE id = $1 FOR UPDATE),
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
            SELECT * FROM x
            """;
    }

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
