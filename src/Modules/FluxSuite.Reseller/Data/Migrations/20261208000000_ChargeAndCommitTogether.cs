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
        /// <summary>
        /// A function of no arguments returning <paramref name="returns"/> that raises <paramref name="message"/> with SQLSTATE
        /// <paramref name="state"/>: a statement calls it where it did not do its work, so that the statements after it in
        /// its batch (the <c>COMMIT</c> among them) are skipped. As this migration writes it; CompleteIdempotencyWithPurchase
        /// writes one more.
        /// </summary>
        internal static string Refusal(string function, string returns, string message, string state) => $"""
            CREATE FUNCTION {function}() RETURNS {returns} LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '{message.Replace("'", "''", StringComparison.Ordinal)}'
                    USING ERRCODE = '{state}';
            END
            $$;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Refusal(
                "reseller.refuse_charge", "bigint",
                "The charge was not made: the balance does not cover it, or it crosses the balance.low threshold.", "RS001"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION reseller.refuse_charge();");
        }
    }
}
