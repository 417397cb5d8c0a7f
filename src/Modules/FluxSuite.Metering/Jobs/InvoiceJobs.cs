using FluxSuite.Metering.Email;
using FluxSuite.Metering.Invoices;
using Microsoft.Extensions.Options;
using Quartz;

namespace FluxSuite.Metering.Jobs;

/// <summary>
/// The three clustered invoicing jobs. Quartz runs each firing on one instance, but after a failover
/// two instances can run the same job at once: each works in batches claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so they share the work instead of repeating it.
/// </summary>
internal static class InvoiceJobs
{
    public const string Group = "metering";

    public static void Schedule(IQuartzBuilder quartz, TimeSpan interval)
    {
        Add<PeriodCloseJob>(quartz, PeriodCloseJob.Key, interval);
        Add<InvoiceFinalizeJob>(quartz, InvoiceFinalizeJob.Key, interval);
        Add<InvoiceEmailJob>(quartz, InvoiceEmailJob.Key, interval);
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

    private static void Add<TJob>(IQuartzBuilder quartz, JobKey key, TimeSpan interval)
        where TJob : IJob =>
        quartz.ScheduleJob<TJob>(
            trigger => trigger.WithIdentity(key.Name, Group).WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever()
                // After downtime (or a jump of the test clock) fire once at once, then keep the interval.
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NowWithExistingCount)),
            job => job.WithIdentity(key));
}

/// <summary>For every subscription whose period ended, the period's DRAFT invoice (missed periods too, oldest first).</summary>
[DisallowConcurrentExecution]
internal sealed class PeriodCloseJob(IServiceScopeFactory scopes, IOptions<InvoiceOptions> options) : IJob
{
    public static readonly JobKey Key = new("metering-period-close", InvoiceJobs.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) => await RunAsync(cancellationToken);

    /// <summary>Closes every due period; returns how many invoices were drafted.</summary>
    public Task<int> RunAsync(CancellationToken cancellationToken) =>
        InvoiceJobs.RunBatchesAsync(async skip =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<InvoiceDrafting>().CloseDueAsync(options.Value.BatchSize, skip, cancellationToken);
            return (result.Claimed, result.Created.Count, result.Failed);
        });
}

/// <summary>DRAFT invoices past their grace period become OPEN, numbered, and their email is queued.</summary>
[DisallowConcurrentExecution]
internal sealed class InvoiceFinalizeJob(IServiceScopeFactory scopes, IOptions<InvoiceOptions> options) : IJob
{
    public static readonly JobKey Key = new("metering-invoice-finalize", InvoiceJobs.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) => await RunAsync(cancellationToken);

    /// <summary>Finalizes every due draft; returns how many were finalized.</summary>
    public Task<int> RunAsync(CancellationToken cancellationToken) =>
        InvoiceJobs.RunBatchesAsync(async skip =>
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<InvoiceFinalizer>().FinalizeDueAsync(options.Value.BatchSize, skip, cancellationToken);
            return (result.Claimed, result.Finalized.Count, [.. result.Failed, .. result.Waiting]);
        });
}

/// <summary>Sends the queued invoice emails over SMTP, with retries.</summary>
[DisallowConcurrentExecution]
internal sealed class InvoiceEmailJob(InvoiceEmailOutbox outbox) : IJob
{
    public static readonly JobKey Key = new("metering-invoice-email", InvoiceJobs.Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) => await outbox.SendDueAsync(cancellationToken);
}
