using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluxSuite.BuildingBlocks.Errors;
using Microsoft.OpenApi;

namespace FluxSuite.Listings.Providers;

/// <summary>
/// The checks behind each listing field. Each reader accepts JSON <c>null</c> only where the field is
/// optional, never coerces a value of another JSON type, and reports its problem under the field's path.
/// </summary>
internal static partial class FieldReaders
{
    public const string Cleared = "send null to clear it";

    public static FieldRule<string?> Text(int maxLength, bool nullable = true) => new(
        (JsonElement value, string path, FieldErrors errors, out string? parsed) =>
        {
            parsed = null;
            if (value.ValueKind == JsonValueKind.Null)
            {
                return NullAllowed(nullable, path, errors);
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                errors.Add(path, "must be a string.");
                return false;
            }

            var text = value.GetString()!;
            if (string.IsNullOrWhiteSpace(text))
            {
                errors.Add(path, nullable ? $"must not be empty ({Cleared})." : "must not be empty.");
                return false;
            }

            if (text.Length > maxLength)
            {
                errors.Add(path, $"must be at most {maxLength} characters (it has {text.Length}).");
                return false;
            }

            parsed = text;
            return true;
        },
        new FieldSchema(JsonSchemaType.String, nullable) { MinLength = 1, MaxLength = maxLength });

    public static FieldRule<string?> Url() => new(
        (JsonElement value, string path, FieldErrors errors, out string? parsed) =>
        {
            if (!UrlText(value, path, errors, out parsed))
            {
                return false;
            }

            if (parsed is null)
            {
                return true;
            }

            if (!IsHttpUrl(parsed))
            {
                errors.Add(path, "must be an absolute http:// or https:// URL.");
                parsed = null;
                return false;
            }

            return true;
        },
        new FieldSchema(JsonSchemaType.String, Nullable: true) { MaxLength = 2048, Format = "uri" });

    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;

    public static FieldRule<string?> OneOf(IReadOnlyList<string> allowed, bool nullable = true) => new(
        (JsonElement value, string path, FieldErrors errors, out string? parsed) =>
        {
            parsed = null;
            if (value.ValueKind == JsonValueKind.Null)
            {
                return NullAllowed(nullable, path, errors);
            }

            var text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (text is null || !allowed.Contains(text, StringComparer.Ordinal))
            {
                errors.Add(path, $"must be one of {string.Join(", ", allowed.Select(a => $"'{a}'"))}.");
                return false;
            }

            parsed = text;
            return true;
        },
        new FieldSchema(JsonSchemaType.String, nullable) { Enum = allowed });

    public static FieldRule<int?> Integer(int min, int max = int.MaxValue) => new(
        (JsonElement value, string path, FieldErrors errors, out int? parsed) =>
        {
            parsed = null;
            if (value.ValueKind == JsonValueKind.Null)
            {
                return true;
            }

            if (!ReadInteger(value, path, errors, min, max, out var number))
            {
                return false;
            }

            parsed = number;
            return true;
        },
        new FieldSchema(JsonSchemaType.Integer, Nullable: true) { Minimum = min, Maximum = max });

    public static FieldRule<int> RequiredInteger(int min, int max = int.MaxValue) => new(
        (JsonElement value, string path, FieldErrors errors, out int parsed) =>
        {
            parsed = 0;
            if (value.ValueKind == JsonValueKind.Null)
            {
                errors.Add(path, "must not be null.");
                return false;
            }

            return ReadInteger(value, path, errors, min, max, out parsed);
        },
        new FieldSchema(JsonSchemaType.Integer, Nullable: false) { Minimum = min, Maximum = max });

    private static bool ReadInteger(JsonElement value, string path, FieldErrors errors, int min, int max, out int parsed)
    {
        parsed = 0;
        if (value.ValueKind != JsonValueKind.Number)
        {
            errors.Add(path, "must be a number.");
            return false;
        }

        if (!value.TryGetDecimal(out var number) || number != decimal.Truncate(number))
        {
            errors.Add(path, "must be a whole number.");
            return false;
        }

        if (number < min || number > max)
        {
            errors.Add(path, number < min && max == int.MaxValue ? $"must be {min} or more." : $"must be between {min} and {max}.");
            return false;
        }

        parsed = (int)number;
        return true;
    }

