using FluxSuite.BuildingBlocks.Errors;

namespace FluxSuite.Reseller.Api;

/// <summary>The codes of the reference's error table beyond those every module shares.</summary>
internal static class ResellerErrors
{
    public static ApiError InsufficientBalance(long needed, long available) =>
        new(StatusCodes.Status402PaymentRequired, "INSUFFICIENT_BALANCE",
            $"Not enough balance: this costs {Money.Format(needed)} and the balance is {Money.Format(available)}.");

    public static ApiError ProductDisabled(string product) =>
        new(StatusCodes.Status403Forbidden, "PRODUCT_DISABLED", $"The product {product} is not enabled for this account.");

    public static ApiError InvalidPool(string pool) =>
        new(StatusCodes.Status400BadRequest, "INVALID_POOL",
            $"pool: '{pool}' is not a pool; GET /proxies/pools lists the pools.")
        {
            Errors = new Dictionary<string, string[]> { ["pool"] = [$"'{pool}' is not a pool."] },
        };

    public static ApiError PoolOutOfStock(string pool, int wanted, int stock) =>
        new(StatusCodes.Status409Conflict, "POOL_OUT_OF_STOCK",
            $"Pool {pool} has {stock} IP(s) in stock; {wanted} requested.");

    public static ApiError OutOfStock(string what) =>
        new(StatusCodes.Status409Conflict, "OUT_OF_STOCK", $"{what} is out of stock.");

    public static ApiError RateLimited(string message) =>
        new(StatusCodes.Status429TooManyRequests, ApiErrorCodes.RateLimited, message);

    public static ApiError IdempotencyInProgress() =>
        new(StatusCodes.Status409Conflict, "IDEMPOTENCY_CONFLICT",
            "A request with this X-Idempotency-Key is still being processed; retry once it has finished.");

    public static ApiError IdempotencyKeyReused() =>
        new(StatusCodes.Status422UnprocessableEntity, "IDEMPOTENCY_KEY_REUSED",
            "This X-Idempotency-Key was used with a different request; use a new key for a new request.");

    /// <summary>A server not yet up: the reference answers 404 "Server provisioning".</summary>
    public static ApiError ServerProvisioning(Guid planId, int seconds) =>
        new(StatusCodes.Status404NotFound, "SERVER_PROVISIONING",
            $"Server provisioning: the server of plan {planId} is being set up; ready in about {seconds} s. Try again then.");

    /// <summary>The server's state does not allow the operation now (provisioning, restarting).</summary>
    public static ApiError InvalidOperation(string message) =>
        new(StatusCodes.Status400BadRequest, "INVALID_OPERATION", message);

    public static ApiError RotationTooFrequent(string message) =>
        new(StatusCodes.Status400BadRequest, "ROTATION_TOO_FREQUENT", message);

    public static ApiError UpstreamUnavailable() =>
        new(StatusCodes.Status502BadGateway, "UPSTREAM_ERROR", "The proxy provider did not complete the request; nothing changed. Try again shortly.");

    public static ApiError UpstreamFailed() =>
        new(StatusCodes.Status502BadGateway, "UPSTREAM_ERROR",
            "The proxy provider did not complete the request; nothing was charged. Try again shortly.");
}
