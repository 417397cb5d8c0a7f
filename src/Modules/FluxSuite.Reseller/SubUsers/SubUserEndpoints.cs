using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Json;
using FluxSuite.BuildingBlocks.Paging;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Pricing;
using FluxSuite.Reseller.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.SubUsers;

/// <summary>A sub-user as the API shows it.</summary>
internal sealed record SubUserResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status"), AllowedValues("active", "suspended")] string Status,
    [property: JsonPropertyName("traffic_limit_gb")] decimal? TrafficLimitGb,
    [property: JsonPropertyName("traffic_limit_bytes")] long? TrafficLimitBytes,
    [property: JsonPropertyName("bytes_used")] long BytesUsed,
    [property: JsonPropertyName("gb_used")] decimal GbUsed,
    [property: JsonPropertyName("bytes_remaining")] long? BytesRemaining,
    [property: JsonPropertyName("plans")] int Plans,
    [property: JsonPropertyName("end_user_reference")] string? EndUserReference,
    [property: JsonPropertyName("created_at")] DateTime CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTime UpdatedAt)
{
    public static SubUserResponse From(SubUser s, int plans) => new(
        s.Id, s.Name, s.Status,
        s.TrafficLimitBytes is { } limit ? PlanResponse.Gb(limit) : null, s.TrafficLimitBytes,
        s.BytesUsed, PlanResponse.Gb(s.BytesUsed),
        s.TrafficLimitBytes is { } cap ? Math.Max(0, cap - s.BytesUsed) : null,
        plans, s.EndUserReference, s.CreatedAt.UtcDateTime, s.UpdatedAt.UtcDateTime);
}

/// <summary>
/// <c>GET /sub-users</c>, <c>GET /sub-users/{id}</c> (the reference's) and <c>POST /sub-users</c>,
/// <c>PATCH /sub-users/{id}</c> (ours): a reseller's end users, each with an optional traffic limit across
/// the plans bought for it. A suspended sub-user's plans accept no traffic.
/// </summary>
internal static class SubUserEndpoints
{
    public const int MaxNameLength = 200;
    public const int MaxReferenceLength = 255;

    /// <summary>A petabyte: far above any real limit, low enough that byte counts cannot overflow.</summary>
    public const decimal MaxTrafficLimitGb = 1_000_000;

