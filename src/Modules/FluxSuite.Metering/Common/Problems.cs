using FluxSuite.BuildingBlocks.Errors;

namespace FluxSuite.Metering.Common;

/// <summary>The module's error codes beside the shared ones, and short-hands for the refusals its handlers throw.</summary>
internal static class Problems
{
    public const string MeterNotFound = "METER_NOT_FOUND";
    public const string CustomerNotFound = "CUSTOMER_NOT_FOUND";
    public const string IdempotencyConflict = "IDEMPOTENCY_CONFLICT";
    public const string TimestampOutOfRange = "TIMESTAMP_OUT_OF_RANGE";
    public const string LoginLocked = "LOGIN_LOCKED";
    public const string InvoiceState = "INVOICE_STATE";
    public const string NothingToInvoice = "NOTHING_TO_INVOICE";
    public const string AmountTooLarge = "AMOUNT_TOO_LARGE";

    public static ApiErrorException NotFound(string what, Guid id) => new(ApiError.NotFound($"No {what} with id {id} in your organization."));

    public static ApiErrorException Conflict(string message) => new(ApiError.Conflict(message));

    public static ApiErrorException Conflict(string code, string message) => new(new ApiError(StatusCodes.Status409Conflict, code, message));

    public static ApiErrorException Invalid(string field, string problem) => new(ApiError.InvalidField(field, problem));

}
