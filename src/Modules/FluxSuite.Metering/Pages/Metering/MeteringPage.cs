using System.Text.Json;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Pages;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary>
/// A page of the metering dashboard that calls the API's handlers (the <c>CallAsync</c> methods),
/// so every rule and message is the API's; a refusal is kept in <see cref="Error"/> and shown next to its fields.
/// </summary>
internal abstract class MeteringPage : PageModel
{
    public const string Root = "/metering/dashboard";

    /// <summary>What the last action was refused with, shown above the form and next to its fields.</summary>
    public ApiError? Error { get; protected set; }

    /// <summary>A line saying what the last action did (kept across the redirect that follows it).</summary>
    [TempData]
    public string? Notice { get; set; }

    public IReadOnlyList<string> ErrorsFor(string field) => Error?.ProblemsWith(field) ?? [];

    /// <summary>Runs an API handler as its route does (its request validator first); a refusal is kept in <see cref="Error"/>.</summary>
    protected async Task<HandlerOutcome<T>> CallAsync<TRequest, T>(TRequest request, Func<TRequest, Task<ApiOk<T>>> handler) =>
        Keep(await HandlerCalls.CallAsync(HttpContext.RequestServices, request, JsonNamingPolicy.SnakeCaseLower, handler, HttpContext.RequestAborted));

    /// <inheritdoc cref="CallAsync{TRequest, T}(TRequest, Func{TRequest, Task{ApiOk{T}}})"/>
    protected async Task<HandlerOutcome<T>> CallAsync<TRequest, T>(TRequest request, Func<TRequest, Task<ApiCreated<T>>> handler) =>
        Keep(await HandlerCalls.CallAsync(HttpContext.RequestServices, request, JsonNamingPolicy.SnakeCaseLower, handler, HttpContext.RequestAborted));

    /// <summary>Runs an API handler that takes no request body; a refusal is kept in <see cref="Error"/>.</summary>
    protected async Task<HandlerOutcome<T>> CallAsync<T>(Task<ApiOk<T>> handler) => Keep(await HandlerCalls.CallAsync(handler));

    /// <inheritdoc cref="CallAsync{T}(Task{ApiOk{T}})"/>
    protected async Task<HandlerOutcome<T>> CallAsync<T>(Task<ApiCreated<T>> handler) => Keep(await HandlerCalls.CallAsync(handler));

    /// <inheritdoc cref="CallAsync{T}(Task{ApiOk{T}})"/>
    protected async Task<HandlerOutcome<object>> CallAsync(Task<NoContent> handler) => Keep(await HandlerCalls.CallAsync(handler));

    private HandlerOutcome<T> Keep<T>(HandlerOutcome<T> outcome)
    {
        Error ??= outcome.Error;
        return outcome;
    }

    /// <summary>The page again with the refusal shown, answered with the API's status (400, 404, 409, …).</summary>
    protected PageResult Refused(ApiError error)
    {
        Error = error;
        Response.StatusCode = error.Status;
        return Page();
    }

    /// <summary>What a read for the page answers when it fails: the API's error as an error page.</summary>
    protected static IActionResult ReadFailed(ApiError error) => new ErrorPageResult(error);
}
