using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Auth;

/// <summary><c>POST /auth/signup</c>: a new organization and its first user, signed in.</summary>
internal static class Signup
{
    internal sealed class Request
    {
        public string? Email { get; init; }

        public string? Password { get; init; }

        [JsonPropertyName("organization_name")]
        public string? OrganizationName { get; init; }
    }

    internal sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Email).NotEmpty().WithMessage("is required.")
                .MaximumLength(254).EmailAddress().WithMessage("must be an email address.");
            RuleFor(r => r.Password).NotEmpty().WithMessage("is required.")
                .MinimumLength(8).WithMessage("must be at least 8 characters.")
                .MaximumLength(128).WithMessage("must be at most 128 characters.");
            RuleFor(r => r.OrganizationName).NotEmpty().WithMessage("is required.")
                .MaximumLength(200).WithMessage("must be at most 200 characters.");
        }
    }

    public static async Task<ApiCreated<SessionResponse>> Handle(
        Request request, HttpContext http, MeteringDbContext db, Sessions sessions, IPasswordHasher<User> hasher, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var email = request.Email!.Trim().ToLowerInvariant();
        if (await db.Set<User>().AnyAsync(u => u.Email == email, cancellationToken))
        {
            throw Problems.Conflict("An account with this email already exists: log in instead.");
        }

        var now = clock.GetUtcNow();
        var organization = new Organization { Id = Guid.CreateVersion7(), Name = request.OrganizationName!.Trim(), CreatedAt = now };
        var user = new User { Id = Guid.CreateVersion7(), OrganizationId = organization.Id, Email = email, PasswordHash = string.Empty, CreatedAt = now };
        user.PasswordHash = hasher.HashPassword(user, request.Password!);
        db.AddRange(organization, user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw Problems.Conflict("An account with this email already exists: log in instead.");
        }

        var session = await sessions.OpenAsync(http, user, organization, cancellationToken);
        return ApiResults.Created($"{MeteringModule.ApiBase}/auth/me", session);
    }
}
