using System.Text.Json;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.BuildingBlocks.Pages;

/// <summary>
/// A web page calling an endpoint's handler the way the endpoint does: the request's validator first
/// (what <see cref="ValidationFilter{TRequest}"/> runs on the route), then the handler; a refusal it
/// throws (<see cref="ApiErrorException"/>) becomes the outcome's error.
/// </summary>
public static class HandlerCalls
{
    public static Task<HandlerOutcome<T>> CallAsync<T>(Task<ApiOk<T>> handler) => CallAsync<T>(Widen(handler));

    public static Task<HandlerOutcome<T>> CallAsync<T>(Task<ApiCreated<T>> handler) => CallAsync<T>(Widen(handler));

    /// <summary>A handler that answers 204: the outcome carries no value, only a refusal if there was one.</summary>
    public static Task<HandlerOutcome<object>> CallAsync(Task<NoContent> handler) => CallAsync<object>(Widen(handler));

    public static Task<HandlerOutcome<T>> CallAsync<TRequest, T>(
        IServiceProvider services, TRequest request, JsonNamingPolicy fieldNaming, Func<TRequest, Task<ApiOk<T>>> handler,
        CancellationToken cancellationToken) =>
        CallAsync<TRequest, T>(services, request, fieldNaming, r => Widen(handler(r)), cancellationToken);

    public static Task<HandlerOutcome<T>> CallAsync<TRequest, T>(
        IServiceProvider services, TRequest request, JsonNamingPolicy fieldNaming, Func<TRequest, Task<ApiCreated<T>>> handler,
        CancellationToken cancellationToken) =>
        CallAsync<TRequest, T>(services, request, fieldNaming, r => Widen(handler(r)), cancellationToken);

    /// <summary>For a handler that can answer in several ways (<c>Results&lt;…&gt;</c>) or with no body.</summary>
    public static async Task<HandlerOutcome<T>> CallAsync<T>(Task<IResult> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            return HandlerOutcome<T>.From(await handler);
        }
        catch (ApiErrorException refused)
        {
            return HandlerOutcome<T>.Failed(refused.Error);
        }
    }

    /// <param name="services">The request's services, where the validators are registered.</param>
    /// <param name="request">The request as the page read it from its form.</param>
    /// <param name="fieldNaming">How the API names fields in its errors (the page shows them under the same names).</param>
    /// <param name="handler">The endpoint's handler.</param>
    /// <param name="cancellationToken">The request's cancellation.</param>
    public static async Task<HandlerOutcome<T>> CallAsync<TRequest, T>(
        IServiceProvider services, TRequest request, JsonNamingPolicy fieldNaming, Func<TRequest, Task<IResult>> handler,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(handler);
        if (services.GetService<IValidator<TRequest>>() is { } validator
            && await ValidationErrors.ValidateAsync(validator, request, fieldNaming, cancellationToken) is { } invalid)
        {
            return HandlerOutcome<T>.Failed(invalid);
        }

        try
        {
            return HandlerOutcome<T>.From(await handler(request));
        }
        catch (ApiErrorException refused)
        {
            return HandlerOutcome<T>.Failed(refused.Error);
        }
    }

    private static async Task<IResult> Widen<TResult>(Task<TResult> handler)
        where TResult : IResult =>
        await handler;
}
