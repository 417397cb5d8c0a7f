using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Host.Errors;
using FluxSuite.Host.Operators;
using FluxSuite.Host.Persistence;
using FluxSuite.Host.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FluxSuite.Host;

/// <summary>The cross-cutting pieces every module relies on: database, clock, errors, operator key.</summary>
internal static class FluxPlatform
{
    public static WebApplicationBuilder AddFluxPlatform(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<InstanceIdentity>();
        services.AddFluxDatabase();
        services.AddFluxDataProtection();
        services.AddSingleton<ApiErrorFormats>();
        services.AddProblemDetails();
        services.AddSingleton<DatabaseOutageLog>();
        services.AddExceptionHandler<ApiExceptionHandler>();
        // Binding failures throw, so the exception handler answers them in the module's format with the
        // problem named, instead of an empty 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Unknown body fields are refused on every write route of every module (a 400 naming the field),
        // never silently dropped: a misspelt optional field must not pass for an absent one.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow);
        services.Configure<AdminOptions>(builder.Configuration.GetSection(AdminOptions.Section));
        services.AddAuthentication();
        services.AddAuthorization();
        return builder;
    }

    public static WebApplication UseFluxPipeline(this WebApplication app)
    {
        app.UseFluxRequestLogging();
        var instance = app.Services.GetRequiredService<InstanceIdentity>().Name;
        app.Use((context, next) =>
        {
            // Set when the response starts: the exception handler clears headers set earlier.
            context.Response.OnStarting(static state =>
            {
                var (response, id, name) = ((HttpResponse, string, string))state;
                response.Headers[ApiErrorWriter.TraceIdHeader] = id;
                response.Headers[InstanceIdentity.Header] = name;
                return Task.CompletedTask;
            }, (context.Response, ApiErrorWriter.TraceId(context), instance));
            return next(context);
        });
        app.UseExceptionHandler();
        // Routing and the framework answer 404/405 with an empty body; give those a body in the owning
        // module's format too.
        app.UseStatusCodePages(context => ApiErrorWriter.WriteAsync(context.HttpContext, DescribeStatus(context.HttpContext)));
        app.UseRouting();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(OperatorKeyMiddleware.AdminPath, StringComparison.OrdinalIgnoreCase),
            admin => admin.UseMiddleware<OperatorKeyMiddleware>());
        app.UseMiddleware<TextInputGuardMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    private static ApiError DescribeStatus(HttpContext context)
    {
        var request = context.Request;
        return context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ApiError.NotFound($"No route matches {request.Method} {request.Path}."),
            StatusCodes.Status405MethodNotAllowed => new ApiError(StatusCodes.Status405MethodNotAllowed, ApiErrorCodes.MethodNotAllowed,
                $"{request.Method} is not allowed on {request.Path}."),
            StatusCodes.Status401Unauthorized => ApiError.Unauthorized("Authentication is required."),
            StatusCodes.Status403Forbidden => ApiError.Forbidden("Not allowed."),
            StatusCodes.Status415UnsupportedMediaType => ApiError.NotJson,
            var status => new ApiError(status, status >= 500 ? ApiErrorCodes.InternalError : ApiErrorCodes.ValidationError,
                Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status)),
        };
    }
}
