using System.Security.Claims;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Json;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Meters;

/// <summary>
/// <c>PATCH /features/{id}</c>: rename or change the unit. How a meter counts (aggregation, property,
/// token) never changes once events may have been tracked with it; create a new meter instead.
/// </summary>
internal static class UpdateFeature
{
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed class Request
    {
        public string? Name { get; init; }

        /// <summary>Null clears the unit; left out, it stays (<see cref="UnitChange"/> tells which).</summary>
        public string? Unit
        {
            get => UnitChange.Value;
            init => UnitChange = Optional.Of(value);
        }

        [JsonIgnore]
        public Optional<string?> UnitChange { get; private init; }
    }

    public static async Task<ApiOk<FeatureResponse>> Handle(Guid id, Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > 200))
        {
            errors.Add("name", "must be 1 to 200 characters.");
        }

        if (request.Unit is { Length: > 50 })
        {
            errors.Add("unit", "must be at most 50 characters.");
        }

        errors.ThrowIfAny();

        var organizationId = caller.OrganizationId();
        var feature = await db.Set<Feature>().FindOwnedAsync(id, organizationId, cancellationToken);

        if (request.Name is not null)
        {
            feature.Name = request.Name.Trim();
        }

        if (request.UnitChange.Given)
        {
            feature.Unit = string.IsNullOrWhiteSpace(request.Unit) ? null : request.Unit.Trim();
        }

        feature.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Ok(FeatureResponse.From(feature));
    }
}
