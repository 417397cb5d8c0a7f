using System.Net.Http.Headers;
using FluxSuite.BuildingBlocks.OpenApi;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Testing;

/// <summary>
/// The real host, in memory, on a test database, with a clock the test controls and a known operator key.
/// Migrations run at start-up exactly as in production.
/// </summary>
/// <param name="connectionString">The test database.</param>
/// <param name="clock">The clock; pass one clock to several hosts to move them (and their schedulers) together.</param>
public class FluxSuiteFactory(string connectionString, ManualTimeProvider clock) : WebApplicationFactory<Program>
{
    public FluxSuiteFactory(string connectionString)
        : this(connectionString, new ManualTimeProvider())
    {
    }

    public const string AdminKey = "test-operator-key-0123456789abcdefghijklmnop";

    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ConnectionStrings:Default"] = connectionString,
        ["Admin:ApiKey"] = AdminKey,
        ["Metering:Jwt:SigningKey"] = "test-signing-key-that-is-long-enough-for-hmac-sha256-0123456789",
        // Hangfire on real time, tightened so that a test does not wait long for a run it triggered.
        ["Scheduler:WorkerCount"] = "2",
        ["Scheduler:QueuePollInterval"] = "00:00:00.200",
        ["Scheduler:SchedulePollingInterval"] = "00:00:01",
        ["Scheduler:InvisibilityTimeout"] = "00:00:10",
        ["Scheduler:HeartbeatInterval"] = "00:00:02",
        ["Scheduler:ServerTimeout"] = "00:00:10",
        ["Scheduler:ShutdownTimeout"] = "00:00:05",
        // A test host stops at once; the drain before a stop is tested on its own.
        ["Shutdown:DrainDelay"] = "00:00:00",
        // Keep test output readable: the tests assert on behaviour, not on log lines.
        ["Serilog:MinimumLevel:Default"] = "Warning",
        ["Listings:Pull:AllowPrivateNetworks"] = "true",
    };

    private readonly List<Action<IServiceCollection>> _services = [];
    private bool _realClock;

    /// <summary>
    /// The clock the modules (and so the jobs' logic) read. It stands still until the test moves it. Hangfire
    /// schedules on the system clock: to run a job at a moved time, trigger it (<see cref="ScheduledJobs"/>).
    /// </summary>
    public ManualTimeProvider Clock { get; } = clock;

    /// <summary>Keeps the system clock for the modules too.</summary>
    public FluxSuiteFactory WithRealClock()
    {
        _realClock = true;
        return this;
    }

    /// <summary>Serves on a real loopback port (Kestrel) instead of in memory, for a browser to reach; see <see cref="ServerAddress"/>.</summary>
    public FluxSuiteFactory WithRealServer()
    {
        UseKestrel(0);
        return this;
    }

    /// <summary>Where the real server listens (after <see cref="WithRealServer"/>), such as <c>http://127.0.0.1:41234</c>.</summary>
    public Uri ServerAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Overrides a configuration value (<c>Section:Key</c>) before the host starts.</summary>
    public FluxSuiteFactory WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Adds or replaces services after the application's own registrations.</summary>
    public FluxSuiteFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            if (!_realClock)
            {
                services.AddSingleton<TimeProvider>(Clock);
            }

            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }

    /// <summary>A client that sends the operator key.</summary>
    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(OperatorSecurity.HeaderName, AdminKey);
        return client;
    }

    /// <summary>A client that sends <c>Authorization: Bearer {token}</c>.</summary>
    public HttpClient CreateBearerClient(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
