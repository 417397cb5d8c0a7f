using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Webhooks;
using FluxSuite.Metering.Data;
using Microsoft.Extensions.Hosting;

namespace FluxSuite.Metering.Webhooks;

/// <summary>
/// Metering's webhooks: the shared webhook tables in the metering schema, and the operator view's error format.
/// The routes (the organization's endpoints under <c>/metering/api/v1/webhooks</c>, the operator view) are in <c>MeteringRoutes</c>.
/// </summary>
internal static class MeteringWebhooks
{
    public const string OperatorPath = "/admin/metering/webhooks";

    public static void AddWebhooks(IHostApplicationBuilder builder)
    {
        builder.AddWebhooks(MeteringDbContext.Schema);
        builder.Services.AddApiErrorFormat(MeteringModule.ErrorFormat, OperatorPath);
    }
}
