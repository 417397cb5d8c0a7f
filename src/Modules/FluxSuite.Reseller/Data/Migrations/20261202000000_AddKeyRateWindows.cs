using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FluxSuite.Reseller.Data.Migrations;

/// <summary>Rate-limit windows per API key in the database, so that every instance counts against one limit.</summary>
[DbContext(typeof(ResellerDbContext))]
[Migration("20261202000000_AddKeyRateWindows")]
internal sealed class AddKeyRateWindows : Migration
{
    private const string Schema = "reseller";

    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable(
            name: "key_rate_windows",
            schema: Schema,
            columns: table => new
            {
                key_id = table.Column<Guid>(type: "uuid", nullable: false),
                window_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                count = table.Column<int>(type: "integer", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("pk_key_rate_windows", x => x.key_id);
                table.ForeignKey("fk_key_rate_windows_reseller_keys_key_id", x => x.key_id, principalSchema: Schema,
                    principalTable: "reseller_keys", principalColumn: "id", onDelete: ReferentialAction.Cascade);
            });

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("key_rate_windows", Schema);
}
