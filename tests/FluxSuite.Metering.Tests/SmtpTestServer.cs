using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace FluxSuite.Metering.Tests;

/// <summary>
/// A real SMTP server on loopback, enough of RFC 5321 for a client to deliver to it: EHLO/HELO,
/// STARTTLS with a self-signed certificate, AUTH PLAIN and LOGIN, MAIL, RCPT, DATA (dot-stuffing
/// undone), RSET, NOOP, QUIT. It keeps every accepted message. Tests script the answer to the end of
/// DATA (a 4xx or 5xx, or <see cref="Drop"/>: keep the message and hang up without answering).
/// </summary>
public sealed partial class SmtpTestServer : IAsyncDisposable
{
    /// <summary>A scripted "answer" that keeps the message but closes the connection without replying.</summary>
    public const string Drop = "DROP";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMessage> _messages = new();
    private readonly Task _accepting;
    private int _queued;

    public SmtpTestServer(X509Certificate2? certificate = null, string? username = null, string? password = null)
    {
        Certificate = certificate;
        Username = username;
        Password = password;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public X509Certificate2? Certificate { get; }

    public string? Username { get; }

    public string? Password { get; }

    /// <summary>Answers to the end of DATA, used in order; when empty the message is accepted with 250.</summary>
    public ConcurrentQueue<string> DataAnswers { get; } = new();

    public IReadOnlyList<ReceivedMessage> Messages => [.. _messages];

    /// <summary>Accepts exactly this server's certificate (what a client configured to trust it does).</summary>
    public RemoteCertificateValidationCallback Trusts => (_, certificate, _, _) =>
        certificate is not null && Certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString();

    public static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }

        _stop.Dispose();
        Certificate?.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var session = new Session(client.GetStream());
            await session.WriteAsync("220 localhost ESMTP FluxSuite test server");
            string? mailFrom = null;
            var recipients = new List<string>();
            string? user = null;
            while (true)
            {
                var line = await session.ReadLineAsync();
                if (line is null)
                {
                    return;
                }

                var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                var argument = line.Length > verb.Length ? line[(verb.Length + 1)..] : string.Empty;
                switch (verb)
                {
                    case "EHLO":
                        var lines = new List<string> { "localhost greets you" };
                        if (Certificate is not null && !session.Secure)
                        {
                            lines.Add("STARTTLS");
                        }

                        if (Username is not null && (session.Secure || Certificate is null))
                        {
                            lines.Add("AUTH PLAIN LOGIN");
                        }

                        lines.Add("8BITMIME");
                        for (var i = 0; i < lines.Count; i++)
                        {
                            await session.WriteAsync($"250{(i == lines.Count - 1 ? ' ' : '-')}{lines[i]}");
                        }

                        break;
                    case "HELO":
                        await session.WriteAsync("250 localhost");
                        break;
                    case "STARTTLS" when Certificate is not null && !session.Secure:
                        await session.WriteAsync("220 2.0.0 Ready to start TLS");
                        await session.StartTlsAsync(Certificate);
                        mailFrom = null;
                        recipients.Clear();
                        break;
                    case "AUTH":
                        user = await AuthenticateAsync(session, argument);
                        await session.WriteAsync(user is null ? "535 5.7.8 Authentication credentials invalid" : "235 2.7.0 Authentication successful");
                        break;
                    case "MAIL":
                        if (Certificate is not null && !session.Secure)
                        {
                            await session.WriteAsync("530 5.7.0 Must issue a STARTTLS command first");
                        }
                        else if (Username is not null && user is null)
                        {
                            await session.WriteAsync("530 5.7.0 Authentication required");
                        }
                        else
                        {
                            mailFrom = Angle(argument);
                            recipients.Clear();
                            await session.WriteAsync("250 2.1.0 Ok");
                        }

                        break;
                    case "RCPT":
                        if (mailFrom is null)
                        {
                            await session.WriteAsync("503 5.5.1 Error: need MAIL command");
                            break;
                        }

                        recipients.Add(Angle(argument));
                        await session.WriteAsync("250 2.1.5 Ok");
                        break;
                    case "DATA":
                        if (recipients.Count == 0)
                        {
                            await session.WriteAsync("554 5.5.1 Error: no valid recipients");
                            break;
                        }

                        await session.WriteAsync("354 End data with <CR><LF>.<CR><LF>");
                        var data = new StringBuilder();
                        string? dataLine;
                        while ((dataLine = await session.ReadLineAsync()) is not null && dataLine != ".")
                        {
                            data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                        }

                        if (dataLine is null)
                        {
                            // The client hung up before the terminating dot: as RFC 5321 has it, there is no message.
                            return;
                        }

                        var answer = DataAnswers.TryDequeue(out var scripted) ? scripted : null;
                        if (answer is null or Drop)
                        {
                            var number = Interlocked.Increment(ref _queued);
                            _messages.Enqueue(new ReceivedMessage(mailFrom!, [.. recipients], data.ToString(), session.Secure, user));
                            if (answer == Drop)
                            {
                                return;
                            }

                            answer = $"250 2.0.0 Ok: queued as {number}";
                        }

                        mailFrom = null;
                        recipients.Clear();
                        await session.WriteAsync(answer);
                        break;
                    case "RSET":
                        mailFrom = null;
                        recipients.Clear();
                        await session.WriteAsync("250 2.0.0 Ok");
                        break;
                    case "NOOP":
                        await session.WriteAsync("250 2.0.0 Ok");
                        break;
                    case "QUIT":
                        await session.WriteAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await session.WriteAsync("502 5.5.2 Error: command not recognized");
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
            // The client went away.
        }
    }

