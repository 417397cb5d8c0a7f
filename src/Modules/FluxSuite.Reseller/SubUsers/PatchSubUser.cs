using System.Globalization;
using System.Text.Json;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Json;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;

namespace FluxSuite.Reseller.SubUsers;

/// <summary>
/// <c>PATCH /sub-users/{id}</c> (ours): changes the fields the body names (<c>name</c>, <c>status</c> — a suspended
/// sub-user's plans accept no traffic — <c>traffic_limit_gb</c> — null removes the limit — and <c>end_user_reference</c>
/// — null clears it); fields left out stay as they are.
/// </summary>
internal static class PatchSubUser
{
    public static async Task<ApiOk<Envelope<SubUserResponse>>> Handle(
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

        return ApiResults.Ok(Envelope.Of(await SubUserResponse.FromAsync(db, subUser, cancellationToken)));
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
                        if (SubUserFields.Name(errors, value.ValueKind == JsonValueKind.String ? value.GetString() : null) is { } name)
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
                            patch = patch with { TrafficLimitBytes = Optional.Of(SubUserFields.TrafficLimit(errors, gb)) };
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
                            SubUserFields.Reference(errors, reference);
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

    /// <summary>A JSON number, or a numeric string as the plan endpoints accept.</summary>
    private static decimal? ReadNumber(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
        JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };
}
