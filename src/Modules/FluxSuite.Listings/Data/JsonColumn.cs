using System.Text.Json;
using FluxSuite.Listings.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace FluxSuite.Listings.Data;

/// <summary>
/// Stores a value as <c>jsonb</c>, written with the module's camelCase JSON options so the column reads
/// like the wire. Change tracking compares the serialized form, so a mutated list is noticed too.
/// </summary>
internal static class JsonColumn
{
    public static PropertyBuilder<T> HasJsonColumn<T>(this PropertyBuilder<T> property)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(property);
        property.HasColumnType("jsonb").HasConversion(
            v => JsonSerializer.Serialize(v, ListingsJson.Options),
            v => JsonSerializer.Deserialize<T>(v, ListingsJson.Options)!,
            new ValueComparer<T>(
                (a, b) => JsonSerializer.Serialize(a, ListingsJson.Options) == JsonSerializer.Serialize(b, ListingsJson.Options),
                v => JsonSerializer.Serialize(v, ListingsJson.Options).GetHashCode(StringComparison.Ordinal),
                v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, ListingsJson.Options), ListingsJson.Options)!));
        return property;
    }
}
