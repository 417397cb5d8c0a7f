using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Listings.Data.Migrations
{
    /// <summary>
    /// The directory version moves for a statement that wrote a listing row, no longer for one that wrote none:
    /// a statement trigger fires once per statement even when it matched no row, and a provider's push now checks
    /// its key in the statement that writes (docs/listings.md), so a push refused for its key runs an update of no
    /// row. The insert, update and delete triggers get the statement's rows as a transition table and return when
    /// it is empty; truncate, which has none, moves the version as before.
    /// </summary>
    [DbContext(typeof(ListingsDbContext))]
    [Migration("20261207000000_MoveDirectoryVersionOnWrittenRows")]
    internal sealed class MoveDirectoryVersionOnWrittenRows() : KeepsModelOf<AddDirectoryVersions>(
        up: $"""
            {Function}

            DROP TRIGGER providers_move_directory_version ON listings.providers;
            {Triggers}
            """,
        // The function and trigger AddDirectoryVersions made, as it wrote them.
        down: $"""
            DROP TRIGGER providers_delete_move_directory_version ON listings.providers;
            DROP TRIGGER providers_update_move_directory_version ON listings.providers;
            DROP TRIGGER providers_insert_move_directory_version ON listings.providers;

            CREATE OR REPLACE FUNCTION listings.move_directory_version() RETURNS trigger LANGUAGE plpgsql AS {AddDirectoryVersions.MoveVersionFunctionBody};

            {AddDirectoryVersions.MoveOnWriteTrigger}
            """)
    {
        // What this migration writes that MoveDirectoryVersionPerWrittenRow's Down writes again: two texts, fixed with this migration.

        /// <summary>This migration's function, as it writes it.</summary>
        internal const string Function = $"""
            CREATE OR REPLACE FUNCTION listings.move_directory_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP <> 'TRUNCATE' THEN
                    IF NOT EXISTS (SELECT FROM written) THEN
                        RETURN NULL;
                    END IF;
                END IF;
                {AddDirectoryVersions.MoveVersion}
                RETURN NULL;
            END
            $$;
            """;

        /// <summary>This migration's three statement triggers, as it writes them.</summary>
        internal const string Triggers = """
            CREATE TRIGGER providers_insert_move_directory_version
                AFTER INSERT ON listings.providers REFERENCING NEW TABLE AS written
                FOR EACH STATEMENT EXECUTE FUNCTION listings.move_directory_version();
            CREATE TRIGGER providers_update_move_directory_version
                AFTER UPDATE ON listings.providers REFERENCING NEW TABLE AS written
                FOR EACH STATEMENT EXECUTE FUNCTION listings.move_directory_version();
            CREATE TRIGGER providers_delete_move_directory_version
                AFTER DELETE ON listings.providers REFERENCING OLD TABLE AS written
                FOR EACH STATEMENT EXECUTE FUNCTION listings.move_directory_version();
            """;
    }
}
