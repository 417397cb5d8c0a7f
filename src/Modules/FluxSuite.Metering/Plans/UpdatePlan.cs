using System.Security.Claims;
using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Plans;

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

    public static async Task<ApiOk<PlanResponse>> Handle(Guid id, Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
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
        var plan = await db.Set<Plan>().FindOwnedAsync(id, organizationId, cancellationToken);

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
        return ApiResults.Ok(PlanResponse.From(plan, charges));
    }
}
