using FluxSuite.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FluxSuite.Host.Tests;

/// <summary>The host with probe endpoints and a log capture.</summary>
public sealed class HostApp : FluxSuiteApp
{
    public CapturedLogs Logs { get; } = new();

    protected override void Configure(FluxSuiteFactory factory) =>
        // The request lines under test are at Information.
        factory.WithSetting("Serilog:MinimumLevel:Default", "Information")
            .WithServices(services =>
            {
                services.AddSingleton<IStartupFilter, ProbeEndpoints>();
                services.AddSingleton<ILoggerProvider>(Logs);
            });
}

[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<HostApp>
{
    public const string Name = "host";
}
