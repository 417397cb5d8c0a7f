using Microsoft.EntityFrameworkCore;

namespace FluxSuite.BuildingBlocks.Persistence;

/// <summary>
/// The base of every module's DbContext. A <c>SaveChanges</c> inside a transaction the code began makes no
/// savepoint: EF's default wraps each such save in <c>SAVEPOINT</c> and <c>RELEASE SAVEPOINT</c>, two more
/// round trips per save, only so that a caller could go on with the transaction after a failed save. No
/// code here does: a failed save throws out of the transaction, which is rolled back when disposed.
/// Pooled contexts keep the setting (the pool restores what the constructor set).
/// </summary>
public abstract class ModuleDbContext : DbContext
{
    protected ModuleDbContext(DbContextOptions options)
        : base(options) =>
        Database.AutoSavepointsEnabled = false;
}
