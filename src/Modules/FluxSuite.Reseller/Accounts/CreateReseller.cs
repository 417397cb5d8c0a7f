using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Accounts;

/// <summary><c>POST /admin/resellers</c>: a new reseller with a live and a test key, each shown this once.</summary>
internal static class CreateReseller
{
    internal sealed record Request(
        [property: JsonPropertyName("name")] string? Name,
        [property: JsonPropertyName("email")] string? Email);

    internal sealed record Response(
        [property: JsonPropertyName("id")] Guid Id,
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("email")] string Email,
        [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("live_key")] string LiveKey,
        [property: JsonPropertyName("test_key")] string TestKey,
        [property: JsonPropertyName("created_at")] DateTime CreatedAt);

    internal sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Name).NotEmpty().WithMessage("is required.").MaximumLength(200);
            RuleFor(r => r.Email).NotEmpty().WithMessage("is required.").MaximumLength(320)
                .EmailAddress().WithMessage("must be an email address.");
        }
    }

    public static async Task<ApiCreated<Envelope<Response>>> Handle(Request request, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var reseller = new ResellerAccount
        {
            Id = Guid.CreateVersion7(now),
            Name = request.Name!.Trim(),
            Email = request.Email!.Trim(),
            Status = ResellerStatus.Active,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Resellers.Add(reseller);
        var (liveKey, live) = ApiKeys.New(reseller.Id, Mode.Live, now);
        var (testKey, test) = ApiKeys.New(reseller.Id, Mode.Test, now);
        db.Keys.AddRange(live, test);
        db.Balances.AddRange(
            new Data.Balance { ResellerId = reseller.Id, Mode = Mode.Live, UpdatedAt = now },
            new Data.Balance { ResellerId = reseller.Id, Mode = Mode.Test, UpdatedAt = now });
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Created($"/admin/resellers/{reseller.Id}", Envelope.Of(
            new Response(reseller.Id, reseller.Name, reseller.Email, reseller.Status, liveKey, testKey, now.UtcDateTime)));
    }
}

internal static class ApiKeys
{
    /// <summary>The reference's key shape: <c>fp_live_</c> or <c>fp_test_</c> and 32 random base62 characters.</summary>
    public const int RandomLength = 32;

    public static (string Plaintext, ResellerKey Key) New(Guid resellerId, Mode mode, DateTimeOffset now)
    {
        var plaintext = SecretKeyGenerator.Generate(Security.ResellerKeyHandler.PrefixFor(mode), RandomLength);
        return (plaintext, new ResellerKey
        {
            Id = Guid.CreateVersion7(now),
            ResellerId = resellerId,
            Mode = mode,
            KeyHash = KeyHash.Sha256Hex(plaintext),
            KeyPrefix = SecretKeyGenerator.DisplayPrefix(plaintext),
            CreatedAt = now,
        });
    }
}

internal static class AdminLookup
{
    public static async Task<ResellerAccount> ResellerAsync(ResellerDbContext db, Guid id, CancellationToken cancellationToken) =>
        await db.Resellers.FirstOrDefaultAsync(r => r.Id == id, cancellationToken)
        ?? throw new ApiErrorException(ApiError.NotFound($"Reseller {id} not found."));

    public static async Task RequireResellerAsync(ResellerDbContext db, Guid id, CancellationToken cancellationToken)
    {
        if (!await db.Resellers.AnyAsync(r => r.Id == id, cancellationToken))
        {
            throw new ApiErrorException(ApiError.NotFound($"Reseller {id} not found."));
        }
    }

    public static Mode ParseMode(string? value, string field) =>
        Products.TryParseMode(value, out var mode)
            ? mode
            : throw new ApiErrorException(ApiError.InvalidField(field, value is null ? "is required (live or test)." : "must be live or test."));
}
