using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Listings.Api;
using Microsoft.OpenApi;

namespace FluxSuite.Listings.Providers;

/// <summary>Who may write a field.</summary>
internal enum FieldAccess
{
    /// <summary>The provider (push and pull) and operators.</summary>
    Provider,

    /// <summary>Operators only: "managed by Fluxme.io and cannot be updated via the API".</summary>
    Protected,

    /// <summary>Nobody: the directory maintains it (timestamps).</summary>
    ReadOnly,
}

/// <summary>
/// One field of a listing: the <see cref="Provider"/> property that holds it, its wire name (the property's
/// name in camelCase), who may write it, and how a JSON value for it is checked and read.
/// </summary>
internal abstract class ListingField(PropertyInfo property, FieldAccess access)
{
    public string Name { get; } = JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    /// <summary>The entity property, for the storage mapping (column lengths come from <see cref="Schema"/>).</summary>
    public PropertyInfo Property { get; } = property;

    public FieldAccess Access { get; } = access;

    /// <summary>Reads <paramref name="value"/>; on a problem adds it to <paramref name="errors"/> under <paramref name="path"/> and returns false.</summary>
    public abstract bool TryRead(JsonElement value, string path, FieldErrors errors, out object? parsed);

    public abstract object? Get(Provider provider);

    public abstract void Set(Provider provider, object? value);

    public abstract bool Same(object? left, object? right);

    /// <summary>What the OpenAPI document says of the field: the rules <see cref="TryRead"/> enforces.</summary>
    public abstract FieldSchema Schema { get; }

    /// <summary>The value as the wire writes it (for the change history).</summary>
    public static JsonNode? ToJson(object? value) =>
        value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), ListingsJson.Options);
}

/// <summary>
/// A field whose value is a <typeparamref name="T"/>, named by its property (<c>p =&gt; p.TotalNodes</c>):
/// reading it, writing it and comparing values all follow from that one expression and the <see cref="FieldRule{T}"/>.
/// Lists compare by their elements.
/// </summary>
internal sealed class ListingField<T>(Expression<Func<Provider, T>> property, FieldAccess access, FieldRule<T> rule)
    : ListingField(PropertyOf(property), access)
{
    private readonly Func<Provider, T> _get = property.Compile();

    private readonly Action<Provider, T> _set = SetterOf(property);

    private readonly IEqualityComparer<T> _comparer = ComparerFor();

    public override bool TryRead(JsonElement value, string path, FieldErrors errors, out object? parsed)
    {
        var ok = rule.Read(value, path, errors, out var typed);
        parsed = typed;
        return ok;
    }

    public override object? Get(Provider provider) => _get(provider);

    public override void Set(Provider provider, object? value) => _set(provider, (T)value!);

    public override bool Same(object? left, object? right) => _comparer.Equals((T)left!, (T)right!);

    public override FieldSchema Schema => rule.Schema;

    private static PropertyInfo PropertyOf(Expression<Func<Provider, T>> property) =>
        property.Body is MemberExpression { Member: PropertyInfo info } && info.DeclaringType == typeof(Provider)
            ? info
            : throw new ArgumentException($"A listing field names one property of Provider, as p => p.Name; not {property}.", nameof(property));

    private static Action<Provider, T> SetterOf(Expression<Func<Provider, T>> property)
    {
        var provider = property.Parameters[0];
        var value = Expression.Parameter(typeof(T), "value");
        var member = (MemberExpression)property.Body;
        return Expression.Lambda<Action<Provider, T>>(Expression.Assign(member, value), provider, value).Compile();
    }

    private static IEqualityComparer<T> ComparerFor() =>
        typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(List<>)
            ? (IEqualityComparer<T>)typeof(SequenceComparer<>).MakeGenericType(typeof(T).GetGenericArguments())
                .GetProperty(nameof(SequenceComparer<object>.Instance))!.GetValue(null)!
            : EqualityComparer<T>.Default;
}

internal delegate bool FieldReader<T>(JsonElement value, string path, FieldErrors errors, out T parsed);

/// <summary>A field's reader and its description for the OpenAPI document, made together so they cannot drift.</summary>
internal sealed record FieldRule<T>(FieldReader<T> Read, FieldSchema Schema);

/// <summary>The JSON schema of a listing field: type, whether null is allowed (it clears the field), bounds.</summary>
internal sealed record FieldSchema(JsonSchemaType Type, bool Nullable)
{
    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    public decimal? Minimum { get; init; }

    public decimal? Maximum { get; init; }

    public IReadOnlyList<string>? Enum { get; init; }

    public string? Format { get; init; }

    public string? Pattern { get; init; }

    public int? MaxItems { get; init; }

    public FieldSchema? Items { get; init; }

    /// <summary>The component schema of the items (by name), when they are objects.</summary>
    public string? ItemsReference { get; init; }
}

/// <summary>Compares lists by their elements, in order.</summary>
internal sealed class SequenceComparer<T> : IEqualityComparer<List<T>>
{
    public static SequenceComparer<T> Instance { get; } = new();

    public bool Equals(List<T>? x, List<T>? y) =>
        ReferenceEquals(x, y) || (x is not null && y is not null && x.SequenceEqual(y));

    public int GetHashCode(List<T> obj) => obj.Count;
}
