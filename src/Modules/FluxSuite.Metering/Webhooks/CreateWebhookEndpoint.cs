using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using FluentValidation;
using FluxSuite.BuildingBlocks.Net;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.Extensions.Options;

namespace FluxSuite.Metering.Webhooks;

/// <summary><c>POST /webhooks</c> <c>{url, events, description?}</c>: 201 with the endpoint and its signing secret, shown this once.</summary>
internal static class CreateWebhookEndpoint
{
    internal sealed class Request
    {
        [Required]
        public string? Url { get; init; }

        [Required]
        public IReadOnlyList<string>? Events { get; init; }

        public string? Description { get; init; }
    }

    internal sealed class Validator : AbstractValidator<Request>
    {
        public Validator(OutboundAddressPolicy policy)
        {
            RuleFor(r => r.Url).NotEmpty().WithMessage("is required.").MaximumLength(WebhookRequestRules.MaxUrlLength)
                .WithMessage($"must be at most {WebhookRequestRules.MaxUrlLength} characters.");
            RuleFor(r => r.Url).WebhookUrl(policy);
            RuleFor(r => r.Events).NotNull().WithMessage($"is required: one or more of {string.Join(", ", MeteringWebhookEvents.All)}.");
            RuleFor(r => r.Events).WebhookEvents(MeteringWebhookEvents.All);
            RuleFor(r => r.Description).MaximumLength(WebhookRequestRules.MaxDescriptionLength)
                .WithMessage($"must be at most {WebhookRequestRules.MaxDescriptionLength} characters.");
        }
    }

    public static async Task<IResult> Handle(
        Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, IOptions<WebhookOptions> options, CancellationToken cancellationToken)
    {
        var created = await WebhookEndpoints.CreateAsync(db, MeteringWebhookEvents.Owner(caller.OrganizationId()), request.Url!, request.Description,
            request.Events!, options.Value.MaxEndpointsPerOwner, clock.GetUtcNow(), cancellationToken);
        return MeteringResults.Created($"{MeteringModule.ApiBase}/webhooks/{created.Id}", created);
    }
}
