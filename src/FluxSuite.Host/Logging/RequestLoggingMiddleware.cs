using System.Diagnostics;
using FluxSuite.BuildingBlocks.Errors;

namespace FluxSuite.Host.Logging;

/// <summary>
/// One log line per request: method, path, status, elapsed milliseconds and trace id. Headers and the
/// query string are never logged, so keys sent in <c>Authorization</c>, <c>X-Admin-Key</c>,
/// <c>X-API-Key</c>, <c>Cookie</c> or a signed link cannot reach the logs from here.
/// </summary>
internal sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var traceId = ApiErrorWriter.TraceId(context);
        // Set when the response starts: the exception handler clears headers set earlier.
        context.Response.OnStarting(static state =>
        {
            var (response, id) = ((HttpResponse, string))state;
            response.Headers[ApiErrorWriter.TraceIdHeader] = id;
            return Task.CompletedTask;
        }, (context.Response, traceId));
        var failed = true;
        try
        {
            await next(context);
            failed = false;
        }
        finally
        {
            var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (status >= StatusCodes.Status500InternalServerError)
            {
                LogFailed(logger, context.Request.Method, context.Request.Path.Value, status, elapsed, traceId);
            }
            else
            {
                LogCompleted(logger, context.Request.Method, context.Request.Path.Value, status, elapsed, traceId);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms (trace {TraceId})")]
    private static partial void LogCompleted(ILogger logger, string method, string? path, int statusCode, double elapsedMs, string traceId);

    [LoggerMessage(LogLevel.Error, "HTTP {Method} {Path} responded {StatusCode} in {ElapsedMs:0.0} ms (trace {TraceId})")]
    private static partial void LogFailed(ILogger logger, string method, string? path, int statusCode, double elapsedMs, string traceId);
}