    /// <param name="min">Lower bound, inclusive.</param>
    /// <param name="max">Upper bound, inclusive; null for none.</param>
    /// <param name="maxDecimals">How many digits may follow the decimal point; null for any.</param>
    public static FieldRule<decimal?> Number(decimal min, decimal? max, int? maxDecimals = null) => new(
        (JsonElement value, string path, FieldErrors errors, out decimal? parsed) =>
        {
            parsed = null;
            if (value.ValueKind == JsonValueKind.Null)
            {
                return true;
            }

            if (!ReadNumber(value, path, errors, min, max, maxDecimals, out var number))
            {
                return false;
            }

            parsed = number;
            return true;
        },
        new FieldSchema(JsonSchemaType.Number, Nullable: true) { Minimum = min, Maximum = max });

    public static bool ReadNumber(JsonElement value, string path, FieldErrors errors, decimal min, decimal? max, int? maxDecimals, out decimal parsed)
    {
        parsed = 0;
        if (value.ValueKind != JsonValueKind.Number)
        {
            errors.Add(path, "must be a number.");
            return false;
        }

        if (!value.TryGetDecimal(out var number))
        {
            errors.Add(path, "is too large.");
            return false;
        }

        if (number < min || (max is { } upper && number > upper))
        {
            errors.Add(path, max is { } top
                ? $"must be between {min.ToString(CultureInfo.InvariantCulture)} and {top.ToString(CultureInfo.InvariantCulture)}."
                : $"must be {min.ToString(CultureInfo.InvariantCulture)} or more.");
            return false;
        }

        if (maxDecimals is { } decimals && number != decimal.Round(number, decimals))
        {
            errors.Add(path, $"must have at most {decimals} decimal places.");
            return false;
        }

        parsed = number;
        return true;
    }

    public static FieldRule<bool?> Boolean() => new(
        (JsonElement value, string path, FieldErrors errors, out bool? parsed) =>
        {
            parsed = null;
            switch (value.ValueKind)
            {
                case JsonValueKind.Null:
                    return true;
                case JsonValueKind.True or JsonValueKind.False:
                    parsed = value.GetBoolean();
                    return true;
                default:
                    errors.Add(path, "must be true or false.");
                    return false;
            }
        },
        new FieldSchema(JsonSchemaType.Boolean, Nullable: true));

