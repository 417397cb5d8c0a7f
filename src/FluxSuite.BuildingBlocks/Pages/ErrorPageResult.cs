using FluxSuite.BuildingBlocks.Errors;
using Microsoft.AspNetCore.Mvc;

namespace FluxSuite.BuildingBlocks.Pages;

/// <summary>
/// A page's answer when it cannot show what was asked: the API's error (its status and message, such as
/// "No feature with id … in your organization."), written as the error page of the path's format.
/// </summary>
public sealed class ErrorPageResult(ApiError error) : IActionResult
{
    public ApiError Error { get; } = error;

    public Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ApiErrorWriter.WriteAsync(context.HttpContext, Error);
    }
}
