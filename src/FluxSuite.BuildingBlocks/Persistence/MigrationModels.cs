using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FluxSuite.BuildingBlocks.Persistence;

/// <summary>A migration whose target model a later migration can build on instead of a generated copy of the whole model.</summary>
public abstract class ModelMigration : Migration
{
    /// <summary>Builds this migration's target model into <paramref name="modelBuilder"/>.</summary>
    public void BuildModelInto(ModelBuilder modelBuilder) => BuildTargetModel(modelBuilder);
}

/// <summary>
/// A migration that changes the database's functions or triggers, not the model: its target model is
/// <typeparamref name="TPrevious"/>'s, and its Up and Down are the SQL texts <paramref name="up"/> and
/// <paramref name="down"/> (a migration passes them from its parameterless constructor, which EF calls).
/// </summary>
public abstract class KeepsModelOf<TPrevious>(string up, string down) : ModelMigration
    where TPrevious : ModelMigration, new()
{
    /// <inheritdoc />
    protected sealed override void BuildTargetModel(ModelBuilder modelBuilder) => new TPrevious().BuildModelInto(modelBuilder);

    /// <inheritdoc />
    protected sealed override void Up(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql(up);
    }

    /// <inheritdoc />
    protected sealed override void Down(MigrationBuilder migrationBuilder)
    {
        ArgumentNullException.ThrowIfNull(migrationBuilder);
        migrationBuilder.Sql(down);
    }
}

/// <summary>
/// A migration that changes a little of the model: its target model is <typeparamref name="TPrevious"/>'s with
/// <see cref="ChangeModel"/> applied.
/// </summary>
public abstract class ChangesModelOf<TPrevious> : ModelMigration
    where TPrevious : ModelMigration, new()
{
    /// <inheritdoc />
    protected sealed override void BuildTargetModel(ModelBuilder modelBuilder)
    {
        new TPrevious().BuildModelInto(modelBuilder);
        ChangeModel(modelBuilder);
    }

    /// <summary>What this migration changes in <typeparamref name="TPrevious"/>'s target model.</summary>
    protected abstract void ChangeModel(ModelBuilder modelBuilder);
}
