using System.Collections.Concurrent;
using System.Diagnostics;

namespace FluxSuite.Listings.Tests;

/// <summary>
/// The commands the host sends to PostgreSQL for one request: Npgsql starts an activity for every command or batch
/// it executes (EF's included), as a child of the request's activity. A request sent through <see cref="SendAsync"/>
/// carries a trace id of its own (<c>traceparent</c>), so requests of other tests running at the same time, and the
/// host's jobs, are not counted.
/// </summary>
public sealed class DatabaseCommands : IDisposable
{
    private readonly ConcurrentDictionary<ActivityTraceId, ConcurrentQueue<string>> _commands = new();
    private readonly ActivityListener _listener;

    public DatabaseCommands()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = activity =>
            {
                if (activity.Source.Name == "Npgsql")
                {
                    _commands.GetOrAdd(activity.TraceId, _ => new()).Enqueue(
                        $"{activity.DisplayName}: {activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement")}");
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Sends <paramref name="request"/> and returns its response with the commands the host ran for it.</summary>
    public async Task<(HttpResponseMessage Response, IReadOnlyList<string> Commands)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var trace = ActivityTraceId.CreateRandom();
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var response = await client.SendAsync(request);
        return (response, _commands.TryRemove(trace, out var commands) ? [.. commands] : []);
    }

    public void Dispose() => _listener.Dispose();
}
