using Microsoft.AspNetCore.Mvc.Filters;

namespace FluxSuite.Host.Pages;

/// <summary>
/// What every page answers with: a content security policy that allows only this site's own stylesheet,
/// script and forms (so text that slipped past encoding could still run nothing), no framing, no sniffing.
/// </summary>
internal sealed class PageSecurityHeaders : IAsyncPageFilter
{
    public const string Policy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; form-action 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        return next();
    }
}
