using System.Net;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FluxSuite.Host.Tests;

/// <summary>
/// Two instances starting at the same moment on an empty database: the migrations and Hangfire's schema
/// are installed once, under the start-up advisory lock, and neither instance logs an error.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class ConcurrentStartTests : IAsyncLifetime
{
    private readonly HostGroup _group = new();
    private readonly CapturedLogs _logs = new();

    public ValueTask InitializeAsync() => _group.InitializeAsync();

    public ValueTask DisposeAsync() => _group.DisposeAsync();

    [Fact]
    public async Task Given_two_instances_starting_together_on_an_empty_database_Then_both_are_ready_and_nothing_raced()
    {
        for (var i = 0; i < 2; i++)
        {
            _group.Add(host => host
                .WithSetting("Serilog:MinimumLevel:Default", "Information")
                .WithServices(services => services.AddSingleton<ILoggerProvider>(_logs)));
        }

        await Task.WhenAll(_group.Hosts.Select(host => Task.Run(() => _ = host.Services, TestContext.Current.CancellationToken)));

        foreach (var host in _group.Hosts)
        {
            var client = host.CreateClient();
            Assert.True(await Eventually.WaitUntilAsync(
                async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30)));
        }

        var errors = _logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.AllText}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Equal(1L, await _group.Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.schema"));
        Assert.Equal(0L, await _group.Database.ScalarAsync<long>("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'scheduler'"));
        // Both wrote the same recurring jobs; each is there once.
        Assert.Equal(8L, await _group.Database.ScalarAsync<long>("SELECT count(DISTINCT value) FROM hangfire.set WHERE key = 'recurring-jobs'"));
    }
}

/// <summary>
/// Tests that read every error their hosts log, run after all others and alone: Hangfire's logging is process-wide
/// and goes to the newest host running (HangfireLogRouting), so a job another test fails on purpose at the same
/// time would be logged by these hosts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
