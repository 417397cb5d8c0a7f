using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FluxSuite.BuildingBlocks.Persistence;

/// <summary>Tells a save refused by a unique index (a slug, an email, a lookup key already taken) from any other failure.</summary>
public static class UniqueViolation
{
    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception?.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
