using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.BuildingBlocks.Errors;

/// <summary>Writes an <see cref="ApiError"/> in the format of the module that owns the request path.</summary>
public static class ApiErrorWriter
{
    public const string TraceIdHeader = "X-Trace-Id";

    public static Task WriteAsync(HttpContext context, ApiError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        var formats = context.RequestServices.GetService<ApiErrorFormats>();
        var format = formats?.For(context.Request.Path) ?? ProblemJsonErrorFormat.Default;
        context.Response.StatusCode = error.Status;
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return format.WriteAsync(context, error, TraceId(context));
    }

    /// <summary>The id that ties a response to its log lines: the W3C trace id when tracing is on, else the request id.</summary>
    public static string TraceId(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var activity = Activity.Current;
        return activity is not null && activity.IdFormat == ActivityIdFormat.W3C
            ? activity.TraceId.ToHexString()
            : context.TraceIdentifier;
    }
}
