using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FluxSuite.Reseller.Data.Migrations;

[DbContext(typeof(ResellerDbContext))]
[Migration("20261122000000_CreateResellerSchema")]
internal sealed class CreateResellerSchema : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.EnsureSchema("reseller");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("DROP SCHEMA IF EXISTS reseller CASCADE;");
}
