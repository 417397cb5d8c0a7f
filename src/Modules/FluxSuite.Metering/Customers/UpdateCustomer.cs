using System.Security.Claims;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Metering.Auth;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Customers;

/// <summary>
/// <c>PATCH /customers/{id}</c>: name, email (null clears it), external_id. Events already tracked stay
/// with the customer; new events must use the new external_id.
/// </summary>
internal static class UpdateCustomer
{
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed class Request
    {
        private readonly string? _email;

        public string? Name { get; init; }

        public string? Email
        {
            get => _email;
            init
            {
                _email = value;
                EmailGiven = true;
            }
        }

        [JsonIgnore]
        public bool EmailGiven { get; private init; }

        [JsonPropertyName("external_id")]
        public string? ExternalId { get; init; }
    }

    public static async Task<ApiOk<CustomerResponse>> Handle(Guid id, Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (request.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > 200))
        {
            errors.Add("name", "must be 1 to 200 characters.");
        }

        if (!string.IsNullOrWhiteSpace(request.Email) && (request.Email.Length > 254 || !request.Email.Contains('@', StringComparison.Ordinal)))
        {
            errors.Add("email", "must be an email address.");
        }

        if (request.ExternalId is { } externalId && (string.IsNullOrWhiteSpace(externalId) || externalId.Length > 255))
        {
            errors.Add("external_id", "must be 1 to 255 characters.");
        }

        errors.ThrowIfAny();

        var organizationId = caller.OrganizationId();
        var customer = await db.Set<Customer>().FindOwnedAsync(id, organizationId, cancellationToken);

        customer.Name = request.Name?.Trim() ?? customer.Name;
        if (request.EmailGiven)
        {
            customer.Email = string.IsNullOrWhiteSpace(request.Email) ? null : request.Email.Trim();
        }

        customer.ExternalId = request.ExternalId?.Trim() ?? customer.ExternalId;
        customer.UpdatedAt = clock.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw CreateCustomer.ExternalIdTaken(customer.ExternalId);
        }

        return ApiResults.Ok(CustomerResponse.From(customer));
    }
}
