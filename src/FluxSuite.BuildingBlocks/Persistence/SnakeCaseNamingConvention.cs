using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;

namespace FluxSuite.BuildingBlocks.Persistence;

/// <summary>
/// Names tables, columns, keys, foreign keys and indexes in snake_case unless a name was given
/// explicitly. Runs when the model is finalized, so it sees every explicit configuration first.
/// (EFCore.NamingConventions does this too, but our package source has no build for EF Core 10.)
/// </summary>
public sealed class SnakeCaseNamingConvention : IModelFinalizingConvention
{
    public void ProcessModelFinalizing(IConventionModelBuilder modelBuilder, IConventionContext<IConventionModelBuilder> context)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        foreach (var entity in modelBuilder.Metadata.GetEntityTypes())
        {
            if (entity.IsMappedToJson())
            {
                continue;
            }

            if (entity.GetTableNameConfigurationSource() != ConfigurationSource.Explicit && entity.GetTableName() is { } table)
            {
                entity.Builder.ToTable(ToSnakeCase(table), entity.GetSchema());
            }
        }

        foreach (var entity in modelBuilder.Metadata.GetEntityTypes())
        {
            var tableName = entity.GetTableName();
            if (tableName is null || entity.IsMappedToJson())
            {
                continue;
            }

            var store = StoreObjectIdentifier.Table(tableName, entity.GetSchema());
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnNameConfigurationSource() != ConfigurationSource.Explicit
                    && property.GetColumnName(store) is { } column)
                {
                    property.Builder.HasColumnName(ToSnakeCase(column));
                }
            }

            foreach (var key in entity.GetDeclaredKeys())
            {
                if (key.GetNameConfigurationSource() != ConfigurationSource.Explicit && key.GetName() is { } name)
                {
                    key.Builder.HasName(ToSnakeCase(name));
                }
            }

            foreach (var foreignKey in entity.GetDeclaredForeignKeys())
            {
                if (foreignKey.GetConstraintNameConfigurationSource() != ConfigurationSource.Explicit
                    && foreignKey.GetConstraintName() is { } name)
                {
                    foreignKey.Builder.HasConstraintName(ToSnakeCase(name));
                }
            }

            foreach (var index in entity.GetDeclaredIndexes())
            {
                if (index.GetDatabaseNameConfigurationSource() != ConfigurationSource.Explicit
                    && index.GetDatabaseName() is { } name)
                {
                    index.Builder.HasDatabaseName(ToSnakeCase(name));
                }
            }
        }
    }

    /// <summary>"ProviderKey" → "provider_key", "PK_ProviderKeys" → "pk_provider_keys", "LastUsedAt" → "last_used_at".</summary>
    public static string ToSnakeCase(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previous = i > 0 ? name[i - 1] : '_';
                var nextIsLower = i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (i > 0 && previous != '_' && (char.IsLower(previous) || char.IsDigit(previous) || nextIsLower))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}

public static class SnakeCaseNamingExtensions
{
    /// <summary>Call from <c>DbContext.ConfigureConventions</c>.</summary>
    public static ModelConfigurationBuilder UseSnakeCaseNames(this ModelConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Conventions.Add(_ => new SnakeCaseNamingConvention());
        return builder;
    }
}