    public static FieldRule<bool> RequiredBoolean() => new(
        (JsonElement value, string path, FieldErrors errors, out bool parsed) =>
        {
            parsed = false;
            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                parsed = value.GetBoolean();
                return true;
            }

            errors.Add(path, value.ValueKind == JsonValueKind.Null ? "must not be null (true or false)." : "must be true or false.");
            return false;
        },
        new FieldSchema(JsonSchemaType.Boolean, Nullable: false));

    /// <summary>An array of distinct strings, each checked by <paramref name="check"/> (null when fine, else the problem).</summary>
    public static FieldRule<List<string>> StringList(int maxItems, Func<string, string?> check) => new(
        (JsonElement value, string path, FieldErrors errors, out List<string> parsed) =>
        {
            parsed = [];
            if (value.ValueKind == JsonValueKind.Null)
            {
                return true;
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                errors.Add(path, "must be an array of strings.");
                return false;
            }

            if (value.GetArrayLength() > maxItems)
            {
                errors.Add(path, $"must have at most {maxItems} items.");
                return false;
            }

            var ok = true;
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                var itemPath = $"{path}[{index++}]";
                if (item.ValueKind != JsonValueKind.String)
                {
                    errors.Add(itemPath, "must be a string.");
                    ok = false;
                    continue;
                }

                var text = item.GetString()!;
                if (check(text) is { } problem)
                {
                    errors.Add(itemPath, problem);
                    ok = false;
                }
                else if (parsed.Contains(text, StringComparer.Ordinal))
                {
                    errors.Add(itemPath, $"'{text}' appears more than once.");
                    ok = false;
                }
                else
                {
                    parsed.Add(text);
                }
            }

            return ok;
        },
        new FieldSchema(JsonSchemaType.Array, Nullable: true) { MaxItems = maxItems, Items = new FieldSchema(JsonSchemaType.String, Nullable: false) });

    public static string? LanguageCode(string code) =>
        IsoLanguages.Contains(code)
            ? null
            : $"'{code}' is not an ISO 639-1 language code (two lower-case letters such as 'en' or 'pl').";

    public static string? SupportChannel(string channel) =>
        channel.Length is >= 1 and <= 32 && ChannelName().IsMatch(channel)
            ? null
            : $"'{channel}' is not a short channel name (1–32 letters, digits, spaces, '-', '_' or '.', such as 'email' or 'discord').";

    public static FieldRule<List<PricingTier>> Tiers() => new(
        (JsonElement value, string path, FieldErrors errors, out List<PricingTier> parsed) =>
        {
            parsed = [];
            if (value.ValueKind == JsonValueKind.Null)
            {
                return true;
            }

            if (value.ValueKind != JsonValueKind.Array)
            {
                errors.Add(path, "must be an array of {tier, price, planName} objects.");
                return false;
            }

            var ok = true;
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                var tier = ReadTier(item, $"{path}[{index++}]", errors, parsed);
                if (tier is null)
                {
                    ok = false;
                }
                else
                {
                    parsed.Add(tier);
                }
            }

            return ok;
        },
        new FieldSchema(JsonSchemaType.Array, Nullable: true) { ItemsReference = nameof(PricingTier) });

    private static PricingTier? ReadTier(JsonElement item, string path, FieldErrors errors, List<PricingTier> earlier)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be an object {tier, price, planName}.");
            return null;
        }

        JsonElement? tierValue = null, priceValue = null, planValue = null;
        var ok = true;
        foreach (var property in item.EnumerateObject())
        {
            switch (property.Name)
            {
                case "tier": tierValue = property.Value; break;
                case "price": priceValue = property.Value; break;
                case "planName": planValue = property.Value; break;
                default:
                    errors.Add($"{path}.{property.Name}", "is not a known field (a tier has tier, price and planName).");
                    ok = false;
                    break;
            }
        }

        string? tier = null;
        if (tierValue is not { } t || t.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"{path}.tier", "is required.");
            ok = false;
        }
        else if (TierName(t, $"{path}.tier", errors, out tier))
        {
            if (earlier.Any(e => e.Tier == tier))
            {
                errors.Add($"{path}.tier", $"'{tier}' appears more than once.");
                ok = false;
            }
        }
        else
        {
            ok = false;
        }

        var price = 0m;
        if (priceValue is not { } p || p.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"{path}.price", "is required.");
            ok = false;
        }
        else if (!ReadNumber(p, $"{path}.price", errors, 0m, null, 2, out price))
        {
            ok = false;
        }

        string? planName = null;
        if (planValue is { } n && !PlanName(n, $"{path}.planName", errors, out planName))
        {
            ok = false;
        }

        return ok ? new PricingTier(tier!, price, planName) : null;
    }

    private static bool NullAllowed(bool nullable, string path, FieldErrors errors)
    {
        if (!nullable)
        {
            errors.Add(path, "must not be null.");
        }

        return nullable;
    }

    public static readonly IReadOnlyList<string> TierNames = ["cumulus", "nimbus", "stratus"];

    public static readonly IReadOnlyList<string> ProviderTypes = ["managed", "selfSetup", "dedicated"];

    private static readonly FieldReader<string?> UrlText = Text(2048).Read;

    private static readonly FieldReader<string?> TierName = OneOf(TierNames, nullable: false).Read;

    private static readonly FieldReader<string?> PlanName = Text(60).Read;

    /// <summary>The 183 ISO 639-1 two-letter codes.</summary>
    private static readonly HashSet<string> IsoLanguages = new(
        """
        aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz
        ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik
        io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml
        mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd
        se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi
        vo wa wo xh yi yo za zh zu
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.Ordinal);

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9 ._-]*$")]
    private static partial Regex ChannelName();
}
