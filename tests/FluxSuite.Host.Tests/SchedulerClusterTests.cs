using FluxSuite.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Quartz;

namespace FluxSuite.Host.Tests;

/// <summary>
/// Two hosts on one database form one scheduler cluster: every firing of a recurring trigger runs on
/// exactly one of them, and when the one doing the work stops, the other carries on.
/// </summary>
public sealed class SchedulerClusterTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly List<FluxSuiteFactory> _hosts = [];

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        await ExecuteAsync("CREATE TABLE public.probe_fires (scheduled_at timestamptz NOT NULL, fired_at timestamptz NOT NULL DEFAULT clock_timestamp(), instance_id text NOT NULL)");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Given_two_hosts_Then_each_firing_runs_once_and_the_survivor_takes_over()
    {
        var first = StartHost();
        var second = StartHost();
        var ids = new[] { await InstanceIdAsync(first), await InstanceIdAsync(second) };
        Assert.NotEqual(ids[0], ids[1]);

        Assert.True(await Eventually.WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM public.probe_fires") >= 8, TimeSpan.FromSeconds(60)),
            "the recurring probe job did not fire 8 times within a minute");
        Assert.Equal(0, await DuplicateFiringsAsync());

        // Stop whichever host ran the latest firing; the other must take over.
        var active = await ScalarAsync<string>("SELECT instance_id FROM public.probe_fires ORDER BY fired_at DESC LIMIT 1");
        var (stopping, surviving) = active == ids[0] ? (first, second) : (second, first);
        var survivorId = active == ids[0] ? ids[1] : ids[0];
        await stopping.DisposeAsync();
        _hosts.Remove(stopping);
        var stoppedAt = await ScalarAsync<DateTime>("SELECT clock_timestamp()");

        Assert.True(await Eventually.WaitUntilAsync(
            async () => await CountAsync("SELECT count(*) FROM public.probe_fires WHERE fired_at > @after AND instance_id = @survivor",
                ("after", stoppedAt), ("survivor", survivorId)) >= 4,
            TimeSpan.FromSeconds(60)), "the surviving host did not take over the recurring job");
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM public.probe_fires WHERE fired_at > @after AND instance_id <> @survivor",
            ("after", stoppedAt), ("survivor", survivorId)));
        Assert.Equal(0, await DuplicateFiringsAsync());
        Assert.NotNull(surviving);
    }

    private FluxSuiteFactory StartHost()
    {
        var host = new FluxSuiteFactory(_database.ConnectionString)
            .WithRealClock()
            .WithServices(services => services.AddQuartz(quartz => quartz.ScheduleJob<ClusterProbeJob>(trigger => trigger
                .WithIdentity("cluster-probe")
                .WithSimpleSchedule(TimeSpan.FromMilliseconds(500)))));
        _hosts.Add(host);
        _ = host.Services;
        return host;
    }

    private static async Task<string> InstanceIdAsync(FluxSuiteFactory host)
    {
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return scheduler.SchedulerInstanceId;
    }

    private Task<long> DuplicateFiringsAsync() =>
        CountAsync("SELECT count(*) - count(DISTINCT scheduled_at) FROM public.probe_fires");

    private async Task<long> CountAsync(string sql, params (string, object)[] parameters) => await ScalarAsync<long>(sql, parameters);

    private async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) =>
        (await _database.ScalarAsync<T>(sql, parameters))!;

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Records each firing: when it was scheduled for and which instance ran it.</summary>
internal sealed class ClusterProbeJob(IConfiguration configuration) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(configuration.GetConnectionString("Default"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "INSERT INTO public.probe_fires (scheduled_at, instance_id) VALUES (@scheduled, @instance)", connection);
        command.Parameters.AddWithValue("scheduled", context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
        command.Parameters.AddWithValue("instance", context.Scheduler.SchedulerInstanceId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
