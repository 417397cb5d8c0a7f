using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Listings.Data.Migrations
{
    /// <summary>
    /// The directory's version: 64 counter rows that a statement trigger on listings.providers moves on in
    /// the transaction of every write (push, pull, operator, or SQL by hand). Their sum only grows, in commit
    /// order, so an instance that reads it before reading listings knows whether a page it keeps is still
    /// current. A writer moves the row of its own backend (pid mod 64), so concurrent writers rarely wait for
    /// each other; each move takes the row at least to the current time in microseconds, so the sum never
    /// comes back to an earlier value, not even after the rows are emptied.
    /// </summary>
    internal partial class AddDirectoryVersions : ModelMigration
    {
        // What this migration writes that MoveDirectoryVersionOnWrittenRows writes again (its new function moves the counter
        // the same way, and its Down puts this function and trigger back): one text, fixed with this migration.

        /// <summary>Moves the calling backend's counter to at least the current time in microseconds.</summary>
        internal const string MoveVersion = """
            INSERT INTO listings.directory_versions AS v (shard, version)
                VALUES (pg_backend_pid() % 64, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
                ON CONFLICT (shard) DO UPDATE SET version = GREATEST(v.version + 1, EXCLUDED.version);
            """;

        /// <summary>The body of this migration's <c>listings.move_directory_version()</c>, with its <c>$$</c> quotes.</summary>
        internal const string MoveVersionFunctionBody = $"""
            $$
            BEGIN
                {MoveVersion}
                RETURN NULL;
            END
            $$
            """;

        /// <summary>The statement trigger that moves the version on every insert, update and delete of a listing.</summary>
        internal const string MoveOnWriteTrigger = """
            CREATE TRIGGER providers_move_directory_version
                AFTER INSERT OR UPDATE OR DELETE ON listings.providers
                FOR EACH STATEMENT EXECUTE FUNCTION listings.move_directory_version();
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "directory_versions",
                schema: "listings",
                columns: table => new
                {
                    shard = table.Column<int>(type: "integer", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_directory_versions", x => x.shard);
                });

            migrationBuilder.Sql($"""
                CREATE FUNCTION listings.move_directory_version() RETURNS trigger LANGUAGE plpgsql AS {MoveVersionFunctionBody};

                {MoveOnWriteTrigger}
                CREATE TRIGGER providers_truncate_move_directory_version
                    AFTER TRUNCATE ON listings.providers
                    FOR EACH STATEMENT EXECUTE FUNCTION listings.move_directory_version();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER providers_truncate_move_directory_version ON listings.providers;
                DROP TRIGGER providers_move_directory_version ON listings.providers;
                DROP FUNCTION listings.move_directory_version();
                """);

            migrationBuilder.DropTable(
                name: "directory_versions",
                schema: "listings");
        }
    }
}
