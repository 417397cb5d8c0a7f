using System.Reflection;
using System.Text;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using FluxSuite.BuildingBlocks.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.BuildingBlocks.Validation;

/// <summary>
/// Runs the FluentValidation validator of the endpoint's <typeparamref name="TRequest"/> argument and
/// answers 400 in the owning module's error format, every failing field named as the wire spells it.
/// </summary>
public sealed class ValidationFilter<TRequest> : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var request = context.Arguments.OfType<TRequest>().FirstOrDefault();
        if (request is null)
        {
            return await next(context);
        }

        var services = context.HttpContext.RequestServices;
        var naming = services.GetService<ApiErrorFormats>()?.For(context.HttpContext.Request.Path).FieldNaming ?? JsonNamingPolicy.CamelCase;
        var error = await ValidationErrors.ValidateAsync(services.GetRequiredService<IValidator<TRequest>>(), request, naming,
            context.HttpContext.RequestAborted);
        return error is null ? await next(context) : throw new ApiErrorException(error);
    }
}

public static class ValidationErrors
{
    /// <summary>The 400 for a request its validator refuses, or null when it passes.</summary>
    public static async Task<ApiError?> ValidateAsync<TRequest>(
        IValidator<TRequest> validator, TRequest request, JsonNamingPolicy naming, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(validator);
        var result = await validator.ValidateAsync(request, cancellationToken);
        return result.IsValid ? null : ToApiError(result, naming);
    }

    /// <summary>A 400 whose message lists the failures and whose map holds them per wire field name.</summary>
    public static ApiError ToApiError(ValidationResult result, JsonNamingPolicy naming)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(naming);
        var errors = result.Errors
            .GroupBy(e => WireName(e.PropertyName, naming))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        return ApiError.Validation(FieldErrors.Message(errors), errors);
    }

    /// <summary>"Tiers[0].PlanName" → "tiers[0].planName" (camelCase) or "tiers[0].plan_name" (snake_case).</summary>
    public static string WireName(string propertyPath, JsonNamingPolicy naming)
    {
        ArgumentNullException.ThrowIfNull(propertyPath);
        ArgumentNullException.ThrowIfNull(naming);
        if (propertyPath.Length == 0)
        {
            return "body";
        }

        var builder = new StringBuilder(propertyPath.Length + 8);
        foreach (var segment in propertyPath.Split('.'))
        {
            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket >= 0 ? segment[..bracket] : segment;
            builder.Append(naming.ConvertName(name));
            if (bracket >= 0)
            {
                builder.Append(segment[bracket..]);
            }
        }

        return builder.ToString();
    }
}

public static class ValidationRegistration
{
    /// <summary>Adds <see cref="ValidationFilter{TRequest}"/> to an endpoint.</summary>
    public static RouteHandlerBuilder Validate<TRequest>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<TRequest>>();

    /// <summary>
    /// Registers every <see cref="IValidator{T}"/> in <paramref name="assembly"/>, internal ones included
    /// (a module keeps its types internal), as singletons: validators hold no per-request state.
    /// </summary>
    public static IServiceCollection AddValidatorsFrom(this IServiceCollection services, Assembly assembly) =>
        services.AddValidatorsFromAssembly(assembly, ServiceLifetime.Singleton, includeInternalTypes: true);
}
