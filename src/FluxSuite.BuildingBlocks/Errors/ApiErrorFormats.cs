using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.BuildingBlocks.Errors;

/// <summary>A module's claim on the paths below <see cref="Prefix"/>: errors there use its format.</summary>
public sealed record ApiErrorFormatRoute(PathString Prefix, IApiErrorFormat Format);

/// <summary>
/// Finds the error format of the module that owns a path. Resolution is by path prefix rather than by
/// endpoint metadata so that requests which never reach an endpoint — unknown routes, a rejected
/// operator key, a body that is too large — still answer in the owning module's format.
/// </summary>
public sealed class ApiErrorFormats
{
    private readonly ApiErrorFormatRoute[] _routes;

    public ApiErrorFormats(IEnumerable<ApiErrorFormatRoute> routes)
    {
        // Longest prefix first, so /admin/providers beats /admin.
        _routes = [.. routes.OrderByDescending(r => r.Prefix.Value?.Length ?? 0)];
    }

    public IApiErrorFormat For(PathString path)
    {
        foreach (var route in _routes)
        {
            if (path.StartsWithSegments(route.Prefix, StringComparison.OrdinalIgnoreCase))
            {
                return route.Format;
            }
        }

        return ProblemJsonErrorFormat.Default;
    }
}

public static class ApiErrorFormatRegistration
{
    /// <summary>Declares that errors under each of <paramref name="prefixes"/> are written in <paramref name="format"/>.</summary>
    public static IServiceCollection AddApiErrorFormat(this IServiceCollection services, IApiErrorFormat format, params string[] prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        foreach (var prefix in prefixes)
        {
            services.AddSingleton(new ApiErrorFormatRoute(new PathString(prefix), format));
        }

        services.AddSingleton<ApiErrorFormats>();
        return services;
    }
}
