using FluxSuite.BuildingBlocks.Net;
using FluxSuite.BuildingBlocks.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FluxSuite.BuildingBlocks.Webhooks;

public static class WebhookRegistration
{
    /// <summary>
    /// Sends the webhooks kept in <paramref name="schema"/> (whose DbContext calls <see cref="WebhookModel.AddWebhookTables"/>).
    /// The first call also registers what every module shares: the <c>Webhooks</c> options, the guarded
    /// client and the one delivery job.
    /// </summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder, string schema)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var first = !services.Any(s => s.ServiceType == typeof(WebhookStore));
        services.AddSingleton(new WebhookStore(schema));
        if (!first)
        {
            return builder;
        }

        services.AddOptions<WebhookOptions>().Bind(builder.Configuration.GetSection(WebhookOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhookOptions>, WebhookOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AddressPolicy());
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                ConnectTimeout = sp.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                ConnectCallback = new GuardedConnector(sp.GetRequiredService<OutboundAddressPolicy>(), "A webhook").ConnectAsync,
            })
            .ConfigureHttpClient(client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("FluxSuite-Webhooks/1.0");
            });
        builder.AddRecurringJob<WebhookDeliveryJob>(WebhookDeliveryJob.Id, "*/10 * * * * *", WebhookDeliveryJob.Queue);
        return builder;
    }

    private sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
    {
        public ValidateOptionsResult Validate(string? name, WebhookOptions options)
        {
            var problems = WebhookOptions.Problems(options).ToList();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
