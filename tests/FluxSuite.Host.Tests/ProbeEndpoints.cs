using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace FluxSuite.Host.Tests;

/// <summary>
/// Test-only endpoints under each module's base path, added behind the host's whole pipeline, so the
/// host's error handling, body limit and logging can be exercised before modules have routes of their own.
/// </summary>
internal sealed class ProbeEndpoints : IStartupFilter
{
    public static readonly string[] ModuleBases = ["/api/providers", "/api/v1", "/metering/api/v1"];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.UseEndpoints(endpoints =>
        {
            foreach (var basePath in ModuleBases)
            {
                var probe = endpoints.MapGroup(basePath + "/__probe");
                probe.MapPost("/echo", (ProbeBody body) => Results.Ok(body));
                probe.MapGet("/page", (int page) => Results.Ok(new { page }));
                probe.MapGet("/throw", IResult () => throw new InvalidOperationException("secret internal detail: connection to 10.0.0.7 failed"));
            }
        });
    };
}

internal sealed record ProbeBody(string Name, int Count, ProbeItem[]? Items);

internal sealed record ProbeItem(decimal Price);
