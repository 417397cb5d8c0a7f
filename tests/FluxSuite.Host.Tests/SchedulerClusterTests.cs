using FluxSuite.BuildingBlocks.Scheduling;
using FluxSuite.Testing;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FluxSuite.Host.Tests;

/// <summary>
/// Two hosts on one database share one Hangfire storage: a recurring job declared every second fires on
/// real time, each firing runs on exactly one of them, and when the one doing the work stops the other
/// carries on. A job that throws is retried as its attribute says and is then visible as failed.
/// </summary>
public sealed class SchedulerClusterTests : IAsyncLifetime
{
    private readonly HostGroup _group = new();

    public async ValueTask InitializeAsync()
    {
        await _group.InitializeAsync();
        await ExecuteAsync("""
            CREATE TABLE public.probe_fires (job_id text NOT NULL, scheduled_at bigint NOT NULL, server_id text NOT NULL,
                                             fired_at timestamptz NOT NULL DEFAULT clock_timestamp());
            CREATE TABLE public.probe_failures (job_id text NOT NULL, attempt int NOT NULL)
            """);
    }

    public ValueTask DisposeAsync() => _group.DisposeAsync();

    [Fact]
    public async Task Given_two_hosts_Then_each_firing_runs_once_and_the_survivor_takes_over()
    {
        var first = StartHost("host-one");
        var second = StartHost("host-two");

        Assert.True(await Eventually.WaitUntilAsync(async () => await CountAsync("SELECT count(*) FROM public.probe_fires") >= 8, TimeSpan.FromSeconds(60)),
            "the recurring probe job (every second) did not fire 8 times within a minute");
        Assert.Equal(0, await DuplicateFiringsAsync());
        Assert.Equal(2, Servers(first).Count);

        // Stop whichever host ran the latest firing; the other must take over.
        var active = await ScalarAsync<string>("SELECT server_id FROM public.probe_fires ORDER BY fired_at DESC LIMIT 1");
        var stopping = ServerOf(first) == active ? first : second;
        var surviving = stopping == first ? second : first;
        await _group.StopAsync(stopping);
        var stoppedAt = await ScalarAsync<DateTime>("SELECT clock_timestamp()");

        Assert.True(await Eventually.WaitUntilAsync(
            async () => await CountAsync("SELECT count(*) FROM public.probe_fires WHERE fired_at > @after AND server_id = @survivor",
                ("after", stoppedAt), ("survivor", ServerOf(surviving))) >= 4,
            TimeSpan.FromSeconds(60)), "the surviving host did not take over the recurring job");
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM public.probe_fires WHERE fired_at > @after AND server_id <> @survivor",
            ("after", stoppedAt), ("survivor", ServerOf(surviving))));
        Assert.Equal(0, await DuplicateFiringsAsync());
        // The stopped server leaves the storage's server list (removed on shutdown, or by the survivor once its heartbeats stop).
        Assert.True(await Eventually.WaitUntilAsync(() => Task.FromResult(Servers(surviving).Count == 1), TimeSpan.FromSeconds(30)),
            "the stopped server is still listed: " + string.Join(", ", Servers(surviving)));
        Assert.Equal([ServerOf(surviving)], Servers(surviving));
    }

    [Fact]
    public async Task Given_a_job_that_throws_Then_it_is_retried_as_declared_and_then_stored_as_failed()
    {
        var host = StartHost("host-alone");
        var jobs = host.Services.GetRequiredService<IBackgroundJobClient>();

        var id = jobs.Create(Job.FromExpression<FailingProbeJob>(j => j.RunAsync(null!)), new Hangfire.States.EnqueuedState());
        var state = await host.WaitForJobAsync(id, TimeSpan.FromSeconds(60));

        Assert.Equal(ScheduledJobs.Failed, state.Name);
        Assert.Contains("probe failure", state.Data["ExceptionMessage"], StringComparison.Ordinal);
        // The attempt and its one retry (AutomaticRetry(Attempts = 1)), then no more.
        Assert.Equal([0, 1], await ListAsync("SELECT attempt FROM public.probe_failures WHERE job_id = @id ORDER BY attempt", id));
        Assert.Contains(host.JobsIn(ScheduledJobs.Failed), j => j.Id == id);
    }

    private FluxSuiteFactory StartHost(string name)
    {
        var host = _group.Add(h => h
            .WithRealClock()
            .WithSetting("Scheduler:ServerName", name)
            .WithServices(services => services.AddSingleton(new RecurringJobDefinition(
                "cluster-probe", "* * * * * *", "default", Job.FromExpression<ClusterProbeJob>(j => j.RunAsync(null!, CancellationToken.None))))));
        _ = host.Services;
        return host;
    }

    /// <summary>The server id of a host: its configured server name, then Hangfire's unique suffix.</summary>
    private static string ServerOf(FluxSuiteFactory host) =>
        Servers(host).Single(s => s.StartsWith(host.Services.GetRequiredService<IConfiguration>()["Scheduler:ServerName"] + "-", StringComparison.Ordinal));

    private static List<string> Servers(FluxSuiteFactory host) =>
        [.. host.Services.GetRequiredService<JobStorage>().GetMonitoringApi().Servers().Select(s => s.Name)];

    private Task<long> DuplicateFiringsAsync() =>
        CountAsync("SELECT (count(*) - count(DISTINCT scheduled_at)) + (count(*) - count(DISTINCT job_id)) FROM public.probe_fires");

    private async Task<long> CountAsync(string sql, params (string, object)[] parameters) => await ScalarAsync<long>(sql, parameters);

    private async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters) =>
        (await _group.Database.ScalarAsync<T>(sql, parameters))!;

    private async Task<List<int>> ListAsync(string sql, string id)
    {
        await using var connection = new NpgsqlConnection(_group.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        var values = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetInt32(0));
        }

        return values;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_group.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Records each firing: the job, the occurrence it was created for (Hangfire's "Time" parameter) and the server that ran it.</summary>
[AutomaticRetry(Attempts = 0)]
public sealed class ClusterProbeJob(IConfiguration configuration)
{
    public async Task RunAsync(PerformContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var connection = new NpgsqlConnection(configuration.GetConnectionString("Default"));
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "INSERT INTO public.probe_fires (job_id, scheduled_at, server_id) VALUES (@job, @scheduled, @server)", connection);
        command.Parameters.AddWithValue("job", context.BackgroundJob.Id);
        command.Parameters.AddWithValue("scheduled", context.GetJobParameter<long>("Time"));
        command.Parameters.AddWithValue("server", context.ServerId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Always throws, after recording the attempt; one retry, a second apart.</summary>
[AutomaticRetry(Attempts = 1, DelaysInSeconds = [1])]
public sealed class FailingProbeJob(IConfiguration configuration)
{
    public async Task RunAsync(PerformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using (var connection = new NpgsqlConnection(configuration.GetConnectionString("Default")))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("INSERT INTO public.probe_failures (job_id, attempt) VALUES (@job, @attempt)", connection);
            command.Parameters.AddWithValue("job", context.BackgroundJob.Id);
            command.Parameters.AddWithValue("attempt", context.GetJobParameter<int>("RetryCount"));
            await command.ExecuteNonQueryAsync();
        }

        throw new InvalidOperationException("probe failure");
    }
}
