using System.Reflection;
using FluxSuite.BuildingBlocks.Errors;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.BuildingBlocks.Pages;

public static class ModulePages
{
    /// <summary>
    /// Adds a module's Razor Pages (compiled into its assembly) to the host's, and answers errors under
    /// <paramref name="prefixes"/> as HTML pages instead of JSON. The host maps every page at once.
    /// </summary>
    public static IServiceCollection AddModulePages(this IServiceCollection services, Assembly assembly, params string[] prefixes)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        services.AddRazorPages().ConfigureApplicationPartManager(manager =>
        {
            // The host may have found the assembly by itself; a second part would map every page twice.
            if (!manager.ApplicationParts.OfType<AssemblyPart>().Any(p => p.Assembly == assembly))
            {
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                {
                    manager.ApplicationParts.Add(part);
                }
            }
        });
        return services.AddApiErrorFormat(HtmlErrorFormat.Instance, prefixes);
    }
}
