using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Serilog.Events;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace FluxSuite.Testing;

/// <summary>
/// An <see cref="ILoggerProvider"/> that keeps every event, with its rendered message and its structured
/// values. The host's Serilog logger passes each event on to the providers registered in the container,
/// with the message template and the property values as the state.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        private const string OriginalFormat = "{OriginalFormat}";

        // As a person reads it on the console: strings without quotes.
        private static readonly MessageTemplateTextFormatter MessageFormatter = new("{Message:lj}", CultureInfo.InvariantCulture);

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var pairs = state is IEnumerable<KeyValuePair<string, object?>> values ? values.ToList() : [];
            var properties = pairs.Where(p => p.Key != OriginalFormat)
                .Select(p => new LogEventProperty(p.Key, p.Value as LogEventPropertyValue ?? new ScalarValue(p.Value)));
            var message = pairs.Find(p => p.Key == OriginalFormat).Value is string template
                ? Render(template, properties)
                : formatter(state, exception);
            var texts = pairs.Select(p => $"{p.Key}={(p.Value is LogEventPropertyValue value ? Text(value) : p.Value)}").ToList();
            entries.Enqueue(new CapturedLog(category, logLevel, message, texts, exception?.ToString()));
        }

        private static string Render(string template, IEnumerable<LogEventProperty> properties)
        {
            var logEvent = new LogEvent(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, new MessageTemplateParser().Parse(template), properties);
            using var output = new StringWriter(CultureInfo.InvariantCulture);
            MessageFormatter.Format(logEvent, output);
            return output.ToString();
        }

        private static string? Text(LogEventPropertyValue value) =>
            value is ScalarValue { Value: var scalar } ? Convert.ToString(scalar, CultureInfo.InvariantCulture) : value.ToString();
    }
}

public sealed record CapturedLog(string Category, LogLevel Level, string Message, IReadOnlyList<string> Values, string? Exception)
{
    /// <summary>Everything the event carries, as text: message, structured values and exception.</summary>
    public string AllText => string.Join('\n', [Message, .. Values, Exception ?? string.Empty]);
}
