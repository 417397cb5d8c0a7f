using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Metering.Auth;

namespace FluxSuite.Metering.Usage;

/// <summary>The 401 and 403 answers of the SDK routes.</summary>
internal static class SdkAccess
{
    public static void ThrowUnlessWriter(WriteResult result)
    {
        if (result.OrganizationId is null)
        {
            throw new ApiErrorException(ApiError.Unauthorized(ApiKeyLookup.InvalidKeyMessage));
        }

        if (!result.CanWrite)
        {
            throw new ApiErrorException(ApiError.Forbidden($"This API key lacks the {MeteringAuthentication.UsageWrite} scope."));
        }
    }

    /// <summary>Refuses with 401 or 403 when the key cannot write.</summary>
    public static async Task ThrowUnlessWriterAsync(ApiKeyLookup keys, SdkKey presented, CancellationToken cancellationToken)
    {
        var found = await keys.FindAsync(presented.Value, cancellationToken);
        ThrowUnlessWriter(new WriteResult(found?.OrganizationId, found?.Scopes.Contains(MeteringAuthentication.UsageWrite) == true, []));
    }
}
