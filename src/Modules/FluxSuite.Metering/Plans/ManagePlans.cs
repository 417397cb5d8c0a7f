using System.Security.Claims;
using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Paging;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Mvc;
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

    public static async Task<IResult> Handle(Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
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

        return MeteringResults.Created($"{MeteringModule.ApiBase}/plans/{plan.Id}", PlanResponse.From(plan, []));
    }
}

/// <summary><c>GET /plans</c>: newest first, each with its active charges; archived plans on request.</summary>
internal static class ListPlans
{
    public static async Task<IResult> Handle(
        ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken,
        [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize, [FromQuery(Name = "include_archived")] bool? includeArchived)
    {
        var request = Paging.Read(page, pageSize);

        var organizationId = caller.OrganizationId();
        var query = db.Set<Plan>().AsNoTracking().Where(p => p.OrganizationId == organizationId);
        if (includeArchived != true)
        {
            query = query.Where(p => p.ArchivedAt == null);
        }

        var plans = await query.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).ToPageAsync(request, cancellationToken);
        var ids = plans.Items.Select(p => p.Id).ToList();
        var charges = await db.Set<Charge>().AsNoTracking().Where(c => ids.Contains(c.PlanId) && c.ArchivedAt == null).ToListAsync(cancellationToken);
        return MeteringResults.Ok(ListResponse<PlanResponse>.From(plans.Map(p => PlanResponse.From(p, charges))));
    }
}

/// <summary><c>GET /plans/{id}</c>.</summary>
internal static class GetPlan
{
    public static async Task<IResult> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var plan = await db.Set<Plan>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.OrganizationId == organizationId, cancellationToken);
        if (plan is null)
        {
            throw Problems.NotFound("plan", id);
        }

        var charges = await db.Set<Charge>().AsNoTracking().Where(c => c.PlanId == id).ToListAsync(cancellationToken);
        return MeteringResults.Ok(PlanResponse.From(plan, charges));
    }
}

/// <summary>
/// <c>PATCH /plans/{id}</c>: name and description. Type, interval and currency stay as created, since
/// subscriptions and their invoices depend on them; create a new plan to change them.
/// </summary>
internal static class UpdatePlan
{
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed class Request
    {
        private readonly string? _description;

        public string? Name { get; init; }

        public string? Description
        {
            get => _description;
            init
            {
                _description = value;
                DescriptionGiven = true;
            }
        }

        [JsonIgnore]
        public bool DescriptionGiven { get; private init; }
    }

    public static async Task<IResult> Handle(Guid id, Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > 200))
        {
            errors.Add("name", "must be 1 to 200 characters.");
        }

        if (request.Description is { Length: > 2000 })
        {
            errors.Add("description", "must be at most 2000 characters.");
        }

        errors.ThrowIfAny();

        var organizationId = caller.OrganizationId();
        var plan = await db.Set<Plan>().FirstOrDefaultAsync(p => p.Id == id && p.OrganizationId == organizationId, cancellationToken);
        if (plan is null)
        {
            throw Problems.NotFound("plan", id);
        }

        if (request.Name is not null)
        {
            plan.Name = request.Name.Trim();
        }

        if (request.DescriptionGiven)
        {
            plan.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        }

        plan.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        var charges = await db.Set<Charge>().AsNoTracking().Where(c => c.PlanId == id).ToListAsync(cancellationToken);
        return MeteringResults.Ok(PlanResponse.From(plan, charges));
    }
}

/// <summary>
/// <c>POST /plans/{id}/archive</c>: no new subscriptions to it; running subscriptions keep their plan
/// until they are canceled.
/// </summary>
internal static class ArchivePlan
{
    public static async Task<IResult> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var plan = await db.Set<Plan>().FirstOrDefaultAsync(p => p.Id == id && p.OrganizationId == organizationId, cancellationToken);
        if (plan is null)
        {
            throw Problems.NotFound("plan", id);
        }

        if (plan.ArchivedAt is null)
        {
            plan.ArchivedAt = plan.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        var charges = await db.Set<Charge>().AsNoTracking().Where(c => c.PlanId == id).ToListAsync(cancellationToken);
        return MeteringResults.Ok(PlanResponse.From(plan, charges));
    }
}
