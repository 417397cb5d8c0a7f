using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Reseller.Data.Migrations
{
    /// <summary>
    /// A key's rate-limit window hands out its permits in blocks, each instance claiming one and counting it down in
    /// memory (<c>KeyRateLimiter</c>): the window's row keeps what its last claim granted, because the claim's
    /// <c>RETURNING</c> sees only the new count.
    /// </summary>
    internal sealed partial class ClaimRatePermitsInBlocks : ChangesModelOf<NarrowPlanIndexes>
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // With a default, so that an instance still counting one request at a time (it inserts no grant) keeps working
            // while the others are deployed; the rows there already start with nothing granted.
            migrationBuilder.AddColumn<int>(
                name: "granted", schema: "reseller", table: "key_rate_windows", type: "integer", nullable: false, defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(name: "granted", schema: "reseller", table: "key_rate_windows");
        }
    }
}
