using Npgsql;

namespace FluxSuite.Host.Persistence;

internal static class DatabaseSetup
{
    public const string ConnectionStringName = "Default";

    /// <summary>The connection string, or a start-up failure that says how to provide one.</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionStringName) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                "ConnectionStrings:Default is not set. Start the system with scripts/run.sh, which provides a local " +
                "PostgreSQL, or set the ConnectionStrings__Default environment variable.");

    /// <summary>One connection pool for every module and the health checks.</summary>
    public static IServiceCollection AddFluxDatabase(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(ConnectionString(sp.GetRequiredService<IConfiguration>()));
            builder.UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            return builder.Build();
        });
        services.AddSingleton<System.Data.Common.DbDataSource>(sp => sp.GetRequiredService<NpgsqlDataSource>());
        services.AddSingleton<DatabaseStartupState>();
        services.AddHostedService<DatabaseInitializer>();
        return services;
    }
}
