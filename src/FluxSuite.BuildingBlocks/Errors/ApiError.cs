namespace FluxSuite.BuildingBlocks.Errors;

/// <summary>
/// One error, independent of wire format. Each module's <see cref="IApiErrorFormat"/> decides how it
/// is written (problem+json, a status envelope, an error-code envelope).
/// </summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Code">A stable machine-readable code such as <c>VALIDATION_ERROR</c>.</param>
/// <param name="Message">A sentence for a human that names what was wrong.</param>
public sealed record ApiError(int Status, string Code, string Message)
{
    /// <summary>Problems per field (the field as it is spelled on the wire), when there are any.</summary>
    public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>When set, the response says <c>Retry-After</c> with these seconds.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>The same error, telling the client to retry after <paramref name="seconds"/>.</summary>
    public ApiError RetryAfter(int seconds) => this with { RetryAfterSeconds = seconds };

    /// <summary>The problems of one field, as the wire names it (<c>lookup_key</c>, <c>tiers[0].up_to</c>); none when it has none.</summary>
    public IReadOnlyList<string> ProblemsWith(string field) =>
        Errors is { } errors && errors.TryGetValue(field, out var problems) ? problems : [];

    public static ApiError Validation(string message, IReadOnlyDictionary<string, string[]>? errors = null) =>
        new(StatusCodes.Status400BadRequest, ApiErrorCodes.ValidationError, message) { Errors = errors };

    /// <summary>A 400 about one field: the message names the field and the field carries the message.</summary>
    public static ApiError InvalidField(string field, string problem) =>
        Validation(FieldErrors.Message(field, problem), new Dictionary<string, string[]> { [field] = [problem] });

    /// <summary>The 415 for a body that is not JSON.</summary>
    public static ApiError NotJson { get; } = new(StatusCodes.Status415UnsupportedMediaType, ApiErrorCodes.UnsupportedMediaType,
        "The request body must be JSON: send Content-Type: application/json.");

    public static ApiError Unauthorized(string message) =>
        new(StatusCodes.Status401Unauthorized, ApiErrorCodes.Unauthorized, message);

    public static ApiError Forbidden(string message) =>
        new(StatusCodes.Status403Forbidden, ApiErrorCodes.Forbidden, message);

    public static ApiError NotFound(string message) =>
        new(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, message);

    public static ApiError Conflict(string message) =>
        new(StatusCodes.Status409Conflict, ApiErrorCodes.Conflict, message);

    /// <summary>A 503 the client should retry after <paramref name="retryAfterSeconds"/>.</summary>
    public static ApiError Unavailable(string message, int retryAfterSeconds) =>
        new(StatusCodes.Status503ServiceUnavailable, ApiErrorCodes.ServiceUnavailable, message) { RetryAfterSeconds = retryAfterSeconds };

    public static ApiError Internal() =>
        new(StatusCodes.Status500InternalServerError, ApiErrorCodes.InternalError,
            "An unexpected error occurred. Quote the trace id when reporting it.");
}

/// <summary>The codes shared by every module; modules add their own beside these.</summary>
public static class ApiErrorCodes
{
    public const string ValidationError = "VALIDATION_ERROR";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string Conflict = "CONFLICT";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string RateLimited = "RATE_LIMITED";
    public const string InternalError = "INTERNAL_ERROR";
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";
}
