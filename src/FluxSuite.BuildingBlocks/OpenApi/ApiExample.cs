namespace FluxSuite.BuildingBlocks.OpenApi;

/// <summary>
/// Endpoint metadata: an example request body and an example response, as JSON text, that the host
/// puts into the operation's OpenAPI document. The response example goes to <see cref="Status"/>, or to
/// every 2xx response when it is null. Routes declare it with <c>ApiRoutes.WithExamples</c>.
/// </summary>
public sealed record ApiExample(string? Request, string? Response, int? Status = null);
