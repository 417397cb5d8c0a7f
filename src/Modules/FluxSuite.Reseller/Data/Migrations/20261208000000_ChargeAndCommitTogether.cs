using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Reseller.Data.Migrations
{
    /// <summary>
    /// <c>reseller.refuse_charge()</c>: raises SQLSTATE RS001. The purchase's charge statement calls it when it did not
    /// charge (the balance does not cover the cost, or a balance.low event is due), so that the <c>COMMIT</c> sent in the
    /// same round trip is skipped and the purchase goes on with the charge that answers 402 or writes the event
    /// (<c>Ledger.ChargeAndCommitAsync</c>).
    /// </summary>
    internal partial class ChargeAndCommitTogether : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION reseller.refuse_charge() RETURNS bigint LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'The charge was not made: the balance does not cover it, or it crosses the balance.low threshold.'
                        USING ERRCODE = 'RS001';
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION reseller.refuse_charge();");
        }
    }
}
