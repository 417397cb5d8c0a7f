using System.Net;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FluxSuite.Host.Tests;

/// <summary>
/// A host killed while its scheduler held a recurring job's lock leaves the lock row in Hangfire's storage.
/// The next instance to start writes that job under the same lock: it waits until the row is older than
/// Scheduler:DistributedLockTimeout and removed, then starts, instead of failing start-up (found by the
/// fault suite: a restart after kill -9 stopped with "Timeout expired … distributed lock").
/// </summary>
public sealed class SchedulerLockTests : IAsyncLifetime
{
    private const string Resource = "hangfire:lock:recurring-job:metering-period-close";
    private readonly HostGroup _group = new();
    private readonly CapturedLogs _logs = new();

    public ValueTask InitializeAsync() => _group.InitializeAsync();

    public ValueTask DisposeAsync() => _group.DisposeAsync();

    [Fact]
    public async Task Given_a_recurring_job_lock_left_by_a_dead_instance_When_a_host_starts_Then_it_waits_for_the_lock_to_expire_and_starts()
    {
        // A first instance installs the schema and the recurring jobs, then is gone.
        var first = _group.Add();
        _ = first.Services;
        await _group.StopAsync(first);

        // The lock row as an instance killed in the middle of evaluating the job leaves it: taken just now.
        await _group.Database.ScalarAsync<int>($"INSERT INTO hangfire.lock (resource, updatecount, acquired) VALUES ('{Resource}', 0, now())");

        var host = _group.Add(h => h
            // Longer than Hangfire's own wait for a recurring job's lock, so that wait runs out at least once.
            .WithSetting("Scheduler:DistributedLockTimeout", "00:00:25")
            .WithServices(services => services.AddSingleton<ILoggerProvider>(_logs)));
        await Task.Run(() => _ = host.Services, TestContext.Current.CancellationToken);

        var client = host.CreateClient();
        Assert.True(await Eventually.WaitUntilAsync(
            async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(60)));
        // It did meet the lock, said so once, and wrote the job after the row expired.
        Assert.Single(_logs.Entries, e => e.Level == LogLevel.Warning && e.AllText.Contains("metering-period-close") && e.AllText.Contains("lock"));
        Assert.Equal(0L, await _group.Database.ScalarAsync<long>($"SELECT count(*) FROM hangfire.lock WHERE resource = '{Resource}'"));
        Assert.Equal(1L, await _group.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = 'metering-period-close'"));
    }
}
