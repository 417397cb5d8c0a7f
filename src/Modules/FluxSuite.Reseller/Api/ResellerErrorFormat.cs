using System.Text.Json;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Errors;

namespace FluxSuite.Reseller.Api;

/// <summary>
/// The reseller API's error envelope, with the codes of the reference's error table:
/// <c>{"success":false,"error":{"code":"VALIDATION_ERROR","message":"…","details":{…},"trace_id":"…"}}</c>.
/// </summary>
internal sealed class ResellerErrorFormat : IApiErrorFormat
{
    public static ResellerErrorFormat Instance { get; } = new();

    public JsonNamingPolicy FieldNaming => JsonNamingPolicy.SnakeCaseLower;

    public Type BodyType => typeof(ResellerErrorBody);

    public string ContentType => "application/json";

    public Task WriteAsync(HttpContext context, ApiError error, string traceId) =>
        context.Response.WriteAsJsonAsync(
            new ResellerErrorBody(false, new ResellerErrorDetail(error.Code, error.Message, error.Errors, traceId)),
            ResellerJson.Options);
}

internal sealed record ResellerErrorBody(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("error")] ResellerErrorDetail Error);

internal sealed record ResellerErrorDetail(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("details"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Details,
    [property: JsonPropertyName("trace_id")] string TraceId);
