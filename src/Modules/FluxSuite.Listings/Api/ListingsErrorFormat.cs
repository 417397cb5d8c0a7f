using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;

namespace FluxSuite.Listings.Api;

/// <summary>
/// The directory's error envelope: <c>{"status":"error","message":"…","errors":{field:[…]},"traceId":"…"}</c>,
/// camelCase like the rest of its wire format.
/// </summary>
internal sealed class ListingsErrorFormat : IApiErrorFormat
{
    public static ListingsErrorFormat Instance { get; } = new();

    public JsonNamingPolicy FieldNaming => JsonNamingPolicy.CamelCase;

    public Type BodyType => typeof(ListingsErrorBody);

    public string ContentType => "application/json";

    public Task WriteAsync(HttpContext context, ApiError error, string traceId) =>
        context.Response.WriteAsJsonAsync(
            new ListingsErrorBody("error", error.Message, error.Errors ?? EmptyErrors, traceId),
            ListingsJson.Options);

    private static readonly IReadOnlyDictionary<string, string[]> EmptyErrors = new Dictionary<string, string[]>();
}

internal sealed record ListingsErrorBody(string Status, string Message, IReadOnlyDictionary<string, string[]> Errors, string TraceId);