    private async Task<string?> AuthenticateAsync(Session session, string argument)
    {
        var parts = argument.Split(' ', 2);
        string? user;
        string? password;
        if (parts[0].Equals("PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(parts.Length > 1 ? parts[1] : string.Empty)).Split('\0');
            (user, password) = fields.Length == 3 ? (fields[1], fields[2]) : (null, null);
        }
        else
        {
            await session.WriteAsync("334 VXNlcm5hbWU6");
            user = Encoding.UTF8.GetString(Convert.FromBase64String(await session.ReadLineAsync() ?? string.Empty));
            await session.WriteAsync("334 UGFzc3dvcmQ6");
            password = Encoding.UTF8.GetString(Convert.FromBase64String(await session.ReadLineAsync() ?? string.Empty));
        }

        return user == Username && password == Password ? user : null;
    }

    private static string Angle(string argument)
    {
        var start = argument.IndexOf('<', StringComparison.Ordinal);
        var end = argument.IndexOf('>', StringComparison.Ordinal);
        return start >= 0 && end > start ? argument[(start + 1)..end] : argument;
    }

    private sealed class Session(Stream stream)
    {
        private Stream _stream = stream;
        private StreamReader _reader = new(stream, Encoding.UTF8, false, 1024, leaveOpen: true);

        public bool Secure { get; private set; }

        public Task<string?> ReadLineAsync() => _reader.ReadLineAsync();

        public async Task WriteAsync(string line)
        {
            await _stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
            await _stream.FlushAsync();
        }

        public async Task StartTlsAsync(X509Certificate2 certificate)
        {
            var tls = new SslStream(_stream, leaveInnerStreamOpen: true);
            await tls.AuthenticateAsServerAsync(certificate);
            _stream = tls;
            _reader = new StreamReader(tls, Encoding.UTF8, false, 1024, leaveOpen: true);
            Secure = true;
        }
    }
}

/// <summary>A message the server accepted, with its MIME parts decoded for assertions.</summary>
public sealed partial record ReceivedMessage(string MailFrom, IReadOnlyList<string> Recipients, string Raw, bool OverTls, string? AuthenticatedUser)
{
    /// <summary>A header, unfolded (a line break and the space or tab after it read as one space), with RFC 2047 encoded words decoded.</summary>
    public string? Header(string name)
    {
        var head = Folding().Replace(Raw[..Raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)], " ");
        var line = head.Split("\r\n").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
        // Whitespace between adjacent encoded words is not part of the text (RFC 2047).
        return line is null
            ? null
            : EncodedWord().Replace(AdjacentWords().Replace(line[(name.Length + 1)..].Trim(), "?==?"),
                m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value)));
    }

    public string Subject => Header("Subject") ?? string.Empty;

    public string Text => Part("text/plain");

    public string Html => Part("text/html");

    /// <summary>The decoded body of the part with this media type.</summary>
    public string Part(string mediaType)
    {
        var boundary = Boundary().Match(Raw).Groups[1].Value;
        foreach (var part in Raw.Split("--" + boundary))
        {
            var split = part.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (split > 0 && part[..split].Contains("Content-Type: " + mediaType, StringComparison.OrdinalIgnoreCase))
            {
                return Encoding.UTF8.GetString(Convert.FromBase64String(part[(split + 4)..].Replace("\r\n", string.Empty, StringComparison.Ordinal)));
            }
        }

        return string.Empty;
    }

    [GeneratedRegex(@"=\?utf-8\?B\?([^?]*)\?=", RegexOptions.IgnoreCase)]
    private static partial Regex EncodedWord();

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex AdjacentWords();

    [GeneratedRegex(@"\r\n[ \t]+")]
    private static partial Regex Folding();

    [GeneratedRegex("boundary=\"([^\"]+)\"")]
    private static partial Regex Boundary();
}
