using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace FluxSuite.Testing;

/// <summary>
/// A customer's webhook receiver on a loopback port: keeps every request, answers as the test says
/// (<see cref="Respond"/>), and can be stopped and started again on the same port (a receiver that is down).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private WebApplication? _app;

    private WebhookReceiver(int port) => Port = port;

    public int Port { get; private set; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>How a request is answered: a status code, after an optional delay (200 by default).</summary>
    public Func<ReceivedWebhook, (int Status, TimeSpan Delay)> Respond { get; set; } = _ => (StatusCodes.Status200OK, TimeSpan.Zero);

    /// <summary>The Location header of 3xx answers.</summary>
    public string? RedirectLocation { get; set; }

    public string Url(string path = "/hooks") => $"http://127.0.0.1:{Port}{path}";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver(0);
        await receiver.StartAgainAsync();
        return receiver;
    }

    /// <summary>Starts listening again (on the port it had); the first start picks a free port.</summary>
    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, Port));
        var app = builder.Build();
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var received = new ReceivedWebhook(context.Request.Path, await reader.ReadToEndAsync(context.RequestAborted),
                new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value)));
            Received.Enqueue(received);
            var (status, delay) = Respond(received);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            context.Response.StatusCode = status;
            if (status is >= 300 and < 400 && RedirectLocation is not null)
            {
                context.Response.Headers.Location = RedirectLocation;
            }

            await context.Response.WriteAsync($"answered {status}", context.RequestAborted);
        });
        await app.StartAsync();
        Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        _app = app;
    }

    /// <summary>Stops listening: connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}

/// <summary>One request the receiver got.</summary>
public sealed record ReceivedWebhook(string Path, string Body, IHeaderDictionary Headers)
{
    public string? Id => Headers["webhook-id"].FirstOrDefault();

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;

    public JsonElement Data => Json.GetProperty("data");

    /// <summary>
    /// True when an independent Standard Webhooks implementation (the StandardWebhooks package) accepts the
    /// signature with <paramref name="secret"/>; it also requires the timestamp within 5 minutes of the real clock.
    /// </summary>
    public bool VerifiesWith(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        try
        {
            new StandardWebhook(secret).Verify(Body, Headers);
            return true;
        }
        catch (WebhookVerificationException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when the signature header holds the one the StandardWebhooks package computes for this id,
    /// timestamp and body with <paramref name="secret"/>, whatever the timestamp (for deliveries made on a test clock).
    /// </summary>
    public bool SignatureMatches(string secret)
    {
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(long.Parse(Headers["webhook-timestamp"].ToString(), System.Globalization.CultureInfo.InvariantCulture));
        var expected = new StandardWebhook(secret).Sign(Id, timestamp, Body);
        return Headers["webhook-signature"].ToString().Split(' ').Contains(expected, StringComparer.Ordinal);
    }
}

public static class WebhookHosts
{
    /// <summary>Deliveries may reach loopback receivers, an attempt times out after a second, and the delivery job fires only when a test runs it.</summary>
    public static FluxSuiteFactory WithWebhookTestSettings(this FluxSuiteFactory host) =>
        (host ?? throw new ArgumentNullException(nameof(host)))
        .WithSetting("Webhooks:AllowPrivateNetworks", "true")
        .WithSetting("Webhooks:Timeout", "00:00:01")
        .WithSetting($"Scheduler:Jobs:{FluxSuite.BuildingBlocks.Webhooks.WebhookDeliveryJob.Id}", "never");

    /// <summary>One run of the delivery job on <paramref name="host"/>; returns how many attempts it made.</summary>
    public static Task<int> DeliverWebhooksAsync(this FluxSuiteFactory host) =>
        ActivatorUtilities.CreateInstance<FluxSuite.BuildingBlocks.Webhooks.WebhookDeliveryJob>(host.Services).DeliverDueAsync(CancellationToken.None);
}
