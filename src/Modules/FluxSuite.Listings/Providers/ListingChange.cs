using System.Text.Json.Nodes;

namespace FluxSuite.Listings.Providers;

/// <summary>Where a change to a listing came from.</summary>
internal static class ChangeSource
{
    public const string Push = "push";
    public const string Pull = "pull";
    public const string Admin = "admin";
}

/// <summary>One field of one listing changing value: an append-only history row.</summary>
internal sealed class ListingChange
{
    public long Id { get; set; }

    public Guid ProviderId { get; set; }

    public string Field { get; set; } = string.Empty;

    /// <summary>The value before, as JSON text (null when the field was empty).</summary>
    public string? OldValue { get; set; }

    public string? NewValue { get; set; }

    public string Source { get; set; } = string.Empty;

    public DateTimeOffset ChangedAt { get; set; }

    public static ListingChange Of(Guid providerId, ListingField field, object? oldValue, object? newValue, string source, DateTimeOffset at) => new()
    {
        ProviderId = providerId,
        Field = field.Name,
        OldValue = ListingField.ToJson(oldValue)?.ToJsonString(),
        NewValue = ListingField.ToJson(newValue)?.ToJsonString(),
        Source = source,
        ChangedAt = at,
    };

    public static JsonNode? Parse(string? json) => json is null ? null : JsonNode.Parse(json);
}
