using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;

namespace FluxSuite.Host.Errors;

/// <summary>
/// The last line of defence: every exception that escapes an endpoint becomes an error in the format
/// of the module that owns the route. A refusal (<see cref="ApiErrorException"/>) is written as it is;
/// bad input is a 4xx naming the problem; an unreachable database
/// or a full queue is a 503 with Retry-After (an outage is logged once, see <see cref="DatabaseOutageLog"/>);
/// anything else is a 500 with a trace id and no internals.
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger, ApiErrorFormats formats, DatabaseOutageLog outages) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.Response.HasStarted)
        {
            LogUnhandled(logger, httpContext.Request.Method, httpContext.Request.Path.Value, exception);
            return false;
        }

        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            LogAborted(logger, httpContext.Request.Method, httpContext.Request.Path.Value);
            httpContext.Response.StatusCode = 499;
            return true;
        }

        if (exception is ApiErrorException refused)
        {
            if (refused.InnerException is { } cause)
            {
                LogFailed(logger, httpContext.Request.Method, httpContext.Request.Path.Value, refused.Error.Code, cause);
            }
            else
            {
                LogRejected(logger, httpContext.Request.Method, httpContext.Request.Path.Value, refused.Error.Status, refused.Error.Message);
            }

            await ApiErrorWriter.WriteAsync(httpContext, refused.Error);
            return true;
        }

        if (DatabaseOutage.IsOutage(exception))
        {
            outages.Failed(httpContext.Request.Method, httpContext.Request.Path.Value, exception);
            await ApiErrorWriter.WriteAsync(httpContext, ApiError.Unavailable(
                "The service cannot reach its database right now. Retry shortly, with the same idempotency key where the route takes one: " +
                "a write that was committed just before the connection broke is then recognised, not done twice.",
                DatabaseOutageLog.RetryAfterSeconds));
            return true;
        }

        if (exception is ServiceUnavailableException unavailable)
        {
            LogRejected(logger, httpContext.Request.Method, httpContext.Request.Path.Value, StatusCodes.Status503ServiceUnavailable, unavailable.Message);
            await ApiErrorWriter.WriteAsync(httpContext, ApiError.Unavailable(unavailable.Message, unavailable.RetryAfterSeconds));
            return true;
        }

        // The middleware has already cleared the endpoint from the context; its feature keeps it.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
        var error = ToClientError(exception, formats.For(httpContext.Request.Path).FieldNaming, bodyType);
        if (error is null)
        {
            LogUnhandled(logger, httpContext.Request.Method, httpContext.Request.Path.Value, exception);
            error = ApiError.Internal();
        }
        else
        {
            LogRejected(logger, httpContext.Request.Method, httpContext.Request.Path.Value, error.Status, error.Message);
        }

        await ApiErrorWriter.WriteAsync(httpContext, error);
        return true;
    }

    /// <summary>The 4xx an exception stands for, or null when it is a server fault.</summary>
    internal static ApiError? ToClientError(Exception exception, JsonNamingPolicy fieldNaming, Type? bodyType) => exception switch
    {
        RequestBodyTooLargeException tooLarge => RequestBodyLimitMiddleware.TooLarge(tooLarge.Limit),
        JsonException json => JsonErrorDescriber.Describe(json, fieldNaming, bodyType),
        BadHttpRequestException { InnerException: JsonException json } => JsonErrorDescriber.Describe(json, fieldNaming, bodyType),
        BadHttpRequestException { InnerException: RequestBodyTooLargeException tooLarge } => RequestBodyLimitMiddleware.TooLarge(tooLarge.Limit),
        BadHttpRequestException bad => DescribeBadRequest(bad),
        _ => null,
    };

    private static ApiError DescribeBadRequest(BadHttpRequestException exception)
    {
        var message = exception.Message;
        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return ApiError.NotJson;
        }

        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return RequestBodyLimitMiddleware.TooLarge(RequestBodyLimitMiddleware.DefaultLimit);
        }

        if ((message.StartsWith("Required parameter", StringComparison.Ordinal) && message.Contains("from body", StringComparison.Ordinal))
            || message.Contains("no body was provided", StringComparison.Ordinal))
        {
            return ApiError.Validation("A JSON request body is required.");
        }

        // Route and query binding failures, e.g. 'Failed to bind parameter "int page" from "abc".'
        return ApiError.Validation(message);
    }

    [LoggerMessage(LogLevel.Error, "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, string? path, Exception exception);

    [LoggerMessage(LogLevel.Error, "{Method} {Path} answered {Code}")]
    private static partial void LogFailed(ILogger logger, string method, string? path, string code, Exception exception);

    [LoggerMessage(LogLevel.Information, "Rejected {Method} {Path} with {StatusCode}: {Problem}")]
    private static partial void LogRejected(ILogger logger, string method, string? path, int statusCode, string problem);

    [LoggerMessage(LogLevel.Debug, "Client aborted {Method} {Path}")]
    private static partial void LogAborted(ILogger logger, string method, string? path);
}
