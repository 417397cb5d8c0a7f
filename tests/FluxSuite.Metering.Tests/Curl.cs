using System.Text;
using System.Text.RegularExpressions;

namespace FluxSuite.Metering.Tests;

/// <summary>
/// Runs a curl command line as the reference prints it (-X, -H, -d with the usual quoting and
/// backslash line continuations) against the in-memory host, with the base URL swapped.
/// </summary>
public static partial class Curl
{
    public static HttpRequestMessage Parse(string command, string fromBase, string toBase)
    {
        var words = Words(command.Replace("\\\n", " ", StringComparison.Ordinal).Replace("\\\r\n", " ", StringComparison.Ordinal));
        Assert.Equal("curl", words[0]);
        var method = "GET";
        string? url = null;
        string? data = null;
        var headers = new List<(string Name, string Value)>();
        for (var i = 1; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "-X":
                    method = words[++i];
                    break;
                case "-H":
                    var header = words[++i];
                    var colon = header.IndexOf(':', StringComparison.Ordinal);
                    headers.Add((header[..colon].Trim(), header[(colon + 1)..].Trim()));
                    break;
                case "-d":
                    data = words[++i];
                    method = method == "GET" ? "POST" : method;
                    break;
                default:
                    url = words[i];
                    break;
            }
        }

        Assert.NotNull(url);
        Assert.StartsWith(fromBase, url, StringComparison.Ordinal);
        var request = new HttpRequestMessage(new HttpMethod(method), toBase + url[fromBase.Length..]);
        string? contentType = null;
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (data is not null)
        {
            request.Content = new StringContent(data, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType ?? "application/x-www-form-urlencoded");
        }

        return request;
    }

    private static List<string> Words(string line) =>
        [.. Word().Matches(line).Select(m => m.Groups["s"].Success ? m.Groups["s"].Value : m.Groups["d"].Success ? m.Groups["d"].Value : m.Value)];

    [GeneratedRegex("""'(?<s>[^']*)'|"(?<d>[^"]*)"|\S+""")]
    private static partial Regex Word();
}
