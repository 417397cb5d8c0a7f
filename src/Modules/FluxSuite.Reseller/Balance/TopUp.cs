using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluentValidation;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.Reseller.Accounts;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;

namespace FluxSuite.Reseller.Balance;

/// <summary>
/// <c>POST /admin/resellers/{id}/topups</c> <c>{amount_cents, mode, note}</c>: credits a balance and answers
/// the ledger transaction. <c>type</c> (optional) also records operator corrections: <c>refund</c> (a credit
/// that lowers the total spent) and <c>adjustment</c> (either sign; a debit never takes the balance below zero).
/// </summary>
internal static class TopUp
{
    public const long MaxAmountCents = 100_000_000_000; // $1,000,000,000.00

    internal sealed record Request(
        [property: JsonPropertyName("amount_cents")] long? AmountCents,
        [property: JsonPropertyName("mode"), AllowedValues("live", "test")] string? Mode,
        [property: JsonPropertyName("note")] string? Note,
        [property: JsonPropertyName("type"), AllowedValues("topup", "refund", "adjustment")] string? Type);

    internal sealed class Validator : AbstractValidator<Request>
    {
        public Validator()
        {
            RuleFor(r => r.Mode).OneOf("live", "test").WithMessage("must be live or test.");
            RuleFor(r => r.Type).Must(t => t is null or LedgerType.Topup or LedgerType.Refund or LedgerType.Adjustment)
                .WithMessage("must be topup, refund or adjustment.");
            RuleFor(r => r.AmountCents).NotNull().WithMessage("is required.");
            RuleFor(r => r.AmountCents).InclusiveBetween(1, MaxAmountCents)
                .When(r => r.AmountCents is not null && r.Type is null or LedgerType.Topup or LedgerType.Refund)
                .WithMessage($"must be a whole number of cents between 1 and {MaxAmountCents}.");
            RuleFor(r => r.AmountCents).Must(a => a != 0 && Math.Abs(a!.Value) <= MaxAmountCents)
                .When(r => r.AmountCents is not null && r.Type == LedgerType.Adjustment)
                .WithMessage($"must be a non-zero number of cents up to {MaxAmountCents} either way.");
            RuleFor(r => r.Note).MaximumLength(500);
        }
    }

    public static async Task<ApiCreated<Envelope<TransactionResponse>>> Handle(
        Guid id, Request request, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        await AdminLookup.RequireResellerAsync(db, id, cancellationToken);
        var mode = AdminLookup.ParseMode(request.Mode, "mode");
        var type = request.Type ?? LedgerType.Topup;
        var amount = request.AmountCents!.Value;
        var spent = type == LedgerType.Refund ? -amount : 0;
        var description = string.IsNullOrWhiteSpace(request.Note) ? DefaultDescription(type) : request.Note.Trim();
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var entry = await Ledger.PostAsync(db, id, mode, type, amount, spent, null, description, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ApiResults.Created($"/admin/resellers/{id}/topups/{entry.Id}", Envelope.Of(TransactionResponse.From(entry)));
    }

    private static string DefaultDescription(string type) => type switch
    {
        LedgerType.Refund => "Refund",
        LedgerType.Adjustment => "Balance adjustment",
        _ => "Top-up",
    };
}
