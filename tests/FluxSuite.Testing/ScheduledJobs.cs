using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Testing;

/// <summary>
/// Runs and watches jobs through a host's Hangfire, as an operator would from the dashboard. Hangfire
/// schedules on the system clock while the jobs' logic reads the test clock: a test moves the clock,
/// then triggers the recurring job and waits for that run.
/// </summary>
public static class ScheduledJobs
{
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>"Trigger now": enqueues a run of the recurring job and waits until it has succeeded; returns the run's job id.</summary>
    public static async Task<string> RunRecurringJobAsync(this FluxSuiteFactory host, string recurringJobId, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var jobId = host.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(recurringJobId)
            ?? throw new InvalidOperationException($"The recurring job \"{recurringJobId}\" is not registered.");
        var state = await host.WaitForJobAsync(jobId, timeout);
        return state.Name == Succeeded ? jobId
            : throw new InvalidOperationException($"The run {jobId} of {recurringJobId} ended {state.Name}: {Describe(state)}");
    }

    /// <summary>Waits until the job has succeeded, failed or been deleted, and returns that state.</summary>
    public static async Task<StateData> WaitForJobAsync(this FluxSuiteFactory host, string jobId, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        var limit = timeout ?? DefaultTimeout;
        StateData? state = null;
        var ended = await Eventually.WaitUntilAsync(() =>
        {
            state = host.JobState(jobId);
            return Task.FromResult(state?.Name is Succeeded or Failed or "Deleted");
        }, limit);
        return ended ? state!
            : throw new TimeoutException($"The job {jobId} did not finish within {limit.TotalSeconds} s (last state: {state?.Name ?? "none"}).");
    }

    /// <summary>The job's current state as stored, or null when there is no such job.</summary>
    public static StateData? JobState(this FluxSuiteFactory host, string jobId)
    {
        ArgumentNullException.ThrowIfNull(host);
        using var connection = host.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetStateData(jobId);
    }

    /// <summary>The ids of the background jobs in a state (e.g. "Failed", "Succeeded"), newest first.</summary>
    public static IReadOnlyList<(string Id, string Display)> JobsIn(this FluxSuiteFactory host, string state, int count = 100)
    {
        ArgumentNullException.ThrowIfNull(host);
        var monitoring = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        return state switch
        {
            Failed => [.. monitoring.FailedJobs(0, count).Select(j => (j.Key, j.Value.Job?.ToString() ?? string.Empty))],
            Succeeded => [.. monitoring.SucceededJobs(0, count).Select(j => (j.Key, j.Value.Job?.ToString() ?? string.Empty))],
            "Processing" => [.. monitoring.ProcessingJobs(0, count).Select(j => (j.Key, j.Value.Job?.ToString() ?? string.Empty))],
            _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Failed, Succeeded or Processing"),
        };
    }

    private static string Describe(StateData state) =>
        state.Data.TryGetValue("ExceptionMessage", out var message) ? message : string.Join(", ", state.Data.Select(d => $"{d.Key}={d.Value}"));
}
