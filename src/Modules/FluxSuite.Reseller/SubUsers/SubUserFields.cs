using System.Globalization;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Pricing;

namespace FluxSuite.Reseller.SubUsers;

/// <summary>The checks of the fields <c>POST /sub-users</c> and <c>PATCH /sub-users/{id}</c> both take.</summary>
internal static class SubUserFields
{
    public const int MaxNameLength = 200;
    public const int MaxReferenceLength = 255;

    /// <summary>A petabyte: far above any real limit, low enough that byte counts cannot overflow.</summary>
    public const decimal MaxTrafficLimitGb = 1_000_000;

    public static string? Name(FieldErrors errors, string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength)
        {
            errors.Add("name", $"is required: 1–{MaxNameLength} characters.");
            return null;
        }

        return name.Trim();
    }

    public static long? TrafficLimit(FieldErrors errors, decimal? gb)
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

    public static void Reference(FieldErrors errors, string? reference)
    {
        if (reference is { Length: > MaxReferenceLength })
        {
            errors.Add("end_user_reference", $"must be at most {MaxReferenceLength} characters.");
        }
    }
}
