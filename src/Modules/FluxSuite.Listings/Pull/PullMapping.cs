using System.Globalization;
using System.Text.Json;
using FluxSuite.Listings.Providers;

namespace FluxSuite.Listings.Pull;

/// <summary>
/// Reads listing fields out of a provider's own document: mapped fields from their path
/// (<c>stats.nodes.total</c>, <c>plans[1].price</c>), every other field from the top-level member of
/// the same name.
/// </summary>
internal static class PullMapping
{
    public const int MaxPathLength = 200;

    /// <summary>The fields found, the mapped paths the document lacks, and the top-level members a mapping reads from.</summary>
    internal sealed record Extraction(List<(string Name, JsonElement Value)> Fields, List<string> MissingPaths);

    public static Extraction Extract(JsonElement root, IReadOnlyDictionary<string, string> mapping)
    {
        var fields = new List<(string, JsonElement)>();
        var missing = new List<string>();
        var roots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (field, path) in mapping)
        {
            var segments = Parse(path, out _)!;
            if (segments.Count > 0 && segments[0] is string first)
            {
                roots.Add(first);
            }

            if (Resolve(root, segments) is { } value)
            {
                fields.Add((field, value));
            }
            else
            {
                missing.Add(path);
            }
        }

        if (root.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in root.EnumerateObject())
            {
                // A member a mapping reads from, or one a mapping replaces, is not itself a field.
                if (!mapping.ContainsKey(property.Name) && !(roots.Contains(property.Name) && ListingFields.Find(property.Name) is null))
                {
                    fields.Add((property.Name, property.Value));
                }
            }
        }

        return new Extraction(fields, missing);
    }

    /// <summary>Splits a path into member names and array indexes; null (with the problem) when it is not one.</summary>
    public static List<object>? Parse(string path, out string? problem)
    {
        problem = null;
        var segments = new List<object>();
        if (string.IsNullOrWhiteSpace(path) || path.Length > MaxPathLength)
        {
            problem = $"must be a path of 1–{MaxPathLength} characters such as 'stats.nodes.total' or 'plans[0].price'.";
            return null;
        }

        var i = 0;
        var expectName = true;
        while (i < path.Length)
        {
            if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0 || !int.TryParse(path.AsSpan(i + 1, close - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    problem = $"has a bad array index at position {i + 1}: write [0], [1], …";
                    return null;
                }

                segments.Add(index);
                i = close + 1;
                expectName = false;
                continue;
            }

            if (path[i] == '.')
            {
                if (expectName || i == path.Length - 1)
                {
                    problem = $"has an empty member name at position {i + 1}.";
                    return null;
                }

                i++;
                expectName = true;
                continue;
            }

            if (!expectName)
            {
                problem = $"needs a '.' before the member name at position {i + 1}.";
                return null;
            }

            var end = i;
            while (end < path.Length && path[end] is not ('.' or '['))
            {
                end++;
            }

            segments.Add(path[i..end]);
            i = end;
            expectName = false;
        }

        return segments;
    }

    private static JsonElement? Resolve(JsonElement root, IReadOnlyList<object> segments)
    {
        var current = root;
        foreach (var segment in segments)
        {
            switch (segment)
            {
                case string name when current.ValueKind == JsonValueKind.Object && current.TryGetProperty(name, out var member):
                    current = member;
                    break;
                case int index when current.ValueKind == JsonValueKind.Array && index < current.GetArrayLength():
                    current = current[index];
                    break;
                default:
                    return null;
            }
        }

        return current;
    }
}
