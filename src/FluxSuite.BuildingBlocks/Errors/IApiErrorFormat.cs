using System.Text.Json;

namespace FluxSuite.BuildingBlocks.Errors;

/// <summary>How one module writes errors on the wire.</summary>
public interface IApiErrorFormat
{
    /// <summary>How the module spells field names (camelCase, snake_case) in bodies and error maps.</summary>
    JsonNamingPolicy FieldNaming { get; }

    /// <summary>The type of the error body, for the OpenAPI document.</summary>
    Type BodyType { get; }

    /// <summary>The media type of the error body.</summary>
    string ContentType { get; }

    /// <summary>Writes the error as the whole response body; the status code is already set.</summary>
    Task WriteAsync(HttpContext context, ApiError error, string traceId);
}
