using System.Text.Json;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Json;

namespace FluxSuite.Listings.Providers;

/// <summary>Who is writing, which decides what a body may contain.</summary>
internal enum PatchMode
{
    /// <summary>The provider's own PATCH: protected, read-only and unknown fields are errors.</summary>
    Push,

    /// <summary>An operator's PATCH: protected fields allowed.</summary>
    Admin,

    /// <summary>An operator creating a listing: like <see cref="Admin"/>, and slug and name are required.</summary>
    Create,

    /// <summary>A pulled document: protected, read-only and unknown fields are ignored and reported.</summary>
    Pull,
}

/// <summary>A field a pulled document carried that pull does not apply, and why.</summary>
internal sealed record IgnoredField(string Field, string Reason)
{
    public const string Protected = "protected";
    public const string ReadOnly = "readOnly";
    public const string Unknown = "unknown";
}

internal sealed record FieldValue(ListingField Field, object? Value);

/// <summary>
/// The fields a write sets, every one already checked: present fields are set, absent ones left alone,
/// null clears an optional field and lists are replaced whole.
/// </summary>
internal sealed class ListingPatch
{
    private ListingPatch(List<FieldValue> values, List<IgnoredField> ignored)
    {
        Values = values;
        Ignored = ignored;
    }

    public IReadOnlyList<FieldValue> Values { get; }

    public IReadOnlyList<IgnoredField> Ignored { get; }

    public bool IsEmpty => Values.Count == 0;

    public FieldValue? Find(string field) => Values.FirstOrDefault(v => v.Field.Name == field);

    /// <summary>Reads a JSON body: every problem is added to <paramref name="errors"/>, and the patch is null when there is any.</summary>
    public static ListingPatch? Read(JsonElement body, PatchMode mode, FieldErrors errors)
    {
        if (PatchBody.Fields(body) is not { } fields)
        {
            errors.Add("body", "must be a JSON object of listing fields.");
            return null;
        }

        return Read(fields, mode, errors);
    }

    public static ListingPatch? Read(IEnumerable<(string Name, JsonElement Value)> properties, PatchMode mode, FieldErrors errors)
    {
        var values = new List<FieldValue>();
        var ignored = new List<IgnoredField>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in properties)
        {
            if (!seen.Add(name))
            {
                errors.Add(name, "appears more than once.");
                continue;
            }

            var field = ListingFields.Find(name);
            if (field is null)
            {
                if (ListingFields.ReadOnly.Contains(name))
                {
                    Reject(mode, name, IgnoredField.ReadOnly, "is maintained by the directory and cannot be set.", errors, ignored);
                }
                else
                {
                    var suggestion = ListingFields.Suggest(name);
                    Reject(mode, name, IgnoredField.Unknown,
                        suggestion is null ? "is not a known field." : $"is not a known field (did you mean '{suggestion}'?).", errors, ignored);
                }

                continue;
            }

            if (field.Access == FieldAccess.Protected && mode is PatchMode.Push or PatchMode.Pull)
            {
                Reject(mode, name, IgnoredField.Protected, "cannot be updated via the API: it is managed by Fluxme.io.", errors, ignored);
                continue;
            }

            if (field.TryRead(value, name, errors, out var parsed))
            {
                values.Add(new FieldValue(field, parsed));
            }
        }

        if (mode == PatchMode.Create)
        {
            foreach (var required in (string[])["slug", "name"])
            {
                if (!seen.Contains(required))
                {
                    errors.Add(required, "is required.");
                }
            }
        }

        return errors.Any ? null : new ListingPatch(values, ignored);
    }

    private static void Reject(PatchMode mode, string name, string reason, string problem, FieldErrors errors, List<IgnoredField> ignored)
    {
        if (mode == PatchMode.Pull)
        {
            ignored.Add(new IgnoredField(name, reason));
        }
        else
        {
            errors.Add(name, problem);
        }
    }

    /// <summary>The same patch without the named fields (pull leaves fields that push owns).</summary>
    public ListingPatch Without(IReadOnlySet<string> fields) =>
        new([.. Values.Where(v => !fields.Contains(v.Field.Name))], [.. Ignored]);
}
