using System.Text.Json.Serialization;

namespace FluxSuite.Reseller.Api;

/// <summary>The reseller API's success envelope: <c>{"success":true,"data":{…}}</c>.</summary>
internal sealed record Envelope<T>(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("data")] T Data);

internal static class Envelope
{
    public static Envelope<T> Of<T>(T data) => new(true, data);
}

