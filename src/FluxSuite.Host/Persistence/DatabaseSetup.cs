using FluxSuite.BuildingBlocks.Persistence;
using Npgsql;

namespace FluxSuite.Host.Persistence;

internal static class DatabaseSetup
{
    public const string ConnectionStringName = "Default";

    /// <summary>
    /// A connection straight to PostgreSQL, for what needs a session of its own: the start-up step holds
    /// a session-level advisory lock while it migrates. Set it when <c>Default</c> goes through a pooler in
    /// transaction mode (PgBouncer); unset, <c>Default</c> serves both.
    /// </summary>
    public const string DirectConnectionStringName = "Direct";

    /// <summary>The connection string, or a start-up failure that says how to provide one.</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                "ConnectionStrings:Default is not set. Start the system with scripts/run.sh, which provides a local " +
                "PostgreSQL, or set the ConnectionStrings__Default environment variable.");

    /// <summary><c>ConnectionStrings:Direct</c>, or <c>ConnectionStrings:Default</c> when it is not set.</summary>
    public static string DirectConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(DirectConnectionStringName) is { Length: > 0 } cs ? cs : ConnectionString(configuration);

    /// <summary>
    /// One connection pool for every module and the health checks. When <c>Default</c> is a direct
    /// connection (no <c>Direct</c> is set) its sessions are the pool's own, and it does not reset them
    /// (<see cref="PoolSessions"/>).
    /// </summary>
    public static IServiceCollection AddFluxDatabase(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            var connectionString = ConnectionString(configuration);
            var builder = new NpgsqlDataSourceBuilder(connectionString);
            if (configuration.GetConnectionString(DirectConnectionStringName) is not { Length: > 0 })
            {
                PoolSessions.UseOwnSessions(builder.ConnectionStringBuilder, connectionString);
            }

            builder.UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            return builder.Build();
        });
        services.AddSingleton(sp => new PooledSessions(sp.GetRequiredService<IConfiguration>().GetConnectionString(DirectConnectionStringName) is not { Length: > 0 }));
        services.AddSingleton<PooledStatements>();
        services.AddSingleton<System.Data.Common.DbDataSource>(sp => sp.GetRequiredService<NpgsqlDataSource>());
        services.AddSingleton(sp => DirectDatabase.Create(sp.GetRequiredService<IConfiguration>(), sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<DatabaseStartupState>();
        services.AddHostedService<DatabaseInitializer>();
        return services;
    }
}

/// <summary>
/// Connections straight to PostgreSQL (<c>ConnectionStrings:Direct</c>), never through a transaction-mode
/// pooler: a session-level advisory lock taken through PgBouncer would belong to whichever server
/// connection ran that statement, and its unlock could land on another. Without a direct connection
/// string this is the modules' data source itself (not owned here, so not disposed twice).
/// </summary>
internal sealed class DirectDatabase(NpgsqlDataSource dataSource, bool owned) : IDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public static DirectDatabase Create(IConfiguration configuration, NpgsqlDataSource shared)
    {
        if (configuration.GetConnectionString(DatabaseSetup.DirectConnectionStringName) is not { Length: > 0 } direct)
        {
            return new DirectDatabase(shared, owned: false);
        }

        // Used at start-up only: no connection is kept once the step is done.
        var builder = new NpgsqlConnectionStringBuilder(direct) { Pooling = false, ApplicationName = "FluxSuite start-up" };
        return new DirectDatabase(NpgsqlDataSource.Create(builder.ConnectionString), owned: true);
    }

    public void Dispose()
    {
        if (owned)
        {
            DataSource.Dispose();
        }
    }
}
