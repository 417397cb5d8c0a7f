using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Reseller.SubUsers;

/// <summary>
/// A sub-user as the API shows it: one of a reseller's end users, with an optional traffic limit across the plans bought
/// for it. A suspended sub-user's plans accept no traffic.
/// </summary>
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

    /// <summary>The sub-user with the number of plans bought for it, counted now.</summary>
    public static async Task<SubUserResponse> FromAsync(ResellerDbContext db, SubUser subUser, CancellationToken cancellationToken) =>
        From(subUser, await db.Plans.AsNoTracking().CountAsync(p => p.SubUserId == subUser.Id, cancellationToken));
}
