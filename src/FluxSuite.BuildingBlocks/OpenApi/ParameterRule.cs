using Microsoft.AspNetCore.Builder;

namespace FluxSuite.BuildingBlocks.OpenApi;

/// <summary>
/// What a query parameter that the handler reads as a plain string must be, for the OpenAPI document:
/// whether it is required, its allowed values, numeric bounds and an example. Handlers that parse a
/// parameter themselves (to answer with their own message) declare here the rules they enforce.
/// </summary>
public sealed record ParameterRule(
    string Name,
    bool Required = false,
    IReadOnlyList<string>? AllowedValues = null,
    long? Minimum = null,
    long? Maximum = null,
    string? Type = null,
    string? Example = null,
    string? Description = null);

public static class ParameterRules
{
    /// <summary>A 1-based page number and a page size of at most <paramref name="maxSize"/>.</summary>
    public static ParameterRule[] Paging(string sizeName, int maxSize, string pageName = "page") =>
    [
        new(pageName, Minimum: 1, Maximum: int.MaxValue),
        new(sizeName, Minimum: 1, Maximum: maxSize),
    ];

    /// <summary>Documents the rules of the endpoints' query parameters (matched by name).</summary>
    public static TBuilder WithParameterRules<TBuilder>(this TBuilder builder, params ParameterRule[] rules)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata([.. rules]);
}
