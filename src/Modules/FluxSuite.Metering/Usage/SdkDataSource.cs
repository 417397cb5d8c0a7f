using Microsoft.Extensions.Configuration;
using Npgsql;

namespace FluxSuite.Metering.Usage;

/// <summary>
/// The SDK write path's own connection pool on the same database. Its connections are not reset when
/// returned to the pool: the shared pool's reset (RESET ALL, CLOSE ALL, advisory unlock, DISCARD …)
/// would run once per tracked event and cost more server CPU than the insert itself. The write path
/// never changes session state, so there is nothing to reset, and its prepared statement stays
/// prepared on every connection. A prepared statement belongs to a server session, which a pooler in
/// transaction mode (PgBouncer) does not keep for a client between transactions, so this pool uses
/// <c>ConnectionStrings:Direct</c> when it is set (straight to PostgreSQL; at most the four writer loops'
/// connections per instance), else <c>Default</c>.
/// </summary>
internal sealed class SdkDataSource(IConfiguration configuration) : IAsyncDisposable
{
    private readonly Lazy<NpgsqlDataSource> _source = new(() =>
    {
        var builder = new NpgsqlDataSourceBuilder(
            configuration.GetConnectionString("Direct") is { Length: > 0 } direct ? direct : configuration.GetConnectionString("Default"));
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        builder.ConnectionStringBuilder.ApplicationName = "fluxsuite-metering-sdk";
        return builder.Build();
    });

    public NpgsqlDataSource Source => _source.Value;

    public async ValueTask DisposeAsync()
    {
        if (_source.IsValueCreated)
        {
            await _source.Value.DisposeAsync();
        }
    }
}
