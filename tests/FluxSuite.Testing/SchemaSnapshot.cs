using Npgsql;

namespace FluxSuite.Testing;

/// <summary>
/// Everything about one schema that a migration decides: tables, columns (type, nullability, default,
/// identity), indexes, constraints and sequences, one line each, sorted. Two databases built
/// differently have the same schema exactly when their snapshots are equal. Triggers are not in it, the constraint
/// triggers that pg_constraint lists (contype 't') included: migrations add them as SQL and a model does not describe them.
/// </summary>
public sealed class SchemaSnapshot
{
    private SchemaSnapshot(string schema, IReadOnlyList<string> lines)
    {
        Schema = schema;
        Lines = lines;
    }

    public string Schema { get; }

    public IReadOnlyList<string> Lines { get; }

    public static async Task<SchemaSnapshot> CaptureAsync(string connectionString, string schema, params string[] ignoredTables)
    {
        var ignored = new HashSet<string>(ignoredTables, StringComparer.Ordinal) { "__EFMigrationsHistory" };
        var lines = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        await Collect(connection, schema, lines, ignored,
            """
            SELECT table_name, 'table ' || table_name
            FROM information_schema.tables WHERE table_schema = @schema AND table_type = 'BASE TABLE'
            """);
        await Collect(connection, schema, lines, ignored,
            """
            SELECT table_name,
                   format('column %s.%s type=%s%s nullable=%s default=%s identity=%s generated=%s',
                          table_name, column_name, udt_name,
                          CASE WHEN character_maximum_length IS NOT NULL THEN '(' || character_maximum_length || ')'
                               WHEN udt_name = 'numeric' AND numeric_precision IS NOT NULL THEN '(' || numeric_precision || ',' || numeric_scale || ')'
                               ELSE '' END,
                          is_nullable, coalesce(column_default, '-'), coalesce(identity_generation, '-'),
                          coalesce(generation_expression, '-'))
            FROM information_schema.columns WHERE table_schema = @schema
            """);
        await Collect(connection, schema, lines, ignored,
            """
            SELECT tablename, format('index %s on %s: %s', indexname, tablename, indexdef)
            FROM pg_indexes WHERE schemaname = @schema
            """);
        await Collect(connection, schema, lines, ignored,
            """
            SELECT rel.relname, format('constraint %s on %s: %s %s', con.conname, rel.relname, con.contype, pg_get_constraintdef(con.oid))
            FROM pg_constraint con
            JOIN pg_class rel ON rel.oid = con.conrelid
            JOIN pg_namespace ns ON ns.oid = con.connamespace
            WHERE ns.nspname = @schema AND con.contype <> 't'
            """);
        await Collect(connection, schema, lines, ignored,
            """
            SELECT '', format('sequence %s type=%s start=%s increment=%s', sequencename, data_type, start_value, increment_by)
            FROM pg_sequences WHERE schemaname = @schema
            """);

        lines.Sort(StringComparer.Ordinal);
        return new SchemaSnapshot(schema, lines);
    }

    /// <summary>Lines only one side has, marked with the side that has them.</summary>
    public IReadOnlyList<string> DifferencesFrom(SchemaSnapshot other, string thisName, string otherName)
    {
        ArgumentNullException.ThrowIfNull(other);
        var mine = Lines.ToHashSet(StringComparer.Ordinal);
        var theirs = other.Lines.ToHashSet(StringComparer.Ordinal);
        return
        [
            .. Lines.Where(l => !theirs.Contains(l)).Select(l => $"only in {thisName}: {l}"),
            .. other.Lines.Where(l => !mine.Contains(l)).Select(l => $"only in {otherName}: {l}"),
        ];
    }

    private static async Task Collect(NpgsqlConnection connection, string schema, List<string> lines, HashSet<string> ignored, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("schema", schema);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (!ignored.Contains(reader.GetString(0)))
            {
                lines.Add(reader.GetString(1));
            }
        }
    }
}
