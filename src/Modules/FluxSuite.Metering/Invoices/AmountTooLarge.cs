using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Metering.Common;

namespace FluxSuite.Metering.Invoices;

internal static class AmountTooLarge
{
    public static ApiErrorException Refusal() => new(new ApiError(StatusCodes.Status422UnprocessableEntity, Problems.AmountTooLarge,
        "An amount on this invoice does not fit the 16 integer digits amounts are kept with: check the charge's prices and the usage."));
}
