using System.ComponentModel.DataAnnotations;

namespace FluxSuite.Metering.Invoices;

/// <summary>Configuration <c>Metering:Invoices</c>.</summary>
internal sealed class InvoiceOptions
{
    public const string Section = "Metering:Invoices";

    /// <summary>How long a DRAFT waits for review (and late events) before it is finalized.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "90.00:00:00", ErrorMessage = "Metering:Invoices:GracePeriod must be between 00:00:00 and 90.00:00:00.")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long after it is issued an invoice is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00", ErrorMessage = "Metering:Invoices:PaymentTerms must be between 00:00:00 and 365.00:00:00.")]
    public TimeSpan PaymentTerms { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many subscriptions one transaction of the period-close and finalize jobs takes.</summary>
    [Range(1, 5000, ErrorMessage = "Metering:Invoices:BatchSize must be between 1 and 5000.")]
    public int BatchSize { get; set; } = 500;

    /// <summary>How many times an invoice email is tried before it is recorded as failed.</summary>
    [Range(1, 50, ErrorMessage = "Metering:Invoices:EmailMaxAttempts must be between 1 and 50.")]
    public int EmailMaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed attempt; it doubles with each attempt, up to 6 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00", ErrorMessage = "Metering:Invoices:EmailRetryDelay must be between 00:00:01 and 06:00:00.")]
    public TimeSpan EmailRetryDelay { get; set; } = TimeSpan.FromMinutes(1);
}
