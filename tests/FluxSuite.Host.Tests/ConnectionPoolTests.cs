using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FluxSuite.Host.Tests;

/// <summary>
/// The shared pool on a direct connection (no <c>ConnectionStrings:Direct</c>, as in these tests): it does
/// not reset its connections, a value the connection string sets is kept, a connection whose batch was
/// cancelled midway runs it again, and the hot paths' statements are prepared on it; and the module contexts,
/// which save inside a transaction without savepoints.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class ConnectionPoolTests(HostApp app)
{
    [Fact]
    public void Given_a_connection_string_without_the_setting_Then_connections_are_not_reset()
    {
        const string given = "Host=127.0.0.1;Username=u;Password=p;Database=d";
        var builder = new NpgsqlConnectionStringBuilder(given);

        PoolSessions.UseOwnSessions(builder, given);

        Assert.True(builder.NoResetOnClose);
        Assert.Equal(0, builder.MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;No Reset On Close=false")]
    [InlineData("Host=127.0.0.1;NoResetOnClose=false")]
    public void Given_a_connection_string_that_sets_it_Then_its_value_is_kept(string given)
    {
        var builder = new NpgsqlConnectionStringBuilder(given);

        PoolSessions.UseOwnSessions(builder, given);

        Assert.False(builder.NoResetOnClose);
    }

    [Fact]
    public void Given_the_hosts_pool_on_a_direct_connection_Then_it_does_not_reset_connections_and_its_sessions_are_its_own()
    {
        var dataSource = app.Factory.Services.GetRequiredService<NpgsqlDataSource>();

        Assert.True(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).NoResetOnClose);
        Assert.True(app.Factory.Services.GetRequiredService<PooledSessions>().Owned);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Given_a_pooled_statement_Then_it_is_prepared_on_its_connection_only_when_the_sessions_are_the_pools_own(bool owned)
    {
        const string sql = "SELECT $1::int + 1";
        var builder = new NpgsqlConnectionStringBuilder(app.Database.ConnectionString) { MaxPoolSize = 1 };
        PoolSessions.UseOwnSessions(builder, app.Database.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        var statements = new PooledStatements(dataSource, new PooledSessions(owned));

        for (var run = 1; run <= 3; run++)
        {
            await using var reader = await statements.ExecuteReaderAsync(sql, [new NpgsqlParameter<int> { TypedValue = run }], TestContext.Current.CancellationToken);
            Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
            Assert.Equal(run + 1, reader.GetInt32(0));
        }

        // The pool's one connection: the statement was prepared on it once, or not at all.
        await using var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1", connection)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = sql } },
        };
        Assert.Equal(owned ? 1L : 0L, (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!);
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

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(6)]
    public async Task Given_a_batch_cancelled_midway_Then_the_connection_runs_it_again(int runsBefore)
    {
        var dataSource = app.Factory.Services.GetRequiredService<NpgsqlDataSource>();
        var marker = Guid.NewGuid().ToString("N");
        await using var connection = await dataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        for (var i = 0; i < runsBefore; i++)
        {
            await RunBatchAsync(connection, marker, 0, TestContext.Current.CancellationToken);
        }

        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunBatchAsync(connection, marker, 5, cancel.Token));
        }

        for (var i = 0; i < 8; i++)
        {
            await RunBatchAsync(connection, marker, 0, TestContext.Current.CancellationToken);
        }
    }

    private static async Task RunBatchAsync(NpgsqlConnection connection, string marker, double sleepSeconds, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT '{marker}', 1") ,
                new NpgsqlBatchCommand($"SELECT '{marker}', pg_sleep($1)") { Parameters = { new NpgsqlParameter { Value = sleepSeconds } } },
                new NpgsqlBatchCommand($"SELECT '{marker}', 3"),
                new NpgsqlBatchCommand($"SELECT '{marker}', 4"),
            },
        };
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
