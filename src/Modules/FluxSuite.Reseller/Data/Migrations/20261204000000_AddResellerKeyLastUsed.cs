using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Reseller.Data.Migrations
{
    /// <summary>Reseller keys record when they last authenticated a request (to the minute), for the operator key list.</summary>
    internal partial class AddResellerKeyLastUsed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_used_at",
                schema: "reseller",
                table: "reseller_keys",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "last_used_at",
                schema: "reseller",
                table: "reseller_keys");
        }
    }
}
