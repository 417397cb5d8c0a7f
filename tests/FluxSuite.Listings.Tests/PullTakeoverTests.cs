using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using FluxSuite.Listings.Jobs;
using FluxSuite.Testing;
using Hangfire;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Listings.Tests;

/// <summary>
/// A host process killed (SIGKILL) in the middle of a provider's pull sync: the job it had fetched is
/// taken over by another host within seconds (Hangfire's sliding invisibility timeout) and pulled once
/// to completion there; the killed run applied nothing.
/// </summary>
public sealed class PullTakeoverTests : IAsyncLifetime
{
    private static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromSeconds(10);

    private readonly TestDatabase _database = new();
    private PullServer _server = null!;
    private Process? _killed;
    private FluxSuiteFactory? _survivor;

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        _server = await PullServer.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_killed is { HasExited: false })
        {
            _killed.Kill(entireProcessTree: true);
        }

        _killed?.Dispose();
        if (_survivor is not null)
        {
            await _survivor.DisposeAsync();
        }

        await _server.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Given_a_host_killed_while_its_pull_sync_runs_Then_another_host_takes_the_job_over_in_seconds_and_pulls_once()
    {
        var firstRequest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Routes["/slow.json"] = async context =>
        {
            if (firstRequest.TrySetResult())
            {
                // The first host never gets an answer: it is killed while it waits.
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"totalNodes": 99}""");
        };

        // Set up through an in-process host, then stop it, so that only the process below can fetch the sync job.
        await using (var setup = Host("setup"))
        {
            var admin = setup.CreateAdminClient();
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/admin/providers", new { slug = "acme", name = "Acme Hosting" })).StatusCode);
            var configured = await admin.PutAsJsonAsync("/admin/providers/acme/pull", new { url = _server.Url("/slow.json"), intervalMinutes = 5, enabled = true });
            Assert.Equal(HttpStatusCode.OK, configured.StatusCode);
        }

        _killed = StartHostProcess();
        var arrived = await Task.WhenAny(firstRequest.Task, Task.Delay(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken));
        Assert.True(arrived == firstRequest.Task, "the host process did not start the pull within a minute:\n" + Output());
        var jobId = Assert.Single(await SyncJobsAsync());

        _survivor = Host("survivor");
        _ = _survivor.Services;
        _killed.Kill(entireProcessTree: true);
        var killedAt = Stopwatch.StartNew();

        Assert.True(await Eventually.WaitUntilAsync(
            async () => await _database.ScalarAsync<int?>("SELECT total_nodes FROM listings.providers WHERE slug = 'acme'") == 99,
            TimeSpan.FromSeconds(60)), "the surviving host did not take the pull over: " + await DiagnoseAsync(jobId));
        var takeover = killedAt.Elapsed;

        Assert.True(takeover < InvisibilityTimeout + TimeSpan.FromSeconds(20), $"the takeover took {takeover.TotalSeconds:0.0} s");
        Assert.Equal(ScheduledJobs.Succeeded, (await _survivor.WaitForJobAsync(jobId)).Name);
        var history = _survivor.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(jobId).History;
        var servers = history.Where(h => h.StateName == "Processing").Select(h => h.Data["ServerId"]).ToList();
        Assert.Contains(servers, s => s.StartsWith("killed-host-", StringComparison.Ordinal));
        Assert.Contains(servers, s => s.StartsWith("survivor-", StringComparison.Ordinal));
        Assert.Equal([jobId], await SyncJobsAsync());
        Assert.Equal(2, _server.Count("/slow.json"));
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM listings.listing_changes WHERE source = 'pull'"));
        Assert.Equal("updated", await _database.ScalarAsync<string>("SELECT last_outcome FROM listings.pull_sources"));
    }

    private FluxSuiteFactory Host(string name) =>
        new FluxSuiteFactory(_database.ConnectionString)
            .WithRealClock()
            .WithSetting("Scheduler:ServerName", name)
            .WithSetting("Scheduler:InvisibilityTimeout", InvisibilityTimeout.ToString())
            .WithSetting($"Scheduler:Jobs:{PullDispatchJob.Id}", "never");

    /// <summary>The built host as its own process, dispatching due pulls every second.</summary>
    private Process StartHostProcess()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testBin.Parent!.Name;
        var root = testBin;
        while (!File.Exists(Path.Combine(root.FullName, "FluxSuite.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("FluxSuite.sln not found above " + AppContext.BaseDirectory);
        }

        var hostBin = Path.Combine(root.FullName, "src", "FluxSuite.Host", "bin", configuration, testBin.Name);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(hostBin, "FluxSuite.Host.dll")])
        {
            WorkingDirectory = hostBin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            ["ConnectionStrings__Default"] = _database.ConnectionString,
            ["Admin__ApiKey"] = FluxSuiteFactory.AdminKey,
            ["Metering__Jwt__SigningKey"] = "test-signing-key-that-is-long-enough-for-hmac-sha256-0123456789",
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["Listings__Pull__AllowPrivateNetworks"] = "true",
            ["Listings__Pull__Timeout"] = "00:01:00",
            ["Scheduler__ServerName"] = "killed-host",
            ["Scheduler__WorkerCount"] = "2",
            ["Scheduler__QueuePollInterval"] = "00:00:00.200",
            ["Scheduler__SchedulePollingInterval"] = "00:00:01",
            ["Scheduler__InvisibilityTimeout"] = InvisibilityTimeout.ToString(),
            ["Scheduler__HeartbeatInterval"] = "00:00:02",
            ["Scheduler__ServerTimeout"] = "00:00:10",
            [$"Scheduler__Jobs__{PullDispatchJob.Id}"] = "* * * * * *",
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private readonly List<string> _output = [];

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return string.Join("\n", _output.TakeLast(40));
        }
    }

    private async Task<string> DiagnoseAsync(string jobId)
    {
        var details = _survivor!.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(jobId);
        var history = string.Join("; ", details.History.Select(h => $"{h.StateName} {h.Reason} {string.Join(",", h.Data.Select(d => d.Key + "=" + d.Value))}"));
        var queue = await _database.ScalarAsync<string>("SELECT coalesce(string_agg(queue || ' fetched ' || coalesce(fetchedat::text, '-'), '; '), 'none') FROM hangfire.jobqueue");
        var lease = await _database.ScalarAsync<string>("SELECT coalesce(lease_until::text, 'null') FROM listings.pull_sources");
        return $"requests {_server.Count("/slow.json")}; lease {lease}; queue {queue}; history {history}";
    }

    private async Task<List<string>> SyncJobsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT id::text FROM hangfire.job WHERE invocationdata::jsonb ->> 'Type' LIKE '%PullSyncJob%' ORDER BY id", connection);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
