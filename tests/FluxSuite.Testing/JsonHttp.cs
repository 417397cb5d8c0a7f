using System.Text;
using System.Text.Json;

namespace FluxSuite.Testing;

/// <summary>JSON over HTTP in tests: a request body written as JSON text, and a response's body read back.</summary>
public static class JsonHttp
{
    /// <summary>A request body of this JSON text, sent as <c>application/json</c> (the text is sent as written, mistakes included).</summary>
    public static StringContent RequestBody(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>The response's body parsed as JSON; <c>default</c> when the body is empty.</summary>
    public static async Task<JsonElement> ReadBodyAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync();
        if (text.Length == 0)
        {
            return default;
        }

        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
