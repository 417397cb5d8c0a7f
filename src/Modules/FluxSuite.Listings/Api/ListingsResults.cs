using FluxSuite.BuildingBlocks.Errors;

namespace FluxSuite.Listings.Api;

/// <summary>The directory's success envelope: <c>{"status":"success","message":"…","data":…}</c>.</summary>
internal sealed record ListingsEnvelope<T>(string Status, string Message, T Data);

internal static class ListingsResults
{
    public static IResult Ok<T>(string message, T data) =>
        TypedResults.Json(new ListingsEnvelope<T>("success", message, data), ListingsJson.Options);

    public static IResult Created<T>(string location, string message, T data) =>
        new CreatedEnvelope<T>(location, new ListingsEnvelope<T>("success", message, data));

    /// <summary>The refusal for a slug no provider has.</summary>
    public static ApiErrorException NotFound(string slug) => new(ApiError.NotFound($"Provider \"{slug}\" not found."));

    private sealed class CreatedEnvelope<T>(string location, ListingsEnvelope<T> body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status201Created;
            httpContext.Response.Headers.Location = location;
            return httpContext.Response.WriteAsJsonAsync(body, ListingsJson.Options);
        }
    }
}
