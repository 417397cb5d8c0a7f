using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Listings.Data.Migrations
{
    /// <summary>
    /// The directory version moves when the writing transaction commits (a deferred constraint trigger) instead of at the end
    /// of each statement. Pushes are written several to a transaction (docs/listings.md, "Group commit for pushes"): with the
    /// counter moved by the group's first statement, the group would hold its backend's counter while its later statements wait
    /// for listings, and a writer that shares the counter and holds one of those listings would wait for the counter: a
    /// deadlock. Moved at the commit, the counter is the last lock every writer takes, once it waits for nothing else. A
    /// transaction of one statement moves it at the same point as before. The function is the same.
    /// </summary>
    [DbContext(typeof(ListingsDbContext))]
    [Migration("20261219000000_MoveDirectoryVersionAtCommit")]
    internal sealed class MoveDirectoryVersionAtCommit() : KeepsModelOf<MoveDirectoryVersionPerWrittenRow>(
        up: """
            DROP TRIGGER providers_move_directory_version ON listings.providers;
            CREATE CONSTRAINT TRIGGER providers_move_directory_version
                AFTER INSERT OR UPDATE OR DELETE ON listings.providers
                DEFERRABLE INITIALLY DEFERRED
                FOR EACH ROW EXECUTE FUNCTION listings.move_directory_version();
            """,
        // MoveDirectoryVersionPerWrittenRow's row trigger, as it wrote it.
        down: $"""
            DROP TRIGGER providers_move_directory_version ON listings.providers;
            {MoveDirectoryVersionPerWrittenRow.Trigger}
            """)
    {
    }
}
