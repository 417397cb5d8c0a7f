using FluxSuite.Testing;

namespace FluxSuite.Host.Tests;

public sealed class LogLevelConfigurationTests
{
    [Theory]
    [InlineData("Serilog:MinimumLevel:Default", "Informaton")]
    [InlineData("Serilog:MinimumLevel:Override:Npgsql", "Warn")]
    public async Task Given_a_misspelt_level_Then_the_host_does_not_start_and_says_which_value(string key, string level)
    {
        // The host fails while it is built, before it would touch the database.
        await using var factory = new FluxSuiteFactory("Host=127.0.0.1;Port=1;Database=unused").WithSetting(key, level);

        var failure = Assert.ThrowsAny<Exception>(() => factory.Services);

        var message = string.Join(" | ", Chain(failure).Select(e => e.Message));
        Assert.Contains("Serilog", message, StringComparison.Ordinal);
        Assert.Contains(level, message, StringComparison.Ordinal);
        Assert.Contains("Information", message, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Chain(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception;
        }
    }
}
