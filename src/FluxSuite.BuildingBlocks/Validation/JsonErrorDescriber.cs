using System.Text.Json;
using System.Text.RegularExpressions;
using FluxSuite.BuildingBlocks.Errors;

namespace FluxSuite.BuildingBlocks.Validation;

/// <summary>
/// Turns a <see cref="JsonException"/> from System.Text.Json into an error a client can act on:
/// which field, and what was expected there, without .NET type names.
/// </summary>
public static partial class JsonErrorDescriber
{
    /// <param name="exception">What System.Text.Json threw.</param>
    /// <param name="fieldNaming">How the module names fields, for messages that quote C# names.</param>
    /// <param name="bodyType">The type being read, when known: the expected type of a field is looked up
    /// along the error's JSON path, because the exception itself sometimes names the containing type.</param>
    public static ApiError Describe(JsonException exception, JsonNamingPolicy? fieldNaming = null, Type? bodyType = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var field = FieldFromPath(exception.Path);
        var position = exception.LineNumber is { } line
            ? $" (line {line + 1}, position {(exception.BytePositionInLine ?? 0) + 1})"
            : string.Empty;

        var conversion = ConversionTarget().Match(exception.Message);
        if (conversion.Success && field is not null)
        {
            var expected = bodyType is not null && TypeAtPath(bodyType, field, fieldNaming) is { } target
                ? Describe(target)
                : Describe(conversion.Groups["type"].Value);
            return ApiError.InvalidField(field, $"expected {expected}.");
        }

        var unmapped = UnmappedMember().Match(exception.Message);
        if (unmapped.Success)
        {
            var name = unmapped.Groups["name"].Value;
            // The path already ends with the unknown member ("$.items[0].colour"); do not name it twice.
            var qualified = field is null || field == name ? name
                : field.EndsWith("." + name, StringComparison.Ordinal) ? field
                : $"{field}.{name}";
            return ApiError.InvalidField(qualified, "is not a known field.");
        }

        var missing = MissingRequired().Match(exception.Message);
        if (missing.Success)
        {
            var names = missing.Groups["names"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(n => n.Trim('\''))
                .Select(n => fieldNaming?.ConvertName(n) ?? n)
                .ToArray();
            return ApiError.Validation(
                $"Missing required field{(names.Length == 1 ? string.Empty : "s")}: {string.Join(", ", names)}.",
                names.ToDictionary(n => n, _ => new[] { "is required." }));
        }

        // Syntax errors: keep System.Text.Json's own first sentence (it names the offending character).
        var detail = exception.Message;
        var cut = detail.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            detail = detail[..cut];
        }

        var where = field is null ? string.Empty : $" at '{field}'";
        return ApiError.Validation($"Malformed JSON{where}{position}: {detail}");
    }

    /// <summary>"$.tiers[0].price" → "tiers[0].price"; "$" → null.</summary>
    public static string? FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return null;
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        // System.Text.Json quotes names it cannot print bare: $['a b'] → a b
        field = field.Replace("['", ".", StringComparison.Ordinal).Replace("']", string.Empty, StringComparison.Ordinal).TrimStart('.');
        return field.Length == 0 ? null : field;
    }

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.CamelCase.ConvertName(n)));
        }

        if (type != typeof(string) && ElementType(type) is not null)
        {
            return "an array";
        }

        return Type.GetTypeCode(type) is TypeCode.Object && type != typeof(Guid) && type != typeof(DateTimeOffset)
            && type != typeof(TimeSpan) && type != typeof(DateOnly)
            ? "an object"
            : Describe(type.FullName ?? type.Name);
    }

    /// <summary>The CLR type a JSON path such as <c>items[1].price</c> leads to inside <paramref name="root"/>.</summary>
    internal static Type? TypeAtPath(Type root, string path, JsonNamingPolicy? naming)
    {
        var current = root;
        foreach (var segment in path.Split('.'))
        {
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            var name = bracket >= 0 ? segment[..bracket] : segment;
            if (name.Length > 0)
            {
                var property = current.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
                    .FirstOrDefault(p => Matches(p, name, naming));
                if (property is null)
                {
                    return null;
                }

                current = property.PropertyType;
            }

            for (var i = bracket; i >= 0 && i < segment.Length; i = segment.IndexOf('[', i + 1))
            {
                current = ElementType(current);
                if (current is null)
                {
                    return null;
                }
            }
        }

        return current;
    }

    private static bool Matches(System.Reflection.PropertyInfo property, string jsonName, JsonNamingPolicy? naming)
    {
        if (property.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonPropertyNameAttribute), true)
                .FirstOrDefault() is System.Text.Json.Serialization.JsonPropertyNameAttribute explicitName)
        {
            return explicitName.Name == jsonName;
        }

        return string.Equals(property.Name, jsonName, StringComparison.OrdinalIgnoreCase)
               || (naming is not null && naming.ConvertName(property.Name) == jsonName);
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var dictionary = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>));
        if (dictionary is not null)
        {
            return dictionary.GetGenericArguments()[1];
        }

        var enumerable = type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static string Describe(string clrType)
    {
        var type = clrType.Trim();
        var nullable = NullableOf().Match(type);
        if (nullable.Success)
        {
            type = nullable.Groups["inner"].Value;
        }

        return type switch
        {
            "System.Int16" or "System.Int32" or "System.Int64" or "System.UInt16" or "System.UInt32" or "System.UInt64" or "System.Byte"
                => "an integer",
            "System.Decimal" or "System.Double" or "System.Single" => "a number",
            "System.Boolean" => "true or false",
            "System.String" => "a string",
            "System.Guid" => "a UUID",
            "System.DateTime" or "System.DateTimeOffset" => "an ISO 8601 date-time such as 2025-01-01T00:00:00Z",
            "System.DateOnly" => "a date such as 2025-01-01",
            "System.TimeSpan" => "a duration such as 01:00:00",
            _ when type.EndsWith("[]", StringComparison.Ordinal) || type.Contains("List`1", StringComparison.Ordinal)
                || type.Contains("IReadOnlyList`1", StringComparison.Ordinal) || type.Contains("IEnumerable`1", StringComparison.Ordinal)
                => "an array",
            _ when type.Contains("Dictionary`2", StringComparison.Ordinal) => "an object",
            _ => $"a valid {ShortName(type)}",
        };
    }

    private static string ShortName(string type)
    {
        var plus = Math.Max(type.LastIndexOf('+'), type.LastIndexOf('.'));
        return plus >= 0 ? type[(plus + 1)..] : type;
    }

    [GeneratedRegex(@"could not be converted to (?<type>[^.\s][^\s]*?)\.( Path|$)")]
    private static partial Regex ConversionTarget();

    [GeneratedRegex(@"The JSON property '(?<name>[^']+)' could not be mapped")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex(@"missing required properties including: (?<names>.+?)\.( Path|$)")]
    private static partial Regex MissingRequired();

    [GeneratedRegex(@"^System\.Nullable`1\[\[?(?<inner>[^,\]]+)")]
    private static partial Regex NullableOf();
}
