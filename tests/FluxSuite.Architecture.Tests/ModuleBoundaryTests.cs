using System.Reflection;
using System.Xml.Linq;
using FluxSuite.Listings;
using FluxSuite.Metering;
using FluxSuite.Reseller;

namespace FluxSuite.Architecture.Tests;

/// <summary>The modular-monolith rules, checked on the compiled assemblies and on the project files.</summary>
public sealed class ModuleBoundaryTests
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
    public void Given_a_module_Then_its_assembly_references_no_other_module(string module)
    {
        var assembly = Modules.Single(m => m.GetName().Name == module);
        var others = Modules.Where(m => m != assembly).Select(m => m.GetName().Name).ToHashSet();

        var references = assembly.GetReferencedAssemblies().Select(r => r.Name).Where(others.Contains).ToList();

        Assert.Empty(references);
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Given_a_module_Then_its_project_file_references_no_other_module(string module)
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "Modules", module, module + ".csproj"));

        var references = project.Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value))
            .Where(name => name.StartsWith("FluxSuite.", StringComparison.Ordinal) && name != "FluxSuite.BuildingBlocks")
            .ToList();

        Assert.Empty(references);
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Given_a_module_Then_only_its_registrar_is_public(string module)
    {
        var assembly = Modules.Single(m => m.GetName().Name == module);

        var exported = assembly.GetExportedTypes().Select(t => t.FullName).ToList();

        var registrar = Assert.Single(exported);
        Assert.EndsWith("Module", registrar, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Given_a_module_registrar_Then_it_offers_exactly_one_Add_and_one_Map(string module)
    {
        var registrar = Modules.Single(m => m.GetName().Name == module).GetExportedTypes().Single();
        var name = module["FluxSuite.".Length..];

        var methods = registrar.GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name).Order().ToList();

        Assert.Equal(["Add" + name, "Map" + name], methods);
    }

    [Fact]
    public void Given_BuildingBlocks_Then_it_depends_on_no_module_and_not_on_the_host()
    {
        var references = typeof(FluxSuite.BuildingBlocks.Errors.ApiError).Assembly.GetReferencedAssemblies()
            .Select(r => r.Name!)
            .Where(n => n.StartsWith("FluxSuite.", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(references);
    }

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
