using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Options;

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
/// <param name="Uncertain">True when the message's last byte went out but no answer came: the server may have accepted it.</param>
internal sealed record DeliveryResult(DeliveryOutcome Outcome, string Response, bool Uncertain = false);

/// <summary>
/// A small SMTP client (RFC 5321): EHLO, STARTTLS (or TLS from the first byte on port 465), AUTH
/// PLAIN or LOGIN, one message to one recipient, and the server's answer recorded as it was given.
/// It exists because MailKit is not in our package source, and <c>System.Net.Mail.SmtpClient</c> is
/// documented as unfit for new development, never shows the server's answer to an accepted message,
/// cannot speak TLS from the first byte, and gives no moment between "the message is written" and
/// "the message is committed" — which is where the outbox marks an email as sending, so that it is
/// never sent twice.
/// </summary>
internal sealed class SmtpSender(IOptions<SmtpOptions> options)
{
    private static readonly string LocalName = LocalHostName();

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
        if (!MimeMessageWriter.IsAscii(email.To) || !MimeMessageWriter.IsAscii(email.From))
        {
            return new DeliveryResult(DeliveryOutcome.Failed, $"The address {email.To.Address} needs SMTPUTF8, which this sender does not use.");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.Timeout);
        var token = deadline.Token;
        var committing = false;
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(settings.Host!, settings.Port, token);
            Stream stream = tcp.GetStream();
            if (settings.ImplicitTls)
            {
                stream = await TlsAsync(stream, settings, token);
            }

            var session = new SmtpConnection(stream);
            var reply = await session.ReadReplyAsync(token);
            if (reply.Code != 220)
            {
                return Refused(reply);
            }

            reply = await session.CommandAsync($"EHLO {LocalName}", token);
            if (reply.Code != 250)
            {
                return Refused(reply);
            }

            if (settings.UseTls && !settings.ImplicitTls)
            {
                if (!reply.Offers("STARTTLS"))
                {
                    return new DeliveryResult(DeliveryOutcome.Retry, $"{reply}: the server does not offer STARTTLS, and Smtp:UseTls requires TLS; nothing was sent.");
                }

                reply = await session.CommandAsync("STARTTLS", token);
                if (reply.Code != 220)
                {
                    return Refused(reply);
                }

                session = new SmtpConnection(await TlsAsync(stream, settings, token));
                reply = await session.CommandAsync($"EHLO {LocalName}", token);
                if (reply.Code != 250)
                {
                    return Refused(reply);
                }
            }

            if (!string.IsNullOrEmpty(settings.Username))
            {
                reply = await AuthenticateAsync(session, reply, settings, token);
                if (reply.Code != 235)
                {
                    return Refused(reply);
                }
            }

            reply = await session.CommandAsync($"MAIL FROM:<{email.From.Address}>", token);
            if (reply.Code != 250)
            {
                return Refused(reply);
            }

            reply = await session.CommandAsync($"RCPT TO:<{email.To.Address}>", token);
            if (reply.Code is not (250 or 251))
            {
                return Refused(reply);
            }

            reply = await session.CommandAsync("DATA", token);
            if (reply.Code != 354)
            {
                return Refused(reply);
            }

            await session.WriteDataAsync(MimeMessageWriter.Write(email), token);
            if (!await beforeCommit(token))
            {
                return new DeliveryResult(DeliveryOutcome.Withdrawn, "Withdrawn before the message was committed; the connection was dropped.");
            }

