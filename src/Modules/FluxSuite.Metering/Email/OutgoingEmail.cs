using System.Net.Mail;
using MimeKit;

namespace FluxSuite.Metering.Email;

/// <summary>An email to send: a plain-text and an HTML rendering of the same content.</summary>
internal sealed record OutgoingEmail(MailAddress From, MailAddress To, string Subject, string Text, string Html, string MessageId, DateTimeOffset Date)
{
    /// <summary>True when SMTP without the SMTPUTF8 extension can carry both addresses.</summary>
    public bool HasAsciiAddresses => IsAscii(From) && IsAscii(To);

    /// <summary>
    /// The MIME message: <c>multipart/alternative</c> with UTF-8 text and HTML parts in base64, so the
    /// bodies arrive byte for byte as rendered whatever the server does with 8-bit data; MimeKit encodes
    /// non-ASCII header text (RFC 2047) and folds long headers.
    /// </summary>
    /// <param name="body">The (empty) multipart/alternative body to fill.</param>
    public MimeMessage ToMimeMessage(MultipartAlternative body)
    {
        ArgumentNullException.ThrowIfNull(body);
        body.Add(Part(MimeKit.Text.TextFormat.Plain, Text));
        body.Add(Part(MimeKit.Text.TextFormat.Html, Html));
        var message = new MimeMessage { Body = body };
        message.From.Add(new MailboxAddress(OneLine(From.DisplayName), From.Address));
        message.To.Add(new MailboxAddress(OneLine(To.DisplayName), To.Address));
        message.Subject = OneLine(Subject);
        message.Date = Date;
        message.MessageId = MessageId;
        return message;
    }

    private static TextPart Part(MimeKit.Text.TextFormat format, string content)
    {
        var part = new TextPart(format) { ContentTransferEncoding = ContentEncoding.Base64 };
        part.SetText(System.Text.Encoding.UTF8, content);
        return part;
    }

    /// <summary>Header text on one line: a name or subject never carries a raw CR or LF into the headers.</summary>
    private static string OneLine(string text) => text.Replace('\r', ' ').Replace('\n', ' ').Trim();

    private static bool IsAscii(MailAddress address) => address.Address.All(c => c is >= ' ' and <= '~');
}
