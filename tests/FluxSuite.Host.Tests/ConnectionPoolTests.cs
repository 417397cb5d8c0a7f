using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FluxSuite.Host.Tests;

/// <summary>
/// The shared pool on a direct connection (no <c>ConnectionStrings:Direct</c>, as in these tests): the
/// statements it runs often are prepared on its sessions, and a value the connection string sets is kept;
/// and the module contexts, which save inside a transaction without savepoints.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ConnectionPoolTests(HostApp app)
{
    [Fact]
    public void Given_a_connection_string_without_either_setting_Then_statements_are_prepared_and_connections_not_reset()
    {
        const string given = "Host=127.0.0.1;Username=u;Password=p;Database=d";
        var builder = new NpgsqlConnectionStringBuilder(given);

        PreparedStatements.UseOwnSessions(builder, given);

        Assert.Equal(PreparedStatements.MaxAutoPrepare, builder.MaxAutoPrepare);
        Assert.True(builder.NoResetOnClose);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=127.0.0.1;MaxAutoPrepare=0;NoResetOnClose=false")]
    public void Given_a_connection_string_that_sets_them_Then_its_values_are_kept(string given)
    {
        var builder = new NpgsqlConnectionStringBuilder(given);

        PreparedStatements.UseOwnSessions(builder, given);

        Assert.Equal(0, builder.MaxAutoPrepare);
        Assert.False(builder.NoResetOnClose);
    }

    [Fact]
    public async Task Given_the_hosts_pool_Then_a_statement_run_repeatedly_is_prepared_on_its_session()
    {
        var dataSource = app.Factory.Services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        for (var i = 0; i < 6; i++)
        {
            await using var query = new NpgsqlCommand("SELECT count(*) FROM pg_class WHERE relname = $1", connection);
            query.Parameters.Add(new NpgsqlParameter { Value = "pg_type" });
            Assert.Equal(1L, await query.ExecuteScalarAsync(TestContext.Current.CancellationToken));
        }

        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM pg_class WHERE relname%'", connection);

        Assert.Equal(1L, await prepared.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Given_each_modules_context_Then_it_makes_no_savepoints_also_when_the_pool_hands_it_out_again()
    {
        var modules = app.Factory.Services.GetServices<IModuleDatabase>().ToList();
        Assert.Equal(3, modules.Count);
        foreach (var module in modules)
        {
            for (var use = 0; use < 2; use++)
            {
                await using var scope = app.Factory.Services.CreateAsyncScope();
                var db = (DbContext)scope.ServiceProvider.GetRequiredService(module.ContextType);
                Assert.IsAssignableFrom<ModuleDbContext>(db);
                Assert.False(db.Database.AutoSavepointsEnabled, module.Schema);
                // Set back to EF's default while in use: the pool must restore the module's setting.
                db.Database.AutoSavepointsEnabled = true;
            }
        }
    }
}
