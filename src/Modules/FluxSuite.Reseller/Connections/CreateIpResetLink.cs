using System.Globalization;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Servers;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FluxSuite.Reseller.Connections;

/// <summary>
/// <c>GET /proxies/{planId}/ip-reset-link</c> hands out a signed, expiring URL for a dedicated mobile plan; calling that URL
/// (<see cref="ResetIpThroughLink"/>: GET or POST, no API key) rotates the plan's IP with the same limits as
/// <c>POST /servers/{planId}/rotate-ip</c>, so a reseller can give it to its end user without giving away a key.
/// </summary>
internal static class CreateIpResetLink
{
    public const int MinExpiresIn = 60;
    public const int MaxExpiresIn = 30 * 24 * 3600;

    [SchemaId("IpResetLinksLinkResponse")]
    internal sealed record LinkResponse(
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("url")] string Url,
        [property: JsonPropertyName("methods")] IReadOnlyList<string> Methods,
        [property: JsonPropertyName("expires_at")] DateTime ExpiresAt,
        [property: JsonPropertyName("expires_in")] long ExpiresIn);

    public static async Task<ApiOk<Envelope<LinkResponse>>> Handle(
        ResellerCaller caller, Guid planId, HttpRequest request, ResellerDbContext db, IpResetLinkSigner signer, TimeProvider clock,
        IOptions<ResellerOptions> options, [FromQuery(Name = "expires_in")] string? expiresIn, CancellationToken cancellationToken)
    {
        var settings = options.Value.IpResetLinks;
        var lifetime = (long)settings.Lifetime.TotalSeconds;
        if (expiresIn is not null
            && (!long.TryParse(expiresIn, NumberStyles.None, CultureInfo.InvariantCulture, out lifetime) || lifetime is < MinExpiresIn or > MaxExpiresIn))
        {
            throw new ApiErrorException(ApiError.InvalidField("expires_in", $"must be whole seconds between {MinExpiresIn} and {MaxExpiresIn} (30 days)."));
        }

        var plan = await ReadPlans.OwnedAsync(db, caller, planId);
        ServerStates.RequireServerProduct(plan, "an IP reset link", Product.DedicatedMobile);
        var now = clock.GetUtcNow();
        if (PlanQueries.StatusAt(plan, now) != PlanStatus.Active)
        {
            throw new ApiErrorException(ApiError.InvalidField("plan_id", $"the plan is {PlanQueries.StatusAt(plan, now)}; reset links are for active plans."));
        }

        // A link never outlives its plan.
        var expires = now.AddSeconds(lifetime);
        if (plan.ExpiresAt is { } planExpires && planExpires < expires)
        {
            expires = planExpires;
        }

        var unix = expires.ToUnixTimeSeconds();
        var signature = await signer.SignAsync(caller.Mode, plan.Id, unix, cancellationToken);
        var origin = settings.PublicBaseUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{request.Scheme}://{request.Host}";
        var url = string.Create(CultureInfo.InvariantCulture, $"{origin}{ResetIpThroughLink.Path(caller.Mode, plan.Id)}?expires={unix}&signature={signature}");
        return ApiResults.Ok(Envelope.Of(new LinkResponse(plan.Id, url, ["GET", "POST"], expires.UtcDateTime, unix - now.ToUnixTimeSeconds())));
    }
}
