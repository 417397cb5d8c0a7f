using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace FluxSuite.Metering.Email;

internal enum DeliveryOutcome
{
    /// <summary>The server accepted the message.</summary>
    Sent,

    /// <summary>Not delivered, and worth trying again later (4xx answer, network trouble, timeout).</summary>
    Retry,

    /// <summary>Not delivered, and trying again will not help (5xx answer, an address SMTP cannot carry).</summary>
    Failed,

    /// <summary>Abandoned before the last byte because the caller said so: nothing was delivered.</summary>
    Withdrawn,
}

/// <summary>How a delivery ended.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Response">The server's answer, or what went wrong when there was none.</param>
/// <param name="Uncertain">True when the message may have been committed but no answer came: the server may have accepted it.</param>
internal sealed record DeliveryResult(DeliveryOutcome Outcome, string Response, bool Uncertain = false);

/// <summary>
/// Delivers one message to one recipient with MailKit: STARTTLS (or TLS from the first byte on port
/// 465), AUTH, and the server's answer recorded as it was given (code and text). Between "the message
/// is written" and "the final dot commits it" it asks the caller whether to go on: that is where the
/// outbox marks an email as sending, so that it is never sent twice.
/// </summary>
internal sealed class SmtpSender(IOptions<SmtpOptions> options)
{
    /// <summary>
    /// Delivers <paramref name="email"/>. <paramref name="beforeCommit"/> runs once the whole message has
    /// been written but before the final dot that commits it; if it answers false the connection is
    /// dropped and the server discards the message.
    /// </summary>
    public async Task<DeliveryResult> SendAsync(OutgoingEmail email, Func<CancellationToken, Task<bool>> beforeCommit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(beforeCommit);
        var settings = options.Value;
        if (!email.HasAsciiAddresses)
        {
            return new DeliveryResult(DeliveryOutcome.Failed, $"The address {email.To.Address} needs SMTPUTF8, which this sender does not use.");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        var token = deadline.Token;
        var body = new CommitGuardedBody(beforeCommit);
        var message = email.ToMimeMessage(body);
        using var client = new SmtpClient { Timeout = (int)settings.Timeout.TotalMilliseconds };
        if (settings.CertificateValidation is { } validation)
        {
            client.ServerCertificateValidationCallback = validation;
        }

        try
        {
            var security = !settings.UseTls ? SecureSocketOptions.None
                : settings.ImplicitTls ? SecureSocketOptions.SslOnConnect
                : SecureSocketOptions.StartTls;
            try
            {
                await client.ConnectAsync(settings.Host!, settings.Port, security, token);
            }
            catch (NotSupportedException) when (security == SecureSocketOptions.StartTls)
            {
                return new DeliveryResult(DeliveryOutcome.Retry, "The server does not offer STARTTLS, and Smtp:UseTls requires TLS; nothing was sent.");
            }

            // The guard must run exactly once, just before the final dot: keep MailKit on DATA, which
            // writes the message once, instead of BDAT or a size check, which write it more than once.
            client.Capabilities &= ~(SmtpCapabilities.Chunking | SmtpCapabilities.BinaryMime | SmtpCapabilities.Size);
            if (!string.IsNullOrEmpty(settings.Username))
            {
                await client.AuthenticateAsync(settings.Username, settings.Password ?? string.Empty, token);
            }

            var answer = await client.SendAsync(message, token);
            await QuitAsync(client);
            return new DeliveryResult(DeliveryOutcome.Sent, $"{(int)SmtpStatusCode.Ok} {OneLine(answer)}");
        }
        catch (SmtpCommandException ex)
        {
            // 4xx: try again later; 5xx: the server will not take it.
            var status = (int)ex.StatusCode;
            return new DeliveryResult(status is >= 500 and < 600 ? DeliveryOutcome.Failed : DeliveryOutcome.Retry, $"{status} {OneLine(ex.Message)}");
        }
        catch (AuthenticationException ex)
        {
            return new DeliveryResult(DeliveryOutcome.Failed, $"Authentication refused: {OneLine(ex.Message)}");
        }
        catch (WithdrawnException)
        {
            return new DeliveryResult(DeliveryOutcome.Withdrawn, "Withdrawn before the message was committed; the connection was dropped.");
        }
        catch (Exception ex) when (ex is IOException or SocketException or SslHandshakeException or SmtpProtocolException or ServiceNotConnectedException
                                       || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var what = ex is OperationCanceledException or TimeoutException ? $"No answer within {settings.Timeout}" : OneLine(ex.Message);
            return new DeliveryResult(DeliveryOutcome.Retry, $"{what} ({settings.Host}:{settings.Port})", body.Committing);
        }
    }

    private static async Task QuitAsync(SmtpClient client)
    {
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.DisconnectAsync(quit: true, quick.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or SmtpProtocolException or SmtpCommandException)
        {
            // The message is already accepted; how the server closes does not matter.
        }
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();

    /// <summary>Thrown out of the message's own writing when the caller withdraws it; MailKit then drops the connection.</summary>
    private sealed class WithdrawnException : Exception
    {
        public WithdrawnException()
            : base("Withdrawn before the message was committed.")
        {
        }
    }

    /// <summary>
    /// The message's body, which asks the caller once it has written itself into DATA and throws when the
    /// caller withdraws: the body is the last thing MailKit writes before the terminating dot.
    /// </summary>
    private sealed class CommitGuardedBody(Func<CancellationToken, Task<bool>> beforeCommit) : MultipartAlternative
    {
        /// <summary>True once the caller agreed to commit: from here on a lost answer means the outcome is unknown.</summary>
        public bool Committing { get; private set; }

        /// <summary>A synchronous write could not run the guard: refuse it rather than send unguarded.</summary>
        public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The invoice email is written only asynchronously, so that its commit guard runs.");

        public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
        {
            await base.WriteToAsync(options, stream, contentOnly, cancellationToken);
            if (Committing)
            {
                return;
            }

            await stream.FlushAsync(cancellationToken);
            if (!await beforeCommit(cancellationToken))
            {
                throw new WithdrawnException();
            }

            Committing = true;
        }
    }
}
