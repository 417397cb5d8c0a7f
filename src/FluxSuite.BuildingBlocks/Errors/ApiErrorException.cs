namespace FluxSuite.BuildingBlocks.Errors;

/// <summary>
/// A request refused by a rule (bad input, a missing object, a conflict, a business rule). Handlers and
/// the code below them throw it; the host's exception handler writes <see cref="Error"/> in the format of
/// the module that owns the route. A refusal caused by a failure elsewhere (an upstream call) carries
/// that failure as its cause, which the handler logs.
/// </summary>
public sealed class ApiErrorException(ApiError error, Exception? cause = null) : Exception(error?.Message, cause)
{
    public ApiError Error { get; } = error ?? throw new ArgumentNullException(nameof(error));
}
