namespace FluxSuite.Listings.Providers;

/// <summary>Applies a checked patch to a listing and says what changed; fields given their current value change nothing.</summary>
internal static class ListingEditor
{
    public static List<ListingChange> Apply(Provider provider, ListingPatch patch, string source, DateTimeOffset now)
    {
        var changes = new List<ListingChange>();
        foreach (var (field, value) in patch.Values)
        {
            var old = field.Get(provider);
            if (field.Same(old, value))
            {
                continue;
            }

            field.Set(provider, value);
            changes.Add(ListingChange.Of(provider.Id, field, old, value, source, now));
        }

        if (changes.Count > 0)
        {
            provider.UpdatedAt = now;
        }

        return changes;
    }
}
