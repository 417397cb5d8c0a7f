using System.Text.Json;
using FluxSuite.BuildingBlocks.Json;

namespace FluxSuite.Metering.Common;

/// <summary>
/// How Metering writes its resources: the web defaults (names come from <c>JsonPropertyName</c>) with
/// every timestamp in UTC ISO 8601 ending in <c>Z</c>, as ARCHITECTURE.md's wire formats require. The
/// host's shared JSON options are left as they are; every Metering response goes through
/// <see cref="MeteringResults"/>.
/// </summary>
internal static class MeteringJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new UtcDateTimeOffsetConverter() },
    };
}

/// <summary>The success answers of the Metering routes, written with <see cref="MeteringJson.Options"/>.</summary>
internal static class MeteringResults
{
    public static IResult Ok<T>(T value) => TypedResults.Json(value, MeteringJson.Options);

    public static IResult Accepted<T>(T value) => TypedResults.Json(value, MeteringJson.Options, statusCode: StatusCodes.Status202Accepted);

    public static IResult Created<T>(string location, T value) =>
        new Located<T>(location, TypedResults.Json(value, MeteringJson.Options, statusCode: StatusCodes.Status201Created));

    /// <summary>A JSON answer with a <c>Location</c> header; its value stays readable, as a typed result's is.</summary>
    private sealed class Located<T>(string location, Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<T> inner)
        : IResult, IValueHttpResult<T>, IValueHttpResult, IStatusCodeHttpResult
    {
        public T? Value => inner.Value;

        object? IValueHttpResult.Value => inner.Value;

        public int? StatusCode => inner.StatusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
