using FluxSuite.BuildingBlocks.Persistence;

namespace FluxSuite.Metering.Data;

/// <summary>Lets `dotnet ef migrations add` build this module's context without the host.</summary>
internal sealed class MeteringDesignTimeFactory() : ModuleDesignTimeFactory<MeteringDbContext>(MeteringDbContext.Schema, options => new MeteringDbContext(options));
