using System.Collections.Concurrent;
using FluxSuite.Listings.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FluxSuite.Listings.Keys;

/// <summary>
/// Records when each key was last used without putting a write on the request's path: requests note
/// the time in memory and a background loop writes the latest time per key in one statement every
/// <see cref="ListingsOptions.KeyUsageFlushInterval"/>, and once more at shutdown.
/// </summary>
internal sealed partial class KeyUsageRecorder(
    IServiceScopeFactory scopes,
    IOptions<ListingsOptions> options,
    ILogger<KeyUsageRecorder> logger) : BackgroundService
{
    private ConcurrentDictionary<Guid, DateTimeOffset> _pending = new();

    public void Record(Guid keyId, DateTimeOffset at) =>
        _pending.AddOrUpdate(keyId, at, (_, earlier) => at > earlier ? at : earlier);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.KeyUsageFlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync flushes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(cancellationToken);
    }

    /// <summary>Writes the pending times; on failure they are kept for the next attempt.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.IsEmpty)
        {
            return;
        }

        var batch = Interlocked.Exchange(ref _pending, new ConcurrentDictionary<Guid, DateTimeOffset>());
        var ids = batch.Keys.ToArray();
        var times = ids.Select(id => batch[id]).ToArray();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ListingsDbContext>();
            await db.Database.ExecuteSqlAsync(
                $"""
                UPDATE listings.provider_keys k SET last_used_at = u.at
                FROM unnest({ids}, {times}) AS u(id, at)
                WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)
                """, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFlushFailed(logger, ids.Length, ex);
            foreach (var (id, at) in batch)
            {
                Record(id, at);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not record last use of {Count} provider key(s); will retry")]
    private static partial void LogFlushFailed(ILogger logger, int count, Exception exception);
}
