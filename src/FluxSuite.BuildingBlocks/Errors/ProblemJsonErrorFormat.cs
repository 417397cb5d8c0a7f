using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace FluxSuite.BuildingBlocks.Errors;

/// <summary>
/// RFC 9457 <c>application/problem+json</c>. Extension members (<c>code</c>, <c>errors</c>, the trace id)
/// follow the naming policy the owning module uses for everything else.
/// </summary>
public sealed class ProblemJsonErrorFormat(JsonNamingPolicy fieldNaming) : IApiErrorFormat
{
    public const string ContentType = "application/problem+json";

    /// <summary>The format used for routes no module owns (health, unknown paths).</summary>
    public static ProblemJsonErrorFormat Default { get; } = new(JsonNamingPolicy.CamelCase);

    public JsonNamingPolicy FieldNaming { get; } = fieldNaming;

    public Type BodyType => typeof(Microsoft.AspNetCore.Mvc.ProblemDetails);

    string IApiErrorFormat.ContentType => ContentType;

    public Task WriteAsync(HttpContext context, ApiError error, string traceId)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        var body = new JsonObject
        {
            ["type"] = $"https://httpstatuses.io/{error.Status}",
            ["title"] = ReasonPhrases.GetReasonPhrase(error.Status),
            ["status"] = error.Status,
            ["detail"] = error.Message,
            ["instance"] = context.Request.Path.Value,
            [FieldNaming.ConvertName("Code")] = error.Code,
        };
        if (error.Errors is { Count: > 0 })
        {
            var errors = new JsonObject();
            foreach (var (field, messages) in error.Errors)
            {
                errors[field] = new JsonArray([.. messages.Select(m => (JsonNode?)JsonValue.Create(m))]);
            }

            body[FieldNaming.ConvertName("Errors")] = errors;
        }

        body[FieldNaming.ConvertName("TraceId")] = traceId;
        return context.Response.WriteAsJsonAsync<JsonNode>(body, options: (JsonSerializerOptions?)null, ContentType);
    }
}
