using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace FluxSuite.BuildingBlocks.Errors;

/// <summary>
/// Errors under a module's web pages: a short HTML page (a person reads it, not a client) with the
/// status, the message and the trace id, every piece of text encoded.
/// </summary>
public sealed class HtmlErrorFormat : IApiErrorFormat
{
    public static HtmlErrorFormat Instance { get; } = new();

    public JsonNamingPolicy FieldNaming => JsonNamingPolicy.SnakeCaseLower;

    public Type BodyType => typeof(string);

    public string ContentType => "text/html";

    public Task WriteAsync(HttpContext context, ApiError error, string traceId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        var title = WebUtility.HtmlEncode($"{error.Status} {ReasonPhrases.GetReasonPhrase(error.Status)}");
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'; frame-ancestors 'none'";
        return context.Response.WriteAsync(
            $"""
             <!DOCTYPE html>
             <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
             <title>{title} · FluxSuite</title><link rel="stylesheet" href="/assets/site.css"></head>
             <body><main class="page error-page"><h1>{title}</h1><p>{WebUtility.HtmlEncode(error.Message)}</p>
             <p class="muted">Trace id: <code>{WebUtility.HtmlEncode(traceId)}</code></p>
             <p><a href="/">FluxSuite home</a></p></main></body></html>
             """);
    }
}
