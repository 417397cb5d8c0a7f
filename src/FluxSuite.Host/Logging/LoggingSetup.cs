using FluxSuite.BuildingBlocks.Errors;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace FluxSuite.Host;

internal static class LoggingSetup
{
    private const string ReadableTemplate =
        "[{Timestamp:HH:mm:ss} {Level:u3} {Instance}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    private const string RequestTemplate =
        "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms (trace {TraceId})";

    /// <summary>
    /// Serilog as the only logging provider: readable lines in Development, CLEF (one JSON object per
    /// line) elsewhere. Levels and overrides come from the <c>Serilog</c> configuration section.
    /// </summary>
    public static WebApplicationBuilder AddFluxLogging(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Logging.ClearProviders();
        // The configuration is read when the container first builds the logger, so settings added by a
        // test host are seen. writeToProviders passes every event on to ILoggerProviders registered in
        // the container too (the tests' log capture); the host itself registers none.
        builder.Services.AddSerilog(
            (services, logger) =>
            {
                ReadLevels(logger, services.GetRequiredService<IConfiguration>());
                logger.Enrich.FromLogContext();
                // Which instance wrote the line, when several run behind a load balancer.
                logger.Enrich.WithProperty("Instance", services.GetRequiredService<InstanceIdentity>().Name);
                if (development)
                {
                    logger.WriteTo.Console(outputTemplate: ReadableTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
                }
                else
                {
                    logger.WriteTo.Console(new CompactJsonFormatter());
                }
            },
            preserveStaticLogger: true,
            writeToProviders: true);
        return builder;
    }

    /// <summary>
    /// One line per request: method, path without the query string, status, elapsed milliseconds and
    /// trace id; 5xx at Error, 4xx at Warning. No header, cookie or query value is added, so keys sent in
    /// <c>Authorization</c>, <c>X-Admin-Key</c>, <c>X-API-Key</c>, <c>Cookie</c> or a signed link cannot
    /// reach the logs from here. The framework's own request lines (with the full URL) stay below the
    /// <c>Microsoft.AspNetCore</c> override of Warning.
    /// </summary>
    public static WebApplication UseFluxRequestLogging(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<Serilog.ILogger>();
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = logger;
            options.MessageTemplate = RequestTemplate;
            options.IncludeQueryInRequestPath = false;
            options.GetLevel = static (context, _, exception) => exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError
                ? LogEventLevel.Error
                : context.Response.StatusCode >= StatusCodes.Status400BadRequest ? LogEventLevel.Warning : LogEventLevel.Information;
            options.EnrichDiagnosticContext = static (diagnostics, context) => diagnostics.Set("TraceId", ApiErrorWriter.TraceId(context));
        });
        return app;
    }

    private static void ReadLevels(LoggerConfiguration logger, IConfiguration configuration)
    {
        try
        {
            logger.ReadFrom.Configuration(configuration);
        }
        catch (InvalidOperationException ex)
        {
            // Serilog names the bad value but not where it came from or what would do.
            throw new InvalidOperationException(
                $"The Serilog configuration section is invalid: {ex.Message} Check Serilog:MinimumLevel:Default and "
                + $"Serilog:MinimumLevel:Override:* (levels: {string.Join(", ", Enum.GetNames<LogEventLevel>())}).",
                ex);
        }
    }
}
