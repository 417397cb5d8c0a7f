using System.Reflection;
using System.Text.RegularExpressions;
using FluxSuite.Listings;
using FluxSuite.Metering;
using FluxSuite.Reseller;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FluxSuite.Architecture.Tests;

/// <summary>A migration is history: its SQL is literal text, so a later change to the module's code can never change it.</summary>
public sealed partial class MigrationSourceTests
{
    private static readonly Assembly[] Modules =
    [
        typeof(ListingsModule).Assembly,
        typeof(ResellerModule).Assembly,
        typeof(MeteringModule).Assembly,
    ];

    public static TheoryData<string> ModuleNames => new(Modules.Select(m => m.GetName().Name!));

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Given_a_module_migration_Then_it_names_no_type_of_the_module_but_its_context(string module)
    {
        var assembly = Modules.Single(m => m.GetName().Name == module);
        var moduleTypes = assembly.GetTypes()
            .Where(t => !typeof(Migration).IsAssignableFrom(t) && !typeof(ModelSnapshot).IsAssignableFrom(t) && !t.Name.Contains('<', StringComparison.Ordinal))
            .Select(t => t.Name.Split('`')[0])
            .ToHashSet(StringComparer.Ordinal);
        var files = Directory.GetFiles(Path.Combine(RepositoryRoot(), "src", "Modules", module, "Data", "Migrations"), "*.cs")
            .Where(f => !f.EndsWith(".Designer.cs", StringComparison.Ordinal) && !f.EndsWith("ModelSnapshot.cs", StringComparison.Ordinal))
            .ToList();

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var code = Comment().Replace(ContextAttribute().Replace(File.ReadAllText(file), string.Empty), string.Empty);
            var used = Identifier().Matches(code).Select(m => m.Value).Where(moduleTypes.Contains).Distinct().ToList();
            Assert.True(used.Count == 0, $"{Path.GetFileName(file)} uses {string.Join(", ", used)} of {module}; write the SQL and names out literally.");
        }
    }

    [GeneratedRegex(@"\[DbContext\(typeof\(\w+\)\)\]")]
    private static partial Regex ContextAttribute();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex Comment();

    [GeneratedRegex(@"\b[A-Z][A-Za-z0-9_]*\b")]
    private static partial Regex Identifier();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FluxSuite.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("FluxSuite.sln not found above " + AppContext.BaseDirectory);
    }
}
