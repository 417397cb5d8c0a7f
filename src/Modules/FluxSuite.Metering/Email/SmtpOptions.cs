using System.Net.Mail;
using System.Net.Security;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering.Email;

/// <summary>
/// Configuration <c>Smtp</c>. Without <see cref="Host"/> invoices are not emailed. With
/// <see cref="UseTls"/> port 465 speaks TLS from the first byte; any other port must offer STARTTLS.
/// </summary>
internal sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary>The sender, <c>billing@example.com</c> or <c>Example Billing &lt;billing@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool UseTls { get; set; }

    /// <summary>How long one delivery (connect to the server's last answer) may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the server's certificate; null: the platform's validation. Set in code only (tests trust their own certificate).</summary>
    internal RemoteCertificateValidationCallback? CertificateValidation { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public bool ImplicitTls => UseTls && Port == 465;
}

/// <summary>Refuses to start with SMTP settings that could never send (or would send a password in the clear).</summary>
internal sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (options.Port is < 1 or > 65535)
        {
            failures.Add("Smtp:Port must be between 1 and 65535.");
        }

        if (string.IsNullOrWhiteSpace(options.From) || !MailAddress.TryCreate(options.From, out _))
        {
            failures.Add("Smtp:From must be the sender's address (billing@example.com or \"Name <billing@example.com>\") when Smtp:Host is set.");
        }

        if (!string.IsNullOrEmpty(options.Username) && !options.UseTls)
        {
            failures.Add("Smtp:Username needs Smtp:UseTls=true: the password is never sent unencrypted.");
        }

        if (!string.IsNullOrEmpty(options.Username) && string.IsNullOrEmpty(options.Password))
        {
            failures.Add("Smtp:Password is required with Smtp:Username.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(10))
        {
            failures.Add("Smtp:Timeout must be between 00:00:01 and 00:10:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
