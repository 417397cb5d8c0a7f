using System.Security.Claims;
using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Meters;

/// <summary><c>POST /features</c>: a meter feature, with the token the SDK names it by.</summary>
internal static class CreateFeature
{
    internal sealed class Request
    {
        public string? Name { get; init; }

        [JsonPropertyName("lookup_key")]
        public string? LookupKey { get; init; }

        public string? Type { get; init; }

        [JsonPropertyName("meter_name")]
        public string? MeterName { get; init; }

        [JsonPropertyName("property_name")]
        public string? PropertyName { get; init; }

        [JsonPropertyName("aggregation_type")]
        public string? AggregationType { get; init; }

        public string? Unit { get; init; }
    }

    internal sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).NotEmpty().WithMessage("is required.").MaximumLength(200).WithMessage("must be at most 200 characters.");
            RuleFor(r => r.LookupKey).NotEmpty().WithMessage("is required.")
                .MaximumLength(100).WithMessage("must be at most 100 characters.")
                .Matches("^[A-Za-z0-9][A-Za-z0-9_.-]*$").WithMessage("may hold only letters, digits, '_', '.' and '-', starting with a letter or digit.");
            RuleFor(r => r.Type).NotEmpty().WithMessage("is required.")
                .Equal("meter").WithMessage("must be 'meter' (the only feature type that tracks usage).");
            RuleFor(r => r.MeterName).MaximumLength(100).WithMessage("must be at most 100 characters.");
            RuleFor(r => r.PropertyName).MaximumLength(100).WithMessage("must be at most 100 characters.");
            RuleFor(r => r.PropertyName).NotEmpty()
                .When(r => string.Equals(r.AggregationType, Aggregations.UniqueCount, StringComparison.OrdinalIgnoreCase))
                .WithMessage("is required for UNIQUE_COUNT: it names the event property whose distinct values are counted.");
            RuleFor(r => r.AggregationType).NotEmpty().WithMessage("is required.")
                .Must(a => Aggregations.All.Contains(a, StringComparer.OrdinalIgnoreCase))
                .WithMessage($"must be one of {string.Join(", ", Aggregations.All)}.");
            RuleFor(r => r.Unit).MaximumLength(50).WithMessage("must be at most 50 characters.");
        }
    }

    public static async Task<ApiCreated<FeatureResponse>> Handle(Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var lookupKey = request.LookupKey!.Trim();
        if (await db.Set<Feature>().AnyAsync(f => f.OrganizationId == organizationId && f.LookupKey == lookupKey, cancellationToken))
        {
            throw Problems.Conflict($"A feature with lookup_key '{lookupKey}' already exists in your organization.");
        }

        var now = clock.GetUtcNow();
        var feature = new Feature
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            Name = request.Name!.Trim(),
            LookupKey = lookupKey,
            Type = "meter",
            MeterId = Guid.CreateVersion7(),
            MeterName = string.IsNullOrWhiteSpace(request.MeterName) ? lookupKey : request.MeterName.Trim(),
            PropertyName = string.IsNullOrWhiteSpace(request.PropertyName) ? null : request.PropertyName.Trim(),
            AggregationType = request.AggregationType!.ToUpperInvariant(),
            Unit = string.IsNullOrWhiteSpace(request.Unit) ? null : request.Unit.Trim(),
            MeterToken = SecretKeyGenerator.Generate("mtr_", 24),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Add(feature);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw Problems.Conflict($"A feature with lookup_key '{lookupKey}' already exists in your organization.");
        }

        return ApiResults.Created($"{MeteringModule.ApiBase}/features/{feature.Id}", FeatureResponse.From(feature));
    }
}
