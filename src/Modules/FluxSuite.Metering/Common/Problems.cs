using FluxSuite.BuildingBlocks.Errors;

namespace FluxSuite.Metering.Common;

/// <summary>The module's error codes beside the shared ones, and short-hands for its problem responses.</summary>
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

    public static ApiErrorResult NotFound(string what, Guid id) => new(ApiError.NotFound($"No {what} with id {id} in your organization."));

    public static ApiErrorResult Conflict(string message) => new(ApiError.Conflict(message));

    public static ApiErrorResult Conflict(string code, string message) => new(new ApiError(StatusCodes.Status409Conflict, code, message));

    public static ApiErrorResult Invalid(string field, string problem) => new(ApiError.InvalidField(field, problem));

    public static ApiErrorResult Invalid(FieldErrors errors) => new(errors.ToApiError());
}
