using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Listings.Data.Migrations
{
    /// <summary>
    /// The directory version moves by a row trigger instead of three statement triggers with transition tables: a push
    /// writes one row, and a statement trigger made PostgreSQL copy the written row into a transition table and the
    /// function ask it whether it held one (a statement of no row, such as a push refused for its key, must not move
    /// the version; a row trigger does not fire for it). The move updates the calling backend's counter, made with the
    /// other 63 by this migration, and inserts it only when it is missing (the counters were made on demand before),
    /// instead of an insert that first checks the primary key for a conflict: each move still takes the counter at
    /// least to the current time in microseconds, so the sum never comes back to an earlier value. Truncate keeps its
    /// statement trigger, on the same function.
    /// </summary>
    [DbContext(typeof(ListingsDbContext))]
    [Migration("20261212000000_MoveDirectoryVersionPerWrittenRow")]
    internal sealed class MoveDirectoryVersionPerWrittenRow() : KeepsModelOf<ReadTierPricesWhenSorting>(
        up: $"""
            INSERT INTO listings.directory_versions (shard, version)
                SELECT shard, 0 FROM generate_series(0, 63) AS shard
                ON CONFLICT (shard) DO NOTHING;

            CREATE OR REPLACE FUNCTION listings.move_directory_version() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                UPDATE listings.directory_versions
                    SET version = GREATEST(version + 1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
                    WHERE shard = pg_backend_pid() % 64;
                IF NOT FOUND THEN
                    INSERT INTO listings.directory_versions AS v (shard, version)
                        VALUES (pg_backend_pid() % 64, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)
                        ON CONFLICT (shard) DO UPDATE SET version = GREATEST(v.version + 1, EXCLUDED.version);
                END IF;
                RETURN NULL;
            END
            $$;

            DROP TRIGGER providers_insert_move_directory_version ON listings.providers;
            DROP TRIGGER providers_update_move_directory_version ON listings.providers;
            DROP TRIGGER providers_delete_move_directory_version ON listings.providers;
            {Trigger}
            """,
        // The function and triggers MoveDirectoryVersionOnWrittenRows made, as it wrote them; the counters stay.
        down: $"""
            DROP TRIGGER providers_move_directory_version ON listings.providers;
            {MoveDirectoryVersionOnWrittenRows.Function}

            {MoveDirectoryVersionOnWrittenRows.Triggers}
            """)
    {
        /// <summary>The row trigger this migration made, as it wrote it.</summary>
        internal const string Trigger = """
            CREATE TRIGGER providers_move_directory_version
                AFTER INSERT OR UPDATE OR DELETE ON listings.providers
                FOR EACH ROW EXECUTE FUNCTION listings.move_directory_version();
            """;
    }
}
