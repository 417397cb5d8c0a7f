using Microsoft.EntityFrameworkCore.Migrations;

namespace FluxSuite.Listings.Data.Migrations;

/// <summary>
/// The starting point of the model snapshot. The migrations before it were written by hand without a
/// snapshot and already create this schema, so this one changes nothing; its designer file and
/// ListingsDbContextModelSnapshot record the model, and `dotnet ef migrations add` compares against them.
/// </summary>
internal partial class Baseline : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}
