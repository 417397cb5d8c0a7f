using FluxSuite.BuildingBlocks.Scheduling;
using FluxSuite.Metering.Email;
using FluxSuite.Metering.Invoices;
using Hangfire;
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

    /// <summary>Runs batches until one claims nothing; subscriptions a batch could not finish are left out of the rest of the run.</summary>
    public static async Task<int> RunBatchesAsync(Func<IReadOnlyCollection<Guid>, Task<(int Claimed, int Done, IReadOnlyList<Guid> Failed)>> batch)
    {
        var failed = new HashSet<Guid>();
        var done = 0;
        while (true)
        {
            var result = await batch(failed);
            if (result.Claimed == 0)
            {
                return done;
            }

            done += result.Done;
            failed.UnionWith(result.Failed);
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
        InvoiceJobs.RunBatchesAsync(async skip =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<InvoiceDrafting>().CloseDueAsync(options.Value.BatchSize, skip, cancellationToken);
            return (result.Claimed, result.Created.Count, result.Failed);
        });
}

/// <summary>DRAFT invoices past their grace period become OPEN, numbered, and their email is queued.</summary>
[AutomaticRetry(Attempts = 0)]
internal sealed class InvoiceFinalizeJob(IServiceScopeFactory scopes, IOptions<InvoiceOptions> options) : IRecurringJob
{
    public const string Id = "metering-invoice-finalize";

    public Task RunAsync(CancellationToken cancellationToken) => FinalizeDueAsync(cancellationToken);

    /// <summary>Finalizes every due draft; returns how many were finalized.</summary>
    public Task<int> FinalizeDueAsync(CancellationToken cancellationToken) =>
        InvoiceJobs.RunBatchesAsync(async skip =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<InvoiceFinalizer>().FinalizeDueAsync(options.Value.BatchSize, skip, cancellationToken);
            return (result.Claimed, result.Finalized.Count, [.. result.Failed, .. result.Waiting]);
        });
}

/// <summary>Sends the queued invoice emails over SMTP, with retries.</summary>
[AutomaticRetry(Attempts = 0)]
internal sealed class InvoiceEmailJob(InvoiceEmailOutbox outbox) : IRecurringJob
{
    public const string Id = "metering-invoice-email";

    public Task RunAsync(CancellationToken cancellationToken) => outbox.SendDueAsync(cancellationToken);
}
