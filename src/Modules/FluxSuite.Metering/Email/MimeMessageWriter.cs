using System.Globalization;
using System.Net.Mail;
using System.Text;

namespace FluxSuite.Metering.Email;

/// <summary>An email to send: a plain-text and an HTML rendering of the same content.</summary>
internal sealed record OutgoingEmail(MailAddress From, MailAddress To, string Subject, string Text, string Html, string MessageId, DateTimeOffset Date);

/// <summary>
/// Writes an <see cref="OutgoingEmail"/> as an RFC 5322 / MIME message: <c>multipart/alternative</c>
/// with UTF-8 text and HTML parts in base64 (7-bit clean, lines of 76), non-ASCII header text as
/// RFC 2047 encoded words, CRLF line ends. Header values never carry a raw CR or LF.
/// </summary>
internal static class MimeMessageWriter
{
    private const int EncodedWordBytes = 45; // 60 base64 characters: an encoded word stays under 75

    public static string Write(OutgoingEmail email)
    {
        var boundary = "=_fluxsuite_" + Guid.NewGuid().ToString("N");
        var message = new StringBuilder(email.Html.Length * 2);
        message.Append("From: ").Append(Address(email.From)).Append("\r\n")
            .Append("To: ").Append(Address(email.To)).Append("\r\n")
            .Append("Subject: ").Append(HeaderText(email.Subject)).Append("\r\n")
            .Append("Date: ").Append(email.Date.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture)).Append("\r\n")
            .Append("Message-ID: <").Append(email.MessageId).Append(">\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: multipart/alternative; boundary=\"").Append(boundary).Append("\"\r\n")
            .Append("\r\n");
        Part(message, boundary, "text/plain", email.Text);
        Part(message, boundary, "text/html", email.Html);
        message.Append("--").Append(boundary).Append("--\r\n");
        return message.ToString();
    }

    /// <summary>True when SMTP without the SMTPUTF8 extension can carry the address.</summary>
    public static bool IsAscii(MailAddress address) => address.Address.All(c => c is >= ' ' and <= '~');

    private static void Part(StringBuilder message, string boundary, string mediaType, string content)
    {
        message.Append("--").Append(boundary).Append("\r\n")
            .Append("Content-Type: ").Append(mediaType).Append("; charset=utf-8\r\n")
            .Append("Content-Transfer-Encoding: base64\r\n\r\n");
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(content));
        for (var i = 0; i < base64.Length; i += 76)
        {
            message.Append(base64, i, Math.Min(76, base64.Length - i)).Append("\r\n");
        }
    }

    private static string Address(MailAddress address) =>
        string.IsNullOrWhiteSpace(address.DisplayName) ? $"<{address.Address}>" : $"{Phrase(address.DisplayName)} <{address.Address}>";

    /// <summary>A display name: a quoted string when it is printable ASCII, encoded words otherwise.</summary>
    private static string Phrase(string name)
    {
        var clean = OneLine(name);
        return IsPrintableAscii(clean)
            ? "\"" + clean.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : EncodedWords(clean);
    }

    private static string HeaderText(string text)
    {
        var clean = OneLine(text);
        return IsPrintableAscii(clean) ? clean : EncodedWords(clean);
    }

    /// <summary>RFC 2047 <c>=?utf-8?B?…?=</c> words, never splitting a character, folded one per line.</summary>
    private static string EncodedWords(string text)
    {
        var words = new List<string>();
        var chunk = new List<byte>();
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(bytes);
            if (chunk.Count + length > EncodedWordBytes)
            {
                words.Add(Word(chunk));
                chunk.Clear();
            }

            chunk.AddRange(bytes[..length]);
        }

        if (chunk.Count > 0)
        {
            words.Add(Word(chunk));
        }

        return string.Join("\r\n ", words);

        static string Word(List<byte> bytes) => "=?utf-8?B?" + Convert.ToBase64String([.. bytes]) + "?=";
    }

    private static string OneLine(string text) => text.Replace('\r', ' ').Replace('\n', ' ').Trim();

    private static bool IsPrintableAscii(string text) => text.All(c => c is >= ' ' and <= '~');
}
