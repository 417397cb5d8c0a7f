using FluxSuite.Host.Pages;
using Microsoft.Extensions.FileProviders;

namespace FluxSuite.Host;

/// <summary>
/// The web pages: Razor Pages from every module (each module adds its own assembly), one shared layout,
/// and the layout's stylesheet and script, which are embedded in the host and served from <c>/assets</c>
/// so that no page fetches anything from elsewhere.
/// </summary>
internal static class PagesSetup
{
    public const string AssetsPath = "/assets";

    public static WebApplicationBuilder AddFluxPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options =>
        {
            options.Conventions.ConfigureFilter(new PageSecurityHeaders());
            options.Conventions.ConfigureFilter(new AntiforgeryRefusal());
        });
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "fluxsuite_antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.FormFieldName = "__antiforgery";
        });
        return builder;
    }

    public static WebApplication MapFluxPages(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(PagesSetup).Assembly, "FluxSuite.Host.Assets"),
            RequestPath = AssetsPath,
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        app.MapRazorPages();
        return app;
    }
}
