using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Pages;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;

namespace FluxSuite.Host.Pages;

/// <summary>
/// A form posted without this site's antiforgery token (from another site, or from a page rendered
/// before the token's key changed) is refused with a 400 that says so, instead of an empty one.
/// </summary>
internal sealed class AntiforgeryRefusal : IAlwaysRunResultFilter
{
    public static readonly ApiError Error = new(StatusCodes.Status400BadRequest, "ANTIFORGERY",
        "This form did not come from this site's page, or the page is too old: reload the page and send the form again.");

    public void OnResultExecuting(ResultExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            context.Result = new ErrorPageResult(Error);
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
