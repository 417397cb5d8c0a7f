using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.EntityFrameworkCore.Infrastructure;
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
    [DbContext(typeof(ResellerDbContext))]
    [Migration("20261214000000_CompleteIdempotencyWithPurchase")]
    internal sealed class CompleteIdempotencyWithPurchase() : KeepsModelOf<DropUsageRecordIds>(
        up: ChargeAndCommitTogether.Refusal(
            "reseller.refuse_lost_claim", "integer",
            "The idempotency key's claim was lost to another request: nothing of this one is kept.", "RS002"),
        down: "DROP FUNCTION reseller.refuse_lost_claim();")
    {
    }
}
