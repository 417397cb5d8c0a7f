using FluxSuite.BuildingBlocks.Persistence;

namespace FluxSuite.Listings.Data;

/// <summary>Lets `dotnet ef migrations add` build this module's context without the host.</summary>
internal sealed class ListingsDesignTimeFactory() : ModuleDesignTimeFactory<ListingsDbContext>(ListingsDbContext.Schema, options => new ListingsDbContext(options));
