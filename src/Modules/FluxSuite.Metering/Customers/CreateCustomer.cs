using System.Security.Claims;
using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Customers;

/// <summary><c>POST /customers</c>: <c>external_id</c> is how the SDK names the customer, unique in the organization.</summary>
internal static class CreateCustomer
{
    internal sealed class Request
    {
        public string? Name { get; init; }

        public string? Email { get; init; }

        [JsonPropertyName("external_id")]
        public string? ExternalId { get; init; }
    }

    internal sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).NotEmpty().WithMessage("is required.").MaximumLength(200).WithMessage("must be at most 200 characters.");
            RuleFor(r => r.Email).MaximumLength(254).EmailAddress().WithMessage("must be an email address.");
            RuleFor(r => r.ExternalId).NotEmpty().WithMessage("is required.").MaximumLength(255).WithMessage("must be at most 255 characters.");
        }
    }

    public static async Task<ApiCreated<CustomerResponse>> Handle(Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var externalId = request.ExternalId!.Trim();
        if (await db.Set<Customer>().AnyAsync(c => c.OrganizationId == organizationId && c.ExternalId == externalId, cancellationToken))
        {
            throw ExternalIdTaken(externalId);
        }

        var now = clock.GetUtcNow();
        var customer = new Customer
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            Name = request.Name!.Trim(),
            Email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim(),
            ExternalId = externalId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Add(customer);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ExternalIdTaken(externalId);
        }

        return ApiResults.Created($"{MeteringModule.ApiBase}/customers/{customer.Id}", CustomerResponse.From(customer));
    }

    public static ApiErrorException ExternalIdTaken(string externalId) =>
        Problems.Conflict($"A customer with external_id '{externalId}' already exists in your organization.");
}
