using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FluxSuite.Metering.Data.Migrations;

[DbContext(typeof(MeteringDbContext))]
[Migration("20261122000000_CreateMeteringSchema")]
internal sealed class CreateMeteringSchema : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.EnsureSchema("metering");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("DROP SCHEMA IF EXISTS metering CASCADE;");
}
