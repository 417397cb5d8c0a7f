using System.Net;
using FluxSuite.Testing;
using Npgsql;

namespace FluxSuite.Host.Tests;

/// <summary>
/// Each instance names itself in the <c>X-Instance</c> header of every answer and in its log events, so
/// that behind a load balancer a client can see which host answered.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class InstanceHeaderTests(HostApp app)
{
    [Theory]
    [InlineData("/api/v1/__probe/page?page=1", 200)]
    [InlineData("/api/v1/__probe/no-such-route", 404)]
    [InlineData("/api/v1/__probe/throw", 500)]
    [InlineData("/health/live", 200)]
    public async Task Given_any_answer_Then_it_names_the_instance_that_gave_it(string path, int status)
    {
        var client = app.CreateClient();

        var first = await client.GetAsync(path);
        var second = await client.GetAsync(path);

        Assert.Equal(status, (int)first.StatusCode);
        var name = Assert.Single(first.Headers.GetValues("X-Instance"));
        Assert.False(string.IsNullOrWhiteSpace(name));
        Assert.Equal(name, Assert.Single(second.Headers.GetValues("X-Instance")));
    }

    [Fact]
    public async Task Given_a_request_Then_its_log_line_carries_the_instance_name()
    {
        var response = await app.CreateClient().GetAsync("/api/v1/__probe/page?page=3");

        var name = Assert.Single(response.Headers.GetValues("X-Instance"));
        var trace = Assert.Single(response.Headers.GetValues("X-Trace-Id"));
        var line = Assert.Single(app.Logs.Entries, e => e.Category.EndsWith("RequestLoggingMiddleware", StringComparison.Ordinal)
                                                         && e.Message.Contains(trace, StringComparison.Ordinal));
        Assert.Contains($"Instance={name}", line.Values);
    }
}

/// <summary>
/// Two instances on one database, named by <c>Instance:Name</c>; and the start-up step (its session-level
/// advisory lock, the migrations' bookkeeping, Hangfire's installer) on <c>ConnectionStrings:Direct</c>
/// when it is set, so that <c>Default</c> can go through a transaction-mode pooler.
/// </summary>
public sealed class InstanceClusterTests : IAsyncLifetime
{
    private readonly HostGroup _group = new();

    public ValueTask InitializeAsync() => _group.InitializeAsync();

    public ValueTask DisposeAsync() => _group.DisposeAsync();

    [Fact]
    public async Task Given_two_named_instances_Then_each_answers_with_its_own_name()
    {
        var one = _group.Add(host => host.WithSetting("Instance:Name", "host-one"));
        var two = _group.Add(host => host.WithSetting("Instance:Name", "host-two"));

        var first = await one.CreateClient().GetAsync("/health/live");
        var second = await two.CreateClient().GetAsync("/health/live");

        Assert.Equal("host-one", Assert.Single(first.Headers.GetValues("X-Instance")));
        Assert.Equal("host-two", Assert.Single(second.Headers.GetValues("X-Instance")));
    }

    [Fact]
    public async Task Given_a_direct_connection_string_Then_the_start_up_step_uses_it()
    {
        var wrong = new NpgsqlConnectionStringBuilder(_group.Database.ConnectionString) { Password = "not-the-password" }.ConnectionString;
        var broken = _group.Add(host => host.WithSetting("ConnectionStrings:Direct", wrong));

        // Default reaches the database; only the start-up step uses Direct, and it cannot log in.
        var failure = Assert.ThrowsAny<Exception>(() => broken.Services);
        Assert.Contains("password authentication failed", failure.ToString(), StringComparison.Ordinal);
        await _group.StopAsync(broken);

        var direct = _group.Add(host => host.WithSetting("ConnectionStrings:Direct", _group.Database.ConnectionString));
        Assert.Equal(HttpStatusCode.OK, (await direct.CreateClient().GetAsync("/health/ready")).StatusCode);
    }
}
