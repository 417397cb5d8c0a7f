using FluxSuite.BuildingBlocks.Persistence;

namespace FluxSuite.Reseller.Data;

/// <summary>Lets `dotnet ef migrations add` build this module's context without the host.</summary>
internal sealed class ResellerDesignTimeFactory() : ModuleDesignTimeFactory<ResellerDbContext>(ResellerDbContext.Schema, options => new ResellerDbContext(options));
