using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace FluxSuite.BuildingBlocks.Persistence;

/// <summary>
/// What <c>dotnet ef</c> uses to build a module's context: the same options as at run time, on a data
/// source it never opens (adding a migration compares the model with the snapshot; no server needed).
/// </summary>
public abstract class ModuleDesignTimeFactory<TContext>(string schema, Func<DbContextOptions<TContext>, TContext> create) : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TContext>();
        ModuleDatabaseRegistration.ConfigureModuleContext(options, NpgsqlDataSource.Create("Host=localhost;Database=design_time"), schema);
        return create(options.Options);
    }
}
