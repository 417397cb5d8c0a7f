using System.Globalization;
using System.Text;
using FluxSuite.BuildingBlocks.Net;
using Microsoft.Extensions.Options;

namespace FluxSuite.BuildingBlocks.Webhooks;

/// <summary>What one delivery attempt gave.</summary>
public sealed record AttemptResult(bool Delivered, int? StatusCode, string? Response, string? Error, int DurationMs);

/// <summary>
/// Sends one signed webhook request through the guarded client: the address guard applies at connect
/// time, redirects are not followed (a 3xx is a failure, so no redirect can lead to a guarded address),
/// the whole attempt has a time limit and at most <see cref="WebhookOptions.MaxResponseBytes"/> of the
/// answer is read. A 2xx answer is a delivery; anything else is a failed attempt.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, IOptions<WebhookOptions> options, TimeProvider clock)
{
    public const string ClientName = "webhooks";

    public async Task<AttemptResult> SendAsync(string url, string messageId, string payload, string secret, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var body = Encoding.UTF8.GetBytes(payload);
        var started = clock.GetTimestamp();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            var timestamp = clock.GetUtcNow();
            request.Headers.TryAddWithoutValidation(WebhookSignature.IdHeader, messageId);
            request.Headers.TryAddWithoutValidation(WebhookSignature.TimestampHeader, WebhookSignature.UnixSeconds(timestamp));
            request.Headers.TryAddWithoutValidation(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, messageId, timestamp, body));
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var status = (int)response.StatusCode;
            var excerpt = await ReadExcerptAsync(response, settings, deadline.Token);
            var delivered = status is >= 200 and < 300;
            var error = delivered ? null
                : status is >= 300 and < 400 ? $"HTTP {status}: redirects are not followed; register the final URL."
                : $"HTTP {status}.";
            return new AttemptResult(delivered, status, excerpt, error, Elapsed(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure($"timed out after {settings.Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s.", started);
        }
        catch (HttpRequestException ex)
        {
            var reason = GuardedConnector.RefusalIn(ex)?.Message ?? ex.InnerException?.Message ?? ex.Message;
            return Failure(reason, started);
        }
    }

    private AttemptResult Failure(string error, long started) => new(false, null, null, error, Elapsed(started));

    private int Elapsed(long started) => (int)Math.Min(int.MaxValue, clock.GetElapsedTime(started).TotalMilliseconds);

    /// <summary>The start of the answer as text: at most MaxResponseBytes read, ResponseExcerptLength characters kept.</summary>
    private static async Task<string?> ReadExcerptAsync(HttpResponseMessage response, WebhookOptions settings, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[settings.MaxResponseBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        if (length == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, length);
        return text.Length <= settings.ResponseExcerptLength ? text : text[..settings.ResponseExcerptLength];
    }
}
