using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Security;
using Microsoft.Extensions.Options;

namespace FluxSuite.Host.Operators;

internal sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>The operator key every <c>/admin</c> request must present in <c>X-Admin-Key</c>.</summary>
    public string? ApiKey { get; set; }
}

/// <summary>
/// Guards every path under <c>/admin</c>, matched route or not, so an unauthenticated caller cannot
/// even learn which operator routes exist. The key is compared in constant time.
/// </summary>
internal sealed class OperatorKeyMiddleware(RequestDelegate next, IOptionsMonitor<AdminOptions> options)
{
    public static readonly PathString AdminPath = new("/admin");

    public Task InvokeAsync(HttpContext context)
    {
        var expected = options.CurrentValue.ApiKey;
        if (string.IsNullOrEmpty(expected))
        {
            return ApiErrorWriter.WriteAsync(context, ApiError.Unauthorized(
                "Operator routes are disabled: no operator key is configured (Admin:ApiKey)."));
        }

        var presented = context.Request.Headers[OperatorSecurity.HeaderName];
        if (presented.Count != 1 || !KeyHash.FixedTimeEquals(presented[0], expected))
        {
            return ApiErrorWriter.WriteAsync(context, ApiError.Unauthorized(
                presented.Count == 0 ? "Missing X-Admin-Key header." : "Invalid X-Admin-Key."));
        }

        return next(context);
    }
}
