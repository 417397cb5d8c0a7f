using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FluxSuite.Listings.Data.Migrations;

[DbContext(typeof(ListingsDbContext))]
[Migration("20261122000000_CreateListingsSchema")]
internal sealed class CreateListingsSchema : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.EnsureSchema("listings");

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("DROP SCHEMA IF EXISTS listings CASCADE;");
}
