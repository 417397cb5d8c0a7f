using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace FluxSuite.Host.Persistence;

/// <summary>
/// Read by <c>dotnet ef</c> (the host is its startup project): a module keeps every type but its
/// registrar internal, so new migrations are generated internal too.
/// </summary>
internal sealed class MigrationDesignTimeServices : IDesignTimeServices
{
    public void ConfigureDesignTimeServices(IServiceCollection serviceCollection) =>
        serviceCollection.AddSingleton<IMigrationsCodeGenerator, InternalMigrationsGenerator>();

    private sealed class InternalMigrationsGenerator(MigrationsCodeGeneratorDependencies dependencies, CSharpMigrationsGeneratorDependencies csharpDependencies)
        : CSharpMigrationsGenerator(dependencies, csharpDependencies)
    {
        public override string GenerateMigration(string? migrationNamespace, string migrationName, IReadOnlyList<MigrationOperation> upOperations, IReadOnlyList<MigrationOperation> downOperations) =>
            base.GenerateMigration(migrationNamespace, migrationName, upOperations, downOperations)
                .Replace($"public partial class {migrationName} ", $"internal partial class {migrationName} ", StringComparison.Ordinal);
    }
}
