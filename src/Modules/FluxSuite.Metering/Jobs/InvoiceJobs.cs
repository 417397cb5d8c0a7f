using FluxSuite.BuildingBlocks.Scheduling;
using FluxSuite.Metering.Data;
using FluxSuite.Metering.Email;
using FluxSuite.Metering.Invoices;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering.Jobs;

/// <summary>
/// The three invoicing jobs, each every minute by default. Each firing runs on one instance, but a run
/// that outlasts the minute, a trigger by hand or a run taken over from an instance that died can
/// overlap the next: each job works in batches claimed with <c>FOR UPDATE SKIP LOCKED</c>, so runs share
/// the work instead of repeating it. None is retried: the next firing picks up what a failed run left.
/// </summary>
internal static class InvoiceJobs
{
    public const string Queue = "metering";

    public static void Schedule(IHostApplicationBuilder builder)
    {
        builder.AddRecurringJob<PeriodCloseJob>(PeriodCloseJob.Id, "* * * * *", Queue);
        builder.AddRecurringJob<InvoiceFinalizeJob>(InvoiceFinalizeJob.Id, "* * * * *", Queue);
        builder.AddRecurringJob<InvoiceEmailJob>(InvoiceEmailJob.Id, "* * * * *", Queue);
    }

    /// <summary>
    /// Runs batches until one claims nothing; subscriptions a batch could not finish are left out of the rest of the run.
    /// Every batch of the run works in one scope on one connection, held open from the first batch to the last: a
    /// PostgreSQL session pays for each shared buffer it touches for the first time (with 4 kB pages, docs/performance.md,
    /// "Huge pages"), so batches spread over the pool's idle sessions each read the same kind of pages as if cold. The
    /// context forgets the batch's entities after each one.
    /// </summary>
    public static async Task<int> RunBatchesAsync<TService>(
        IServiceScopeFactory scopes, Func<TService, IReadOnlyCollection<Guid>, Task<(int Claimed, int Done, IReadOnlyList<Guid> Failed)>> batch,
        CancellationToken cancellationToken)
        where TService : notnull
    {
        await using var scope = scopes.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<TService>();
        var db = scope.ServiceProvider.GetRequiredService<MeteringDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var failed = new HashSet<Guid>();
            var done = 0;
            while (true)
            {
                var result = await batch(service, failed);
                db.ChangeTracker.Clear();
                if (result.Claimed == 0)
                {
                    return done;
                }

                done += result.Done;
                failed.UnionWith(result.Failed);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>For every subscription whose period ended, the period's DRAFT invoice (missed periods too, oldest first).</summary>
[AutomaticRetry(Attempts = 0)]
internal sealed class PeriodCloseJob(IServiceScopeFactory scopes, IOptions<InvoiceOptions> options) : IRecurringJob
{
    public const string Id = "metering-period-close";

    public Task RunAsync(CancellationToken cancellationToken) => CloseDueAsync(cancellationToken);

    /// <summary>Closes every due period; returns how many invoices were drafted.</summary>
    public Task<int> CloseDueAsync(CancellationToken cancellationToken) =>
        InvoiceJobs.RunBatchesAsync<InvoiceDrafting>(scopes, async (drafting, skip) =>
        {
            var result = await drafting.CloseDueAsync(options.Value.BatchSize, skip, cancellationToken);
            return (result.Claimed, result.Created.Count, result.Failed);
        }, cancellationToken);
}

/// <summary>DRAFT invoices past their grace period become OPEN, numbered, and their email is queued.</summary>
[AutomaticRetry(Attempts = 0)]
internal sealed class InvoiceFinalizeJob(IServiceScopeFactory scopes, IOptions<InvoiceOptions> options) : IRecurringJob
{
    public const string Id = "metering-invoice-finalize";

    public Task RunAsync(CancellationToken cancellationToken) => FinalizeDueAsync(cancellationToken);

    /// <summary>Finalizes every due draft; returns how many were finalized.</summary>
    public Task<int> FinalizeDueAsync(CancellationToken cancellationToken) =>
        InvoiceJobs.RunBatchesAsync<InvoiceFinalizer>(scopes, async (finalizer, skip) =>
        {
            var result = await finalizer.FinalizeDueAsync(options.Value.BatchSize, skip, cancellationToken);
            return (result.Claimed, result.Finalized.Count, [.. result.Failed, .. result.Waiting]);
        }, cancellationToken);
}

/// <summary>Sends the queued invoice emails over SMTP, with retries.</summary>
[AutomaticRetry(Attempts = 0)]
internal sealed class InvoiceEmailJob(InvoiceEmailOutbox outbox) : IRecurringJob
{
    public const string Id = "metering-invoice-email";

    public Task RunAsync(CancellationToken cancellationToken) => outbox.SendDueAsync(cancellationToken);
}