            committing = true;
            reply = await session.CommandAsync(".", token);
            committing = false;
            await session.QuitAsync();
            return reply.Code == 250 ? new DeliveryResult(DeliveryOutcome.Sent, reply.ToString()) : Refused(reply);
        }
        catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var what = ex is OperationCanceledException ? $"No answer within {settings.Timeout}" : ex.Message;
            return new DeliveryResult(DeliveryOutcome.Retry, $"{what} ({settings.Host}:{settings.Port})", committing);
        }
    }

    /// <summary>4xx: try again later; 5xx: the server will not take it.</summary>
    private static DeliveryResult Refused(SmtpReply reply) =>
        new(reply.Code is >= 500 and < 600 ? DeliveryOutcome.Failed : DeliveryOutcome.Retry, reply.ToString());

    private static async Task<SmtpReply> AuthenticateAsync(SmtpConnection session, SmtpReply ehlo, SmtpOptions settings, CancellationToken token)
    {
        if (!ehlo.Offers("AUTH", "LOGIN") || ehlo.Offers("AUTH", "PLAIN"))
        {
            var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{settings.Username}\0{settings.Password}"));
            return await session.CommandAsync($"AUTH PLAIN {plain}", token);
        }

        var reply = await session.CommandAsync("AUTH LOGIN", token);
        if (reply.Code == 334)
        {
            reply = await session.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(settings.Username!)), token);
        }

        if (reply.Code == 334)
        {
            reply = await session.CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(settings.Password ?? string.Empty)), token);
        }

        return reply;
    }

    private static async Task<Stream> TlsAsync(Stream stream, SmtpOptions settings, CancellationToken token)
    {
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(
            new SslClientAuthenticationOptions { TargetHost = settings.Host, RemoteCertificateValidationCallback = settings.CertificateValidation }, token);
        return tls;
    }

    private static string LocalHostName()
    {
        var name = Dns.GetHostName();
        return name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') ? name : "localhost";
    }
}

/// <summary>A reply: its code and its text lines.</summary>
internal sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>True when an EHLO reply lists the extension (and, if given, the parameter, e.g. AUTH PLAIN).</summary>
    public bool Offers(string extension, string? parameter = null) => Lines.Any(line =>
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 && words[0].Equals(extension, StringComparison.OrdinalIgnoreCase)
                                && (parameter is null || words.Skip(1).Contains(parameter, StringComparer.OrdinalIgnoreCase));
    });

    public override string ToString() => $"{Code} {string.Join(" ", Lines)}".TrimEnd();
}

/// <summary>Reads replies and writes commands on one stream (replaced by its TLS wrapper after STARTTLS).</summary>
internal sealed class SmtpConnection(Stream stream)
{
    private const int MaxLine = 8192;
    private readonly byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    public async Task<SmtpReply> CommandAsync(string command, CancellationToken token)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), token);
        await stream.FlushAsync(token);
        return await ReadReplyAsync(token);
    }

    /// <summary>Writes the message with dot-stuffing, ending in CRLF but without the final dot.</summary>
    public async Task WriteDataAsync(string message, CancellationToken token)
    {
        var text = new StringBuilder(message.Length + 64);
        foreach (var line in message.Split("\r\n"))
        {
            text.Append(line.StartsWith('.') ? "." : string.Empty).Append(line).Append("\r\n");
        }

        // Split leaves an empty last item after the final CRLF; drop its extra CRLF.
        text.Length -= 2;
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), token);
        await stream.FlushAsync(token);
    }

    public async Task QuitAsync()
    {
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await CommandAsync("QUIT", quick.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
        {
            // The message is already accepted; how the server closes does not matter.
        }
    }

    public async Task<SmtpReply> ReadReplyAsync(CancellationToken token)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(token);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), out var code))
            {
                throw new IOException($"Not an SMTP reply: '{line}'.");
            }

            lines.Add(line.Length > 4 ? line[4..] : string.Empty);
            if (line.Length == 3 || line[3] == ' ')
            {
                return new SmtpReply(code, lines);
            }
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken token)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await stream.ReadAsync(_buffer, token);
                if (_end == 0)
                {
                    throw new IOException("The server closed the connection.");
                }
            }

            var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            var stop = lf < 0 ? _end : lf;
            line.AddRange(_buffer.AsSpan(_start, stop - _start));
            _start = lf < 0 ? _end : lf + 1;
            if (line.Count > MaxLine)
            {
                throw new IOException("The server sent a line longer than 8 KiB.");
            }

            if (lf >= 0)
            {
                return Encoding.UTF8.GetString([.. line]).TrimEnd('\r');
            }
        }
    }
}
