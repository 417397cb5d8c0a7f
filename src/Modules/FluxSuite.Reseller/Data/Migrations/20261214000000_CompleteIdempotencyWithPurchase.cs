using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FluxSuite.Reseller.Data.Migrations
{
    /// <summary>
    /// <c>reseller.refuse_lost_claim()</c>: raises SQLSTATE RS002. A purchase with <c>X-Idempotency-Key</c> stores its answer
    /// with the statements of its write batch; when the request's claim on the key was lost to another (a takeover after
    /// the lease), the answer's update matches no row and calls it, so the rest of the batch, the charge and the
    /// <c>COMMIT</c> included, is skipped and the purchase rolls back (<c>IdempotencyClaim.CompletionCommand</c>).
    /// </summary>
    internal partial class CompleteIdempotencyWithPurchase : KeepsModelOf<DropUsageRecordIds>
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION reseller.refuse_lost_claim() RETURNS integer LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'The idempotency key''s claim was lost to another request: nothing of this one is kept.'
                        USING ERRCODE = 'RS002';
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION reseller.refuse_lost_claim();");
        }
    }
}
