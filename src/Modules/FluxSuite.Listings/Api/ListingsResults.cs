using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;

namespace FluxSuite.Listings.Api;

/// <summary>The directory's success envelope: <c>{"status":"success","message":"…","data":…}</c>.</summary>
internal sealed record ListingsEnvelope<T>(string Status, string Message, T Data);

internal static class ListingsResults
{
    public static ApiOk<ListingsEnvelope<T>> Ok<T>(string message, T data) => ApiResults.Ok(new ListingsEnvelope<T>("success", message, data));

    public static ApiCreated<ListingsEnvelope<T>> Created<T>(string location, string message, T data) =>
        ApiResults.Created(location, new ListingsEnvelope<T>("success", message, data));

    /// <summary>The refusal for a slug no provider has.</summary>
    public static ApiErrorException NotFound(string slug) => new(ApiError.NotFound($"Provider \"{slug}\" not found."));
}