    internal sealed record ListResponse(
        [property: JsonPropertyName("sub_users")] IReadOnlyList<SubUserResponse> SubUsers,
        [property: JsonPropertyName("pagination")] Pagination Pagination);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record CreateRequest
    {
        [JsonPropertyName("name"), Description("Required on create, up to 200 characters; never null.")]
        public string Name { get; init; } = null!;

        [JsonPropertyName("status"), AllowedValues("active", "suspended"), Description("Default active.")]
        public string? Status { get; init; }

        [JsonPropertyName("traffic_limit_gb"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
        [Description("Traffic the sub-user's plans may carry together, in GB (up to 3 decimals); omit or null for no limit.")]
        public decimal? TrafficLimitGb { get; init; }

        [JsonPropertyName("end_user_reference"), Description("Your reference for the end user, up to 255 characters.")]
        public string? EndUserReference { get; init; }
    }

    public static async Task<ApiOk<Envelope<ListResponse>>> List(
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

    public static async Task<ApiOk<Envelope<SubUserResponse>>> Get(ResellerCaller caller, string id, ResellerDbContext db, CancellationToken cancellationToken)
    {
        var subUser = await SubUserAccess.FindAsync(db.SubUsers.AsNoTracking(), caller, id, cancellationToken);
        return ApiResults.Ok(Envelope.Of(await ViewAsync(db, subUser, cancellationToken)));
    }

    public static async Task<ApiCreated<Envelope<SubUserResponse>>> Create(
        ResellerCaller caller, CreateRequest request, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var name = Name(errors, request.Name);
        if (request.Status is not (null or SubUserStatus.Active or SubUserStatus.Suspended))
        {
            errors.Add("status", "must be active or suspended.");
        }

        var limit = TrafficLimit(errors, request.TrafficLimitGb);
        Reference(errors, request.EndUserReference);
        errors.ThrowIfAny();
        var now = clock.GetUtcNow();
        var subUser = new SubUser
        {
            Id = Guid.CreateVersion7(now),
            ResellerId = caller.ResellerId,
            Mode = caller.Mode,
            Name = name!,
            Status = request.Status ?? SubUserStatus.Active,
            TrafficLimitBytes = limit,
            EndUserReference = string.IsNullOrWhiteSpace(request.EndUserReference) ? null : request.EndUserReference,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.SubUsers.Add(subUser);
        await db.SaveChangesAsync(cancellationToken);
        var basePath = ResellerRoutes.BasePath(caller.Mode);
        return ApiResults.Created($"{basePath}/sub-users/{subUser.Id}", Envelope.Of(SubUserResponse.From(subUser, 0)));
    }

    /// <summary>
    /// Changes the fields the body names (<c>name</c>, <c>status</c>, <c>traffic_limit_gb</c> — null removes the
    /// limit — and <c>end_user_reference</c> — null clears it); fields left out stay as they are.
    /// </summary>
    public static async Task<ApiOk<Envelope<SubUserResponse>>> Patch(
        ResellerCaller caller, string id, JsonElement body, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var subUser = await SubUserAccess.FindAsync(db.SubUsers, caller, id, cancellationToken);
        var patch = SubUserPatch.Read(body);
        subUser.Name = patch.Name.Or(subUser.Name);
        subUser.Status = patch.Status.Or(subUser.Status);
        subUser.TrafficLimitBytes = patch.TrafficLimitBytes.Or(subUser.TrafficLimitBytes);
        subUser.EndUserReference = patch.EndUserReference.Or(subUser.EndUserReference);
        if (db.ChangeTracker.HasChanges())
        {
            subUser.UpdatedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return ApiResults.Ok(Envelope.Of(await ViewAsync(db, subUser, cancellationToken)));
    }

    /// <summary>The fields a PATCH body names, each checked; the sub-user is changed only once none has a problem.</summary>
    private sealed record SubUserPatch(
        Optional<string> Name, Optional<string> Status, Optional<long?> TrafficLimitBytes, Optional<string?> EndUserReference)
    {
        public static SubUserPatch Read(JsonElement body)
        {
            var fields = PatchBody.Fields(body)
                         ?? throw new ApiErrorException(ApiError.Validation(
                             "The body must be a JSON object of the fields to change: name, status, traffic_limit_gb, end_user_reference."));
            var errors = new FieldErrors();
            var patch = new SubUserPatch(default, default, default, default);
            foreach (var (field, value) in fields)
            {
                switch (field)
                {
                    case "name":
                        if (SubUserEndpoints.Name(errors, value.ValueKind == JsonValueKind.String ? value.GetString() : null) is { } name)
                        {
                            patch = patch with { Name = Optional.Of(name) };
                        }

                        break;
                    case "status":
                        if (value.ValueKind == JsonValueKind.String && value.GetString() is SubUserStatus.Active or SubUserStatus.Suspended)
                        {
                            patch = patch with { Status = Optional.Of(value.GetString()!) };
                        }
                        else
                        {
                            errors.Add("status", "must be active or suspended.");
                        }

                        break;
                    case "traffic_limit_gb":
                        if (value.ValueKind == JsonValueKind.Null)
                        {
                            patch = patch with { TrafficLimitBytes = Optional.Of<long?>(null) };
                        }
                        else if (ReadNumber(value) is { } gb)
                        {
                            patch = patch with { TrafficLimitBytes = Optional.Of(TrafficLimit(errors, gb)) };
                        }
                        else
                        {
                            errors.Add("traffic_limit_gb", "must be a number of GB, or null for no limit.");
                        }

                        break;
                    case "end_user_reference":
                        if (value.ValueKind == JsonValueKind.Null)
                        {
                            patch = patch with { EndUserReference = Optional.Of<string?>(null) };
                        }
                        else if (value.ValueKind == JsonValueKind.String)
                        {
                            var reference = value.GetString();
                            Reference(errors, reference);
                            patch = patch with { EndUserReference = Optional.Of(string.IsNullOrWhiteSpace(reference) ? null : reference) };
                        }
                        else
                        {
                            errors.Add("end_user_reference", "must be a string, or null to clear it.");
                        }

                        break;
                    default:
                        errors.Add(field, "is not a field of a sub-user; one of name, status, traffic_limit_gb, end_user_reference.");
                        break;
                }
            }

            errors.ThrowIfAny();
            return patch;
        }
    }

    private static async Task<SubUserResponse> ViewAsync(ResellerDbContext db, SubUser subUser, CancellationToken cancellationToken) =>
        SubUserResponse.From(subUser, await db.Plans.AsNoTracking().CountAsync(p => p.SubUserId == subUser.Id, cancellationToken));

    private static string? Name(FieldErrors errors, string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength)
        {
            errors.Add("name", $"is required: 1–{MaxNameLength} characters.");
            return null;
        }

        return name.Trim();
    }

    private static long? TrafficLimit(FieldErrors errors, decimal? gb)
    {
        if (gb is null)
        {
            return null;
        }

        if (gb <= 0 || gb > MaxTrafficLimitGb)
        {
            errors.Add("traffic_limit_gb", $"must be more than 0 and at most {MaxTrafficLimitGb.ToString(CultureInfo.InvariantCulture)} GB (null for no limit).");
            return null;
        }

        if (decimal.Round(gb.Value, 3) != gb.Value)
        {
            errors.Add("traffic_limit_gb", "must have at most 3 decimal places (1 MB).");
            return null;
        }

        return (long)(gb.Value * Cost.BytesPerGb);
    }

    private static void Reference(FieldErrors errors, string? reference)
    {
        if (reference is { Length: > MaxReferenceLength })
        {
            errors.Add("end_user_reference", $"must be at most {MaxReferenceLength} characters.");
        }
    }

    /// <summary>A JSON number, or a numeric string as the plan endpoints accept.</summary>
    private static decimal? ReadNumber(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
        JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}

internal static class SubUserAccess
{
    /// <summary>The caller's sub-user by its id as the path spells it; any other (or a non-UUID) is 404.</summary>
    public static async Task<SubUser> FindAsync(IQueryable<SubUser> subUsers, ResellerCaller caller, string id, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var subUserId))
        {
            throw NotFound(id);
        }

        return await subUsers.FirstOrDefaultAsync(s => s.Id == subUserId && s.ResellerId == caller.ResellerId && s.Mode == caller.Mode, cancellationToken)
               ?? throw NotFound(id);
    }

    /// <summary>A plan may be bought only for an active sub-user of the caller; anything else is a 400 naming <paramref name="field"/>.</summary>
    public static async Task RequireActiveAsync(ResellerDbContext db, ResellerCaller caller, Guid id, string field, CancellationToken cancellationToken)
    {
        var status = await db.SubUsers.AsNoTracking()
            .Where(s => s.Id == id && s.ResellerId == caller.ResellerId && s.Mode == caller.Mode)
            .Select(s => s.Status).FirstOrDefaultAsync(cancellationToken);
        if (status is null)
        {
            throw new ApiErrorException(ApiError.InvalidField(field, $"{id} is not one of your sub-users (GET /sub-users lists them)."));
        }

        if (status != SubUserStatus.Active)
        {
            throw new ApiErrorException(ApiError.InvalidField(field, $"sub-user {id} is suspended; reactivate it first (PATCH /sub-users/{id})."));
        }
    }

    private static ApiErrorException NotFound(string id) => new(ApiError.NotFound($"Sub-user {id} not found."));
}
