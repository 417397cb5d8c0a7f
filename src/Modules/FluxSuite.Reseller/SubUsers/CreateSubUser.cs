using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;

namespace FluxSuite.Reseller.SubUsers;

/// <summary><c>POST /sub-users</c> (ours): a new end user of the caller's, with an optional traffic limit across the plans bought for it.</summary>
internal static class CreateSubUser
{
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    [SchemaId("SubUserEndpointsCreateRequest")]
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

    public static async Task<ApiCreated<Envelope<SubUserResponse>>> Handle(
        ResellerCaller caller, CreateRequest request, ResellerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var name = SubUserFields.Name(errors, request.Name);
        if (request.Status is not (null or SubUserStatus.Active or SubUserStatus.Suspended))
        {
            errors.Add("status", "must be active or suspended.");
        }

        var limit = SubUserFields.TrafficLimit(errors, request.TrafficLimitGb);
        SubUserFields.Reference(errors, request.EndUserReference);
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
}
