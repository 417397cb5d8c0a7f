using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Listings.Data.Migrations
{
    /// <summary>
    /// A tier's price is computed when the directory filters or sorts by it, by <c>listings.tier_price(tiers, tier)</c>, an
    /// immutable SQL function the planner inlines, instead of three stored generated columns that PostgreSQL recomputed,
    /// and parsed the expressions of from text, on every write of a listing (every push, pull and operator edit) whatever
    /// it changed. The function reads the price as the columns did: the first element of <c>tiers</c> whose <c>tier</c>
    /// is the one asked for, its <c>price</c> as a number, null without one.
    /// </summary>
    internal partial class ReadTierPricesWhenSorting : ChangesModelOf<AddDirectoryVersions>
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION listings.tier_price(tiers jsonb, tier text) RETURNS numeric
                    LANGUAGE sql IMMUTABLE PARALLEL SAFE
                    AS $$ SELECT CAST(jsonb_path_query_first(tiers, '$[*] ? (@.tier == $tier).price', jsonb_build_object('tier', tier)) AS numeric) $$;
                """);

            foreach (var tier in Tiers)
            {
                migrationBuilder.DropColumn(name: $"price_{tier}", schema: "listings", table: "providers");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var tier in Tiers)
            {
                migrationBuilder.AddColumn<decimal>(
                    name: $"price_{tier}",
                    schema: "listings",
                    table: "providers",
                    type: "numeric",
                    nullable: true,
                    computedColumnSql: $"CAST(jsonb_path_query_first(tiers, '$[*] ? (@.tier == \"{tier}\").price') AS numeric)",
                    stored: true);
            }

            migrationBuilder.Sql("DROP FUNCTION listings.tier_price(jsonb, text);");
        }

        private static readonly string[] Tiers = ["cumulus", "nimbus", "stratus"];
    }
}
