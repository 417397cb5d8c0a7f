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

namespace FluxSuite.Metering.Customers;

internal sealed record CustomerResponse(
    Guid Id,
    string Name,
    string? Email,
    [property: JsonPropertyName("external_id")] string ExternalId,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    public static CustomerResponse From(Customer c) => new(c.Id, c.Name, c.Email, c.ExternalId, c.CreatedAt, c.UpdatedAt);
}

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

    public static async Task<IResult> Handle(Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
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

        return MeteringResults.Created($"{MeteringModule.ApiBase}/customers/{customer.Id}", CustomerResponse.From(customer));
    }

    public static ApiErrorException ExternalIdTaken(string externalId) =>
        Problems.Conflict($"A customer with external_id '{externalId}' already exists in your organization.");
}

/// <summary><c>GET /customers?search=&amp;page=&amp;page_size=</c>: newest first; search matches name, email or external id.</summary>
internal static class ListCustomers
{
    public static async Task<IResult> Handle(
        ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken,
        [FromQuery] string? search, [FromQuery] int? page, [FromQuery(Name = "page_size")] int? pageSize)
    {
        var request = Paging.Read(page, pageSize);

        var organizationId = caller.OrganizationId();
        var query = db.Set<Customer>().AsNoTracking().Where(c => c.OrganizationId == organizationId);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var pattern = LikePattern.Containing(search.Trim());
            query = query.Where(c => EF.Functions.ILike(c.Name, pattern, LikePattern.Escape)
                                     || EF.Functions.ILike(c.ExternalId, pattern, LikePattern.Escape)
                                     || (c.Email != null && EF.Functions.ILike(c.Email, pattern, LikePattern.Escape)));
        }

        var customers = await query.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id).ToPageAsync(request, cancellationToken);
        return MeteringResults.Ok(ListResponse<CustomerResponse>.From(customers.Map(CustomerResponse.From)));
    }
}

/// <summary><c>GET /customers/{id}</c>.</summary>
internal static class GetCustomer
{
    public static async Task<IResult> Handle(Guid id, ClaimsPrincipal caller, MeteringDbContext db, CancellationToken cancellationToken)
    {
        var organizationId = caller.OrganizationId();
        var customer = await db.Set<Customer>().AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == id && c.OrganizationId == organizationId, cancellationToken);
        return customer is null ? throw Problems.NotFound("customer", id) : MeteringResults.Ok(CustomerResponse.From(customer));
    }
}

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

    public static async Task<IResult> Handle(Guid id, Request request, ClaimsPrincipal caller, MeteringDbContext db, TimeProvider clock, CancellationToken cancellationToken)
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
        var customer = await db.Set<Customer>().FirstOrDefaultAsync(c => c.Id == id && c.OrganizationId == organizationId, cancellationToken);
        if (customer is null)
        {
            throw Problems.NotFound("customer", id);
        }

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

        return MeteringResults.Ok(CustomerResponse.From(customer));
    }
}
