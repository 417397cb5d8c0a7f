using System.Security.Claims;
using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Plans;

/// <summary><c>POST /plans</c>: a plan without charges yet (add them with <c>POST /plans/{id}/charges</c>).</summary>
internal static class CreatePlan
{
    internal sealed class Request
    {
        public string? Name { get; init; }

        [JsonPropertyName("lookup_id")]
        public string? LookupId { get; init; }

        public string? Description { get; init; }

        public string? Type { get; init; }

        [JsonPropertyName("billing_interval")]
        public string? BillingInterval { get; init; }

        public string? Currency { get; init; }
    }

    internal sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).NotEmpty().WithMessage("is required.").MaximumLength(200).WithMessage("must be at most 200 characters.");
            RuleFor(r => r.LookupId).NotEmpty().WithMessage("is required.")
                .MaximumLength(100).WithMessage("must be at most 100 characters.")
                .Matches("^[A-Za-z0-9][A-Za-z0-9_.-]*$").WithMessage("may hold only letters, digits, '_', '.' and '-', starting with a letter or digit.");
            RuleFor(r => r.Description).MaximumLength(2000).WithMessage("must be at most 2000 characters.");
            RuleFor(r => r.Type).NotEmpty().WithMessage("is required.")
                .Must(t => PlanTypes.All.Contains(t, StringComparer.OrdinalIgnoreCase)).WithMessage("must be one of FIXED, USAGE, HYBRID.");
            RuleFor(r => r.BillingInterval).NotEmpty().WithMessage("is required.")
                .Must(i => BillingIntervals.All.Contains(i, StringComparer.OrdinalIgnoreCase)).WithMessage("must be month or year.");
            RuleFor(r => r.Currency).NotEmpty().WithMessage("is required.")
                .Must(c => c is { Length: 3 } && Currencies.IsKnown(c.ToUpperInvariant())).WithMessage("must be an ISO 4217 currency code such as USD.");
        }
    }

    public static async Task<ApiCreated<PlanResponse>> Handle(Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var lookupId = request.LookupId!.Trim();
        if (await db.Set<Plan>().AnyAsync(p => p.OrganizationId == organizationId && p.LookupId == lookupId, cancellationToken))
        {
            throw Problems.Conflict($"A plan with lookup_id '{lookupId}' already exists in your organization.");
        }

        var now = clock.GetUtcNow();
        var plan = new Plan
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            Name = request.Name!.Trim(),
            LookupId = lookupId,
            Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim(),
            Type = request.Type!.ToUpperInvariant(),
            BillingInterval = request.BillingInterval!.ToLowerInvariant(),
            Currency = request.Currency!.ToUpperInvariant(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Add(plan);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw Problems.Conflict($"A plan with lookup_id '{lookupId}' already exists in your organization.");
        }

        return ApiResults.Created($"{MeteringModule.ApiBase}/plans/{plan.Id}", PlanResponse.From(plan, []));
    }
}
