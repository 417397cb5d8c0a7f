using FluxSuite.BuildingBlocks.Errors;

namespace FluxSuite.BuildingBlocks.Pages;

/// <summary>
/// What an endpoint handler answered, read back by a web page that called the handler itself: the
/// value of a success, or the <see cref="ApiError"/> the API would have written. Pages call the same
/// handlers as the API, so their rules and messages are the API's own.
/// </summary>
public sealed record HandlerOutcome<T>(T? Value, ApiError? Error)
{
    public bool Succeeded => Error is null;

    /// <summary>The problems of one field, as the API names it (<c>lookup_key</c>, <c>tier</c>).</summary>
    public IReadOnlyList<string> ErrorsFor(string field) => Error?.ProblemsWith(field) ?? [];

    /// <summary>Reads a handler's result: a typed value (<see cref="IValueHttpResult"/>) or no content (a refusal is thrown, see <see cref="HandlerCalls"/>).</summary>
    public static HandlerOutcome<T> From(IResult result) => result switch
    {
        IValueHttpResult { Value: T value } => new HandlerOutcome<T>(value, null),
        IStatusCodeHttpResult { StatusCode: StatusCodes.Status204NoContent } => new HandlerOutcome<T>(default, null),
        _ => throw new InvalidOperationException($"The handler answered {result.GetType().Name}, which carries no {typeof(T).Name}."),
    };

    public static HandlerOutcome<T> Failed(ApiError error) => new(default, error);
}
