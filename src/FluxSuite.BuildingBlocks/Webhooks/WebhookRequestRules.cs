using FluentValidation;
using FluxSuite.BuildingBlocks.Net;

namespace FluxSuite.BuildingBlocks.Webhooks;

/// <summary>The rules both modules' webhook requests follow, for their FluentValidation validators.</summary>
public static class WebhookRequestRules
{
    public const int MaxUrlLength = 2048;
    public const int MaxDescriptionLength = 500;

    /// <summary>
    /// An absolute https URL (http too while private networks are allowed, for tests), without user
    /// information; an address written in it must be one deliveries may reach (names are checked at connect time).
    /// </summary>
    public static IRuleBuilderOptionsConditions<T, string?> WebhookUrl<T>(this IRuleBuilder<T, string?> rule, OutboundAddressPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return rule.Custom((url, context) =>
        {
            if (url is null)
            {
                return;
            }

            if (url.Length > MaxUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
                || !(uri.Scheme == Uri.UriSchemeHttps || (policy.AllowsAll && uri.Scheme == Uri.UriSchemeHttp)))
            {
                context.AddFailure(policy.AllowsAll
                    ? $"must be an absolute http:// or https:// URL of at most {MaxUrlLength} characters."
                    : $"must be an absolute https:// URL of at most {MaxUrlLength} characters.");
                return;
            }

            if (uri.UserInfo.Length > 0)
            {
                context.AddFailure("must not carry a user name or password.");
            }

            if (System.Net.IPAddress.TryParse(uri.IdnHost, out var literal) && policy.Refusal(literal) is { } what)
            {
                context.AddFailure($"points to {what}, which webhooks may not reach.");
            }
            else if (!policy.AllowsAll && uri.IdnHost.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                context.AddFailure("points to a loopback address, which webhooks may not reach.");
            }
        });
    }

    /// <summary>One or more event types, each one of <paramref name="known"/>; the unknown ones are named.</summary>
    public static IRuleBuilderOptionsConditions<T, IReadOnlyList<string>?> WebhookEvents<T>(
        this IRuleBuilder<T, IReadOnlyList<string>?> rule, IReadOnlyCollection<string> known)
    {
        ArgumentNullException.ThrowIfNull(known);
        return rule.Custom((events, context) =>
        {
            if (events is null)
            {
                return;
            }

            if (events.Count == 0)
            {
                context.AddFailure($"must name one or more events: {string.Join(", ", known)}.");
                return;
            }

            var unknown = events.Where(e => !known.Contains(e, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0)
            {
                context.AddFailure($"unknown event{(unknown.Count == 1 ? string.Empty : "s")} {string.Join(", ", unknown.Select(u => $"'{u}'"))}; " +
                                   $"the events are {string.Join(", ", known)}.");
            }
        });
    }
}

/// <summary>What both modules' create and update requests carry.</summary>
public interface IWebhookEndpointRequest
{
    string? Url { get; }

    IReadOnlyList<string>? Events { get; }

    string? Description { get; }
}

/// <summary>
/// The one set of rules for a webhook endpoint request: a module's validator derives from it with its
/// own event names. On create, <c>url</c> and <c>events</c> are required; on update, what is sent is checked.
/// </summary>
public abstract class WebhookEndpointValidator<T> : AbstractValidator<T>
    where T : IWebhookEndpointRequest
{
    protected WebhookEndpointValidator(OutboundAddressPolicy policy, IReadOnlyCollection<string> knownEvents, bool creating)
    {
        ArgumentNullException.ThrowIfNull(knownEvents);
        if (creating)
        {
            RuleFor(r => r.Url).NotEmpty().WithMessage("is required.");
            RuleFor(r => r.Events).NotNull().WithMessage($"is required: one or more of {string.Join(", ", knownEvents)}.");
        }

        RuleFor(r => r.Url).MaximumLength(WebhookRequestRules.MaxUrlLength).WithMessage($"must be at most {WebhookRequestRules.MaxUrlLength} characters.");
        RuleFor(r => r.Url).WebhookUrl(policy);
        RuleFor(r => r.Events).WebhookEvents(knownEvents);
        RuleFor(r => r.Description).MaximumLength(WebhookRequestRules.MaxDescriptionLength)
            .WithMessage($"must be at most {WebhookRequestRules.MaxDescriptionLength} characters.");
    }
}
