using Npgsql;

namespace FluxSuite.Testing;

/// <summary>A fresh, empty database for one test collection, dropped when the collection is done.</summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public string Name { get; } = TestPostgres.DatabasePrefix + Guid.NewGuid().ToString("N")[..16];

    public string ConnectionString => TestPostgres.ConnectionStringFor(Name);

    public async ValueTask InitializeAsync()
    {
        await using var admin = new NpgsqlConnection(TestPostgres.AdminConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", admin);
        await create.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestPostgres.AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// An outage of this database as the application sees it: closed to new connections and every open
    /// one cut (as a restart cuts them); <c>true</c> opens it again.
    /// </summary>
    public async Task SetConnectionsAllowedAsync(bool allowed)
    {
        await using var admin = new NpgsqlConnection(TestPostgres.AdminConnectionString);
        await admin.OpenAsync();
        var sql = allowed
            ? $"ALTER DATABASE \"{Name}\" ALLOW_CONNECTIONS true"
            : $"ALTER DATABASE \"{Name}\" ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Name}'";
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Empties every table of the given schemas (migration history excepted), so tests in one
    /// collection start from the same state without paying for a new database each.
    /// </summary>
    public async Task TruncateAsync(params string[] schemas)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var list = new NpgsqlCommand(
            """
            SELECT format('%I.%I', table_schema, table_name)
            FROM information_schema.tables
            WHERE table_schema = ANY(@schemas) AND table_type = 'BASE TABLE' AND table_name <> '__EFMigrationsHistory'
            """, connection);
        list.Parameters.AddWithValue("schemas", schemas);
        var tables = new List<string>();
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (tables.Count == 0)
        {
            return;
        }

        await using var truncate = new NpgsqlCommand($"TRUNCATE {string.Join(", ", tables)} RESTART IDENTITY CASCADE", connection);
        await truncate.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a scalar query, for asserting on what a request stored.</summary>
    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    /// <summary>Waits (up to ten seconds) until a statement of this database containing <paramref name="text"/> waits for a lock; false if none did.</summary>
    public Task<bool> WaitForLockWaitAsync(string text) =>
        Eventually.WaitUntilAsync(
            async () => await ScalarAsync<bool>(
                "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND position(@t in query) > 0)",
                ("t", text)),
            TimeSpan.FromSeconds(10));

    /// <summary>Opens a connection of the test's own and begins a transaction on it.</summary>
    public async Task<OpenTransaction> BeginAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return new OpenTransaction(connection, await connection.BeginTransactionAsync());
    }
}
