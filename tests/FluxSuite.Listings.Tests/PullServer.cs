using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FluxSuite.Listings.Tests;

/// <summary>
/// A provider's own HTTP server on a loopback address, started by the test: each path answers as the
/// test says, and every request it receives is kept.
/// </summary>
public sealed class PullServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PullServer(WebApplication app, string baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public string BaseAddress { get; }

    public ConcurrentDictionary<string, RequestDelegate> Routes { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public string Url(string path) => BaseAddress + path;

    public static async Task<PullServer> StartAsync(string address = "127.0.0.1")
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Parse(address), 0));
        var app = builder.Build();
        PullServer? server = null;
        app.Run(context =>
        {
            server!.Received.Enqueue(new ReceivedRequest(
                context.Request.Path.Value ?? string.Empty,
                context.Request.Headers.IfNoneMatch.ToString(),
                context.Request.Headers.IfModifiedSince.ToString()));
            if (server.Routes.TryGetValue(context.Request.Path.Value ?? string.Empty, out var handler))
            {
                return handler(context);
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new PullServer(app, bound.TrimEnd('/'));
        return server;
    }

    /// <summary>Answers with a JSON document (and an ETag when given; a matching If-None-Match gets 304).</summary>
    public void Json(string path, string json, string? etag = null, string contentType = "application/json") =>
        Routes[path] = async context =>
        {
            if (etag is not null)
            {
                if (context.Request.Headers.IfNoneMatch == etag)
                {
                    context.Response.StatusCode = StatusCodes.Status304NotModified;
                    return;
                }

                context.Response.Headers.ETag = etag;
            }

            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(json);
        };

    public void Status(string path, int status) =>
        Routes[path] = context =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        };

    public void Redirect(string path, string location, int status = StatusCodes.Status302Found) =>
        Routes[path] = context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.Location = location;
            return Task.CompletedTask;
        };

    public int Count(string path) => Received.Count(r => r.Path == path);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

public sealed record ReceivedRequest(string Path, string IfNoneMatch, string IfModifiedSince);
