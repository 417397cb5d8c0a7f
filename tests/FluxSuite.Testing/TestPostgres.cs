using Npgsql;

namespace FluxSuite.Testing;

/// <summary>
/// The PostgreSQL server tests run against. <c>scripts/test.sh</c> starts a local cluster and exports
/// <see cref="EnvironmentVariable"/>; any reachable server works when it is set by hand.
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "FLUXSUITE_TEST_POSTGRES";

    /// <summary>Every database a test creates starts with this, so leftovers are easy to find.</summary>
    public const string DatabasePrefix = "fluxsuite_test_";

    /// <summary>A connection string to the server's maintenance database, with rights to create databases.</summary>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run the tests with scripts/test.sh, which starts PostgreSQL and sets it, " +
                "or point it at a server yourself: Host=127.0.0.1;Port=54329;Username=postgres;Password=…;Database=postgres");

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString;
}
