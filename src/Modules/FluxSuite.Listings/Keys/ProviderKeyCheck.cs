using Microsoft.AspNetCore.Http.HttpResults;

namespace FluxSuite.Listings.Keys;

/// <summary>What the check of a provider key against a route's <c>{slug}</c> found.</summary>
internal enum ProviderKeyVerdict
{
    /// <summary>No active key has the hash: 401.</summary>
    Unknown,

    /// <summary>An active key of another listing (or the route names none): 403.</summary>
    OtherProvider,

    /// <summary>An active key of the listing the route names.</summary>
    Valid,
}

/// <summary>
/// Endpoint metadata: the endpoint's own write checks the provider key, in the statement that writes
/// (docs/listings.md, "One round trip for a push"). On such an endpoint <see cref="ProviderKeyHandler"/> reads the
/// key from the header (missing or malformed is 401 as everywhere) but leaves the lookup to the endpoint, which
/// answers the key's verdict through the scheme's own challenge and forbid (<see cref="PendingProviderKey"/>).
/// </summary>
internal sealed class ProviderKeyCheckedByWrite
{
    public static ProviderKeyCheckedByWrite Instance { get; } = new();

    public static bool On(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<ProviderKeyCheckedByWrite>() is not null;
}

/// <summary>
/// The request feature that <see cref="ProviderKeyHandler"/> sets on an endpoint marked <see cref="ProviderKeyCheckedByWrite"/>:
/// the key's hash, for the endpoint's statement to check, and the verdict's answer. The principal that goes with it
/// names no provider (<see cref="AuthenticatedProvider.From"/> finds none); it only lets the request reach the endpoint,
/// which writes nothing unless its statement finds the key active and the route's listing the key's.
/// </summary>
internal sealed class PendingProviderKey(string keyHash)
{
    /// <summary>The claim of the principal that stands for a key not yet checked.</summary>
    public const string Claim = "provider_key_check";

    public string KeyHash { get; } = keyHash;

    /// <summary>The message of the 401 the scheme's challenge writes, once the check found no active key.</summary>
    public string? Refusal { get; private set; }

    public static PendingProviderKey Of(HttpContext context) =>
        context.Features.Get<PendingProviderKey>() ?? throw new InvalidOperationException("The route is missing the provider key policy.");

    /// <summary>
    /// The answer to a verdict other than <see cref="ProviderKeyVerdict.Valid"/>: the scheme's challenge (401) or
    /// forbid (403), which write what the policy writes when the handler has looked the key up itself.
    /// </summary>
    public Results<TOk, ChallengeHttpResult, ForbidHttpResult> Refuse<TOk>(ProviderKeyVerdict verdict)
        where TOk : IResult
    {
        switch (verdict)
        {
            case ProviderKeyVerdict.Unknown:
                Refusal = ProviderKeyHandler.InvalidKey;
                return TypedResults.Challenge(authenticationSchemes: [ProviderKeyAuthentication.SchemeId]);
            case ProviderKeyVerdict.OtherProvider:
                return TypedResults.Forbid(authenticationSchemes: [ProviderKeyAuthentication.SchemeId]);
            default:
                throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "A valid key is not refused.");
        }
    }
}
