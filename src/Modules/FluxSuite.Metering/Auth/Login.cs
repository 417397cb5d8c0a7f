using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Metering.Common;
using FluxSuite.Metering.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Metering.Auth;

/// <summary><c>POST /auth/login</c>: email and password for a session; failed attempts are throttled per email.</summary>
internal static class Login
{
    internal sealed class Request
    {
        public string? Email { get; init; }

        public string? Password { get; init; }
    }

    internal sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Email).NotEmpty().WithMessage("is required.");
            RuleFor(r => r.Password).NotEmpty().WithMessage("is required.");
        }
    }

    public static async Task<ApiOk<SessionResponse>> Handle(
        Request request, HttpContext http, MeteringDbContext db, Sessions sessions, LoginThrottling throttling,
        IPasswordHasher<User> hasher, CancellationToken cancellationToken)
    {
        var email = request.Email!.Trim().ToLowerInvariant();
        var admission = await throttling.AdmitAsync(email, cancellationToken);
        if (admission.LockedFor is { } lockedFor)
        {
            throw new ApiErrorException(new ApiError(StatusCodes.Status429TooManyRequests, Problems.LoginLocked,
                $"Too many failed logins for this email: try again in {Math.Ceiling(lockedFor.TotalMinutes)} minute(s).")
            {
                RetryAfterSeconds = (int)Math.Ceiling(lockedFor.TotalSeconds),
            });
        }

        if (admission.Delay > TimeSpan.Zero)
        {
            await Task.Delay(admission.Delay, cancellationToken);
        }

        var user = await db.Set<User>().AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, cancellationToken);
        // An unknown email costs the same hashing as a known one, so timing does not tell which emails have accounts.
        var verdict = hasher.VerifyHashedPassword(user ?? LoginThrottling.Nobody, user?.PasswordHash ?? LoginThrottling.NobodyHash, request.Password!);
        if (user is null || verdict == PasswordVerificationResult.Failed)
        {
            await throttling.RecordFailureAsync(email, cancellationToken);
            throw new ApiErrorException(ApiError.Unauthorized("The email or password is wrong."));
        }

        await throttling.ResetAsync(email, cancellationToken);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await db.Set<User>().Where(u => u.Id == user.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, hasher.HashPassword(user, request.Password!)), cancellationToken);
        }

        var organization = await db.Set<Organization>().AsNoTracking().SingleAsync(o => o.Id == user.OrganizationId, cancellationToken);
        return ApiResults.Ok(await sessions.OpenAsync(http, user, organization, cancellationToken));
    }
}
