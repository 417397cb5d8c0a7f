using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Paging;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.Balance;

/// <summary><c>GET /balance/transactions?page=&amp;per_page=&amp;type=</c>: the ledger, newest first.</summary>
internal static class ListTransactions
{
    internal sealed record Response(
        [property: JsonPropertyName("transactions")] IReadOnlyList<TransactionResponse> Transactions,
        [property: JsonPropertyName("pagination")] Pagination Pagination);

    public static async Task<ApiOk<Envelope<Response>>> Handle(
        ResellerCaller caller, ResellerDbContext db,
        [FromQuery] int? page, [FromQuery(Name = "per_page")] int? perPage, [FromQuery] string? type,
        CancellationToken cancellationToken)
    {
        var paging = Paging.Parse(page, perPage);
        if (type is not null && type != "all" && !LedgerType.All.Contains(type))
        {
            throw new ApiErrorException(ApiError.InvalidField("type", "must be one of topup, purchase, extend, refund, adjustment, all."));
        }

        var query = db.Ledger.AsNoTracking().Where(e => e.ResellerId == caller.ResellerId && e.Mode == caller.Mode);
        if (type is not null && type != "all")
        {
            query = query.Where(e => e.Type == type);
        }

        var entries = await query.OrderByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id).ToPageAsync(paging, cancellationToken);
        return ApiResults.Ok(Envelope.Of(new Response([.. entries.Items.Select(TransactionResponse.From)], Pagination.For(entries))));
    }
}

/// <summary><c>page</c> (from 1) and <c>per_page</c> (1–100, default 20); anything else is a 400 naming the parameter.</summary>
internal static class Paging
{
    public const int DefaultPerPage = 20;
    public const int MaxPerPage = 100;

    public static PageRequest Parse(int? page, int? perPage)
    {
        if (page is < 1)
        {
            throw new ApiErrorException(ApiError.InvalidField("page", "must be 1 or more."));
        }

        if (perPage is < 1 or > MaxPerPage)
        {
            throw new ApiErrorException(ApiError.InvalidField("per_page", $"must be between 1 and {MaxPerPage}."));
        }

        return new PageRequest(page ?? 1, perPage ?? DefaultPerPage);
    }
}
