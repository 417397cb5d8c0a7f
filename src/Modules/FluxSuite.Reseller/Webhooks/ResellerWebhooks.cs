using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Reseller.Data;
using Microsoft.Extensions.Hosting;

namespace FluxSuite.Reseller.Webhooks;

/// <summary>
/// Reseller webhooks: the shared webhook tables in the reseller schema. The routes (the reseller's endpoints of
/// each mode under <c>/webhooks</c>, and the operator view) are in <c>ResellerRoutes</c>.
/// </summary>
internal static class ResellerWebhooks
{
    public static void AddWebhooks(IHostApplicationBuilder builder) => builder.AddWebhooks(ResellerDbContext.Schema);
}
