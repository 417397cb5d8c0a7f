using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Paging;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.SubUsers;

/// <summary><c>GET /sub-users?status=</c> (the reference's): the caller's sub-users, newest first, a page at a time.</summary>
internal static class ListSubUsers
{
    [SchemaId("SubUserEndpointsListResponse")]
    internal sealed record ListResponse(
        [property: JsonPropertyName("sub_users")] IReadOnlyList<SubUserResponse> SubUsers,
        [property: JsonPropertyName("pagination")] Pagination Pagination);

    public static async Task<ApiOk<Envelope<ListResponse>>> Handle(
        ResellerCaller caller, ResellerDbContext db,
        [FromQuery] int? page, [FromQuery(Name = "per_page")] int? perPage, [FromQuery] string? status,
        CancellationToken cancellationToken)
    {
        var paging = Paging.Parse(page, perPage);
        var query = db.SubUsers.AsNoTracking().Where(s => s.ResellerId == caller.ResellerId && s.Mode == caller.Mode);
        query = status switch
        {
            null or "all" => query,
            SubUserStatus.Active or SubUserStatus.Suspended => query.Where(s => s.Status == status),
            _ => throw new ApiErrorException(ApiError.InvalidField("status", "must be one of active, suspended, all.")),
        };
        var subUsers = await query.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).ToPageAsync(paging, cancellationToken);
        var ids = subUsers.Items.Select(s => s.Id).ToList();
        var plans = await db.Plans.AsNoTracking().Where(p => p.SubUserId != null && ids.Contains(p.SubUserId.Value))
            .GroupBy(p => p.SubUserId!.Value).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return ApiResults.Ok(Envelope.Of(new ListResponse(
            [.. subUsers.Items.Select(s => SubUserResponse.From(s, plans.GetValueOrDefault(s.Id)))], Pagination.For(subUsers))));
    }
}
