using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Upstream;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FluxSuite.Reseller.Plans;

/// <summary>
/// <c>GET /plans/{planId}/proxies</c>: the static IPs of a dedicated ISP plan, fresh from the provider
/// (<c>source: provider</c>), or the copy kept at the last successful answer when the provider fails
/// (<c>source: cached</c>).
/// </summary>
internal static partial class PlanProxies
{
    internal sealed record ProxyItem(
        [property: JsonPropertyName("host")] string Host,
        [property: JsonPropertyName("port")] int Port,
        [property: JsonPropertyName("username")] string Username,
        [property: JsonPropertyName("password")] string Password,
        [property: JsonPropertyName("full")] string Full);

    internal sealed record Response(
        [property: JsonPropertyName("plan_id")] Guid PlanId,
        [property: JsonPropertyName("product")] string Product,
        [property: JsonPropertyName("proxies")] IReadOnlyList<ProxyItem> Proxies,
        [property: JsonPropertyName("count")] int Count,
        [property: JsonPropertyName("source"), AllowedValues("provider", "cached")] string Source);

    public static async Task<ApiOk<Envelope<Response>>> Handle(
        ResellerCaller caller, Guid planId, ResellerDbContext db, UpstreamSelector upstreams, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var plan = await db.Plans.Include(p => p.Proxies)
                       .FirstOrDefaultAsync(p => p.Id == planId && p.ResellerId == caller.ResellerId && p.Mode == caller.Mode, cancellationToken)
                   ?? throw ReadPlans.NotFound(planId);
        if (plan.Product != Product.DedicatedIsp)
        {
            throw new ApiErrorException(ApiError.Validation(
                $"Invalid product type: proxy lists exist for dedicated_isp plans only; plan {planId} is {plan.Product.WireName()}."));
        }

        var port = plan.PortHttp;
        var source = "provider";
        try
        {
            var fresh = await upstreams.For(caller.Mode).StaticAddressesAsync(plan.UpstreamReference, plan.Quantity ?? 0, cancellationToken);
            var cached = plan.Proxies.OrderBy(p => p.Position).ToList();
            if (!fresh.SequenceEqual(cached.Select(p => p.Host)))
            {
                for (var i = 0; i < fresh.Count; i++)
                {
                    if (i < cached.Count)
                    {
                        cached[i].Host = fresh[i];
                    }
                    else
                    {
                        plan.Proxies.Add(new PlanProxy { PlanId = plan.Id, Position = i, Host = fresh[i], Port = port });
                    }
                }

                db.PlanProxies.RemoveRange(cached.Skip(fresh.Count));
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogProviderUnavailable(loggers.CreateLogger(typeof(PlanProxies).FullName!), planId, ex);
            source = "cached";
        }

        var items = plan.Proxies.OrderBy(p => p.Position)
            .Select(p => new ProxyItem(p.Host, p.Port, plan.ProxyUsername, plan.ProxyPassword, $"{plan.ProxyUsername}:{plan.ProxyPassword}@{p.Host}:{p.Port}"))
            .ToList();
        return ApiResults.Ok(Envelope.Of(new Response(plan.Id, plan.Product.WireName(), items, items.Count, source)));
    }

    [LoggerMessage(LogLevel.Warning, "Provider unavailable for the proxies of plan {PlanId}; answering from the cached list")]
    private static partial void LogProviderUnavailable(ILogger logger, Guid planId, Exception exception);
}
