using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FluxSuite.BuildingBlocks.Net;
using Microsoft.Extensions.Options;

namespace FluxSuite.Listings.Pull;

internal enum FetchOutcome
{
    Document,
    NotModified,
    Failed,
}

/// <summary>What one fetch of a provider's document gave.</summary>
internal sealed record FetchResult(FetchOutcome Outcome, int? HttpStatus, JsonDocument? Document, string? ETag, string? LastModified, string? Error)
{
    public static FetchResult Failed(string error, int? status = null) => new(FetchOutcome.Failed, status, null, null, null, error);
}

/// <summary>
/// Fetches a provider's pull document: a conditional GET, within the time limit, following at most
/// the allowed number of redirects (each target checked again: http(s) only, and the connect-time
/// address guard applies to every hop), accepting only JSON and only up to the size limit.
/// </summary>
internal sealed class PullFetcher(IHttpClientFactory clients, IOptions<ListingsOptions> options)
{
    public const string ClientName = "listings-pull";

    private readonly PullOptions _options = options.Value.Pull;

    public async Task<FetchResult> FetchAsync(string url, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        var client = clients.CreateClient(ClientName);
        var uri = new Uri(url);
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (etag is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                }

                if (lastModified is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
                }

                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    if (redirects >= _options.MaxRedirects)
                    {
                        return FetchResult.Failed($"more than {_options.MaxRedirects} redirects (the last from {Show(uri)}).", status);
                    }

                    if (response.Headers.Location is not { } location)
                    {
                        return FetchResult.Failed($"HTTP {status} redirect from {Show(uri)} without a Location header.", status);
                    }

                    var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
                    if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
                    {
                        return FetchResult.Failed($"redirected to {next.Scheme}: URL; only http and https are followed.", status);
                    }

                    uri = next;
                    continue;
                }

                if (response.StatusCode == HttpStatusCode.NotModified)
                {
                    return etag is null && lastModified is null
                        ? FetchResult.Failed("HTTP 304 to a request that was not conditional.", status)
                        : new FetchResult(FetchOutcome.NotModified, status, null, etag, lastModified, null);
                }

                if (!response.IsSuccessStatusCode)
                {
                    return FetchResult.Failed($"HTTP {status} from {Show(uri)}.", status);
                }

                return await ReadDocumentAsync(response, status, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return FetchResult.Failed($"timed out after {_options.Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s.");
        }
        catch (HttpRequestException ex)
        {
            return FetchResult.Failed(Describe(ex, uri));
        }
    }

    private async Task<FetchResult> ReadDocumentAsync(HttpResponseMessage response, int status, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is null
            || !(mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                 || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            return FetchResult.Failed($"the response is {mediaType ?? "without a Content-Type"}, not application/json.", status);
        }

        var limit = _options.MaxBodyBytes;
        if (response.Content.Headers.ContentLength > limit)
        {
            return FetchResult.Failed(TooLarge(limit), status);
        }

        using var body = new MemoryStream();
        await using (var stream = await response.Content.ReadAsStreamAsync(cancellationToken))
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (body.Length + read > limit)
                {
                    return FetchResult.Failed(TooLarge(limit), status);
                }

                body.Write(buffer, 0, read);
            }
        }

        try
        {
            var document = JsonDocument.Parse(body.ToArray());
            return new FetchResult(FetchOutcome.Document, status, document, response.Headers.ETag?.ToString(),
                response.Content.Headers.LastModified?.ToString("R", CultureInfo.InvariantCulture), null);
        }
        catch (JsonException ex)
        {
            var cut = ex.Message.IndexOf(" Path:", StringComparison.Ordinal);
            return FetchResult.Failed($"invalid JSON: {(cut > 0 ? ex.Message[..cut] : ex.Message)}", status);
        }
    }

    private static string TooLarge(long limit) =>
        $"the response is larger than the limit of {limit.ToString("N0", CultureInfo.InvariantCulture)} bytes.";

    /// <summary>A URL for messages and logs, without its query: providers sometimes put a token there.</summary>
    private static string Show(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    private static string Describe(HttpRequestException exception, Uri uri)
    {
        if (GuardedConnector.RefusalIn(exception) is { } refused)
        {
            return refused.Message;
        }

        var reason = exception.InnerException?.Message ?? exception.Message;
        return $"could not fetch {Show(uri)}: {reason}";
    }
}
