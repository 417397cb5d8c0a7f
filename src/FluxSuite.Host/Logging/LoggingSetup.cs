using Serilog;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace FluxSuite.Host;

internal static class LoggingSetup
{
    private const string ReadableTemplate =
        "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Serilog as the only logging provider: readable lines in Development, one JSON object per line
    /// elsewhere. Levels come from <c>Serilog:MinimumLevel:Default</c> and <c>Serilog:MinimumLevel:Override:{category}</c>.
    /// </summary>
    public static WebApplicationBuilder AddFluxLogging(this WebApplicationBuilder builder)
    {
        var levels = builder.Configuration.GetSection("Serilog:MinimumLevel");
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(ParseLevel(levels["Default"], "Serilog:MinimumLevel:Default") ?? LogEventLevel.Information)
            .Enrich.FromLogContext();
        foreach (var category in levels.GetSection("Override").GetChildren())
        {
            if (ParseLevel(category.Value, category.Path) is { } level)
            {
                configuration.MinimumLevel.Override(category.Key, level);
            }
        }

        configuration = builder.Environment.IsDevelopment()
            ? configuration.WriteTo.Console(outputTemplate: ReadableTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            : configuration.WriteTo.Console(new JsonFormatter(renderMessage: true));

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
        // The framework's own request lines carry the full URL, query string included, where signed
        // links keep their tokens. RequestLoggingMiddleware writes the request line instead.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        return builder;
    }

    private static LogEventLevel? ParseLevel(string? value, string key) =>
        string.IsNullOrWhiteSpace(value)
            ? null
            : Enum.TryParse<LogEventLevel>(value, ignoreCase: true, out var level)
                ? level
                : throw new InvalidOperationException(
                    $"{key} is '{value}'; use one of {string.Join(", ", Enum.GetNames<LogEventLevel>())}.");
}
