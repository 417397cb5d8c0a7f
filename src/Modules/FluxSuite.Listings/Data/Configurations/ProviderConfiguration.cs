using FluxSuite.Listings.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.OpenApi;

namespace FluxSuite.Listings.Data.Configurations;

internal sealed class ProviderConfiguration : IEntityTypeConfiguration<Provider>
{
    public void Configure(EntityTypeBuilder<Provider> builder)
    {
        builder.ToTable("providers");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.HasIndex(p => p.Slug).IsUnique();

        // A text column is as long as its field's rule lets a value be (the field table says it once).
        foreach (var field in ListingFields.All)
        {
            if (field.Schema is { Type: JsonSchemaType.String, MaxLength: { } maxLength })
            {
                builder.Property(field.Property.Name).HasMaxLength(maxLength);
            }
        }

        // The type is one of a few short words; its column leaves room for more.
        builder.Property(p => p.Type).HasMaxLength(16);
        builder.Property(p => p.Tiers).HasJsonColumn();
        builder.Property(p => p.Rating).HasPrecision(3, 2);
        builder.Property(p => p.PushedFields).HasJsonColumn();
    }
}
