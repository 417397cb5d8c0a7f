using System.Collections.Concurrent;
using System.Diagnostics;

namespace FluxSuite.Testing;

/// <summary>
/// The commands the host sends to PostgreSQL for one request: Npgsql starts an activity for every command or batch
/// it executes (EF's included), as a child of the request's activity. A request sent through <see cref="SendAsync"/>
/// carries a trace id of its own (<c>traceparent</c>), so requests of other tests running at the same time, and the
/// host's jobs, are not counted. Each command is its statement text (a batch's statements joined by <c>;</c>), in the
/// order the commands started.
/// </summary>
public sealed class DatabaseCommands : IDisposable
{
    private readonly ConcurrentDictionary<ActivityTraceId, ConcurrentQueue<(DateTime Start, string Text)>> _commands = new();
    private readonly ActivityListener _listener;

    public DatabaseCommands()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.Source.Name == "Npgsql" && _commands.TryGetValue(activity.TraceId, out var commands))
                {
                    var text = activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? activity.DisplayName;
                    commands.Enqueue((activity.StartTimeUtc, text.Trim()));
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Sends <paramref name="request"/> and returns its response, read to the end, with the commands the host ran for it.</summary>
    public async Task<(HttpResponseMessage Response, IReadOnlyList<string> Commands)> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(request);
        var trace = ActivityTraceId.CreateRandom();
        _commands[trace] = new();
        request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return (response, _commands.TryRemove(trace, out var commands) ? [.. commands.OrderBy(c => c.Start).Select(c => c.Text)] : []);
    }

    public void Dispose() => _listener.Dispose();
}
