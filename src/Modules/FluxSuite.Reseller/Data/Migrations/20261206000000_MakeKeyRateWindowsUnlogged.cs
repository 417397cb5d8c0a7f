using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Reseller.Data.Migrations
{
    /// <summary>
    /// The rate-limit windows become an unlogged table: one upsert per API request no longer writes WAL or waits
    /// for its flush. A crash empties the table, which only starts each key's window afresh.
    /// </summary>
    internal partial class MakeKeyRateWindowsUnlogged : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "key_rate_windows",
                schema: "reseller")
                .Annotation("Npgsql:UnloggedTable", true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterTable(
                name: "key_rate_windows",
                schema: "reseller")
                .OldAnnotation("Npgsql:UnloggedTable", true);
        }
    }
}
