using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.Reseller.Accounts;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Connections;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Geo;
using FluxSuite.Reseller.OpenApi;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Pricing;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Servers;
using FluxSuite.Reseller.Stock;
using FluxSuite.Reseller.SubUsers;
using FluxSuite.Reseller.Usage;
using FluxSuite.Reseller.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace FluxSuite.Reseller;

/// <summary>Every reseller route: the API twice (live and sandbox, same handlers, separate data) and the operator routes.</summary>
internal static class ResellerRoutes
{
    public static ApiSecurityScheme KeyScheme { get; } = new(
        "ResellerKey", ApiSecuritySchemeKind.BearerToken, "Authorization",
        "Reseller API key: fp_live_… on /api/v1, fp_test_… on /sandbox/api/v1 (the other prefix is 401).");

    /// <summary>The answers are written with the host's JSON options (every field is named by its attribute); errors in the reseller envelope.</summary>
    public static ApiWireFormat WireFormat { get; } = new(null, ResellerErrorFormat.Instance);

    public const string LiveBase = "/api/v1";
    public const string SandboxBase = "/sandbox/api/v1";

    public static string BasePath(Mode mode) => mode == Mode.Live ? LiveBase : SandboxBase;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        MapApi(endpoints, Mode.Live, LiveBase, string.Empty);
        MapApi(endpoints, Mode.Test, SandboxBase, " (sandbox)");
        MapAdmin(endpoints);
    }

    private static void MapApi(IEndpointRouteBuilder endpoints, Mode mode, string prefix, string tagSuffix)
    {
        var root = endpoints.MapGroup(prefix).WithGroupName(ResellerModule.DocumentName).WithWireFormat(WireFormat);
        var api = root.MapGroup(string.Empty)
            .RequireAuthorization(ResellerKeyHandler.SchemeFor(mode))
            .WithSecurityScheme(KeyScheme.Id)
            .AddEndpointFilter<RateLimitFilter>()
            .ProducesErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);

        var plans = api.MapGroup("/plans").WithTags("Plans" + tagSuffix);
        plans.MapPost("/", CreatePlan.Handle).ReadsWithKey(PurchaseAccount.ReadFor)
            .Idempotent()
            .WithExamples(ResellerExamples.CreatePlan, ResellerExamples.Plan, StatusCodes.Status201Created)
            .WithSummary("Create a plan")
            .WithDescription("Required parameters vary by product: bandwidth products need bandwidth_gb; hybrid products billing_type and then bandwidth_gb or duration + mbps; " +
                             "unlimited_residential duration (trial or days) and bandwidth_mbps; dedicated_mobile duration and location; dedicated_isp quantity and pool. " +
                             "Numbers may be sent as numeric strings. Send X-Idempotency-Key to make retries safe.")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status402PaymentRequired, StatusCodes.Status409Conflict,
                StatusCodes.Status422UnprocessableEntity, StatusCodes.Status502BadGateway);
        plans.MapGet("/", ListPlans.Handle).WithSummary("List plans")
            .WithParameterRules([.. ParameterRules.Paging("per_page", Paging.MaxPerPage), new("status", AllowedValues: ["active", "expired", "cancelled", "all"]), new("product", AllowedValues: [.. Products.All.Select(p => p.WireName())])])
            .WithDescription("Filters: status (active, expired, cancelled, all), product, and sub_user_id (plans bought for one sub-user).")
            .ProducesErrors(StatusCodes.Status400BadRequest);
        plans.MapGet("/{planId:guid}", GetPlan.Handle).ReadsWithKey(GetPlan.ReadFor).WithSummary("Get a plan")
            .WithExamples(null, ResellerExamples.Plan, StatusCodes.Status200OK).ProducesErrors(StatusCodes.Status404NotFound);
        plans.MapPost("/{planId:guid}/extend", ExtendPlan.Handle)
            .Idempotent()
            .WithExamples(ResellerExamples.Extend, null)
            .WithSummary("Extend a plan")
            .WithDescription("add_bandwidth_gb for bandwidth-billed plans; add_days for time-billed hybrids (any positive), unlimited_residential (1, 7, 30, 60) " +
                             "and dedicated_mobile (7, 14, 30); extend_30_days: true for dedicated_isp (quantity × price_per_ip_30_days).")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status402PaymentRequired, StatusCodes.Status404NotFound,
                StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status502BadGateway);
        plans.MapPost("/{planId:guid}/upgrade", UpgradePlan.Handle)
            .Idempotent()
            .WithExamples(ResellerExamples.Upgrade, null)
            .WithSummary("Upgrade an unlimited residential plan's bandwidth")
            .WithDescription("Raises bandwidth_mbps (up to 3000) and charges the price difference for the time the plan has left.")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status402PaymentRequired, StatusCodes.Status404NotFound,
                StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status502BadGateway);
        plans.MapGet("/{planId:guid}/proxies", PlanProxies.Handle)
            .WithSummary("List the static IPs of a dedicated ISP plan")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        plans.MapGet("/{planId:guid}/usage", GetPlanUsage.Handle).ReadsWithKey(GetPlanUsage.ReadFor)
            .WithSummary("A plan's usage: limits, recent periods and the last 30 days")
            .ProducesErrors(StatusCodes.Status404NotFound);
        var unixSeconds = new ParameterRule("from", Required: true, Minimum: 0, Maximum: 253_402_300_799, Type: "integer");
        plans.MapGet("/{planId:guid}/usage-stats", UsageStats.Handle)
            .WithParameterRules(unixSeconds with { Example = "1764547200" }, unixSeconds with { Name = "to", Example = "1765152000" })
            .WithSummary("Monitor series of an unlimited residential plan")
            .WithDescription("from and to are Unix seconds, from < to, at most 30 days apart. One point per UTC hour: traffic, average Mbps and restart downtime. " +
                             "Other products are a 400.")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        var balance = api.MapGroup("/balance").WithTags("Balance" + tagSuffix);
        balance.MapGet("/", GetBalance.Handle).WithSummary("Balance, pre-paid allocations and total spent")
            .WithExamples(null, ResellerExamples.Balance, StatusCodes.Status200OK);
        balance.MapGet("/transactions", ListTransactions.Handle).WithSummary("Ledger transactions, newest first")
            .WithParameterRules([.. ParameterRules.Paging("per_page", Paging.MaxPerPage), new("type", AllowedValues: [.. LedgerType.All, "all"])])
            .ProducesErrors(StatusCodes.Status400BadRequest);
        balance.MapGet("/pricing", GetPricing.Handle).WithSummary("The account's price list (cents)");

        var stock = api.MapGroup("/").WithTags("Pools and stock" + tagSuffix);
        stock.MapGet("/proxies/pools", ListPools.Handle).WithSummary("Dedicated ISP pools and their stock")
            .WithParameterRules(new ParameterRule("type", AllowedValues: ["isp", "subnet"]))
            .WithExamples(null, ResellerExamples.Pools, StatusCodes.Status200OK)
            .ProducesErrors(StatusCodes.Status400BadRequest);
        stock.MapGet("/proxies/stock", GetStockSummary.Handle).WithSummary("Pool statistics");
        stock.MapGet("/servers/stock/dedicated-mobile", GetDedicatedMobileStock.Handle).WithSummary("Dedicated mobile stock per location");
        stock.MapGet("/servers/stock/unlimited-residential-trial", GetUnlimitedTrialStock.Handle).WithSummary("Unlimited residential trial availability");

        var usage = api.MapGroup("/usage").WithTags("Usage" + tagSuffix);
        usage.MapGet("/summary", UsageSummary.Handle).ReadsWithKey(UsageSummary.ReadFor)
            .WithParameterRules(new ParameterRule("period", AllowedValues: ["today", "week", "month", "all"]))
            .WithSummary("Usage summary: traffic, plans and spend per product")
            .WithDescription("period: today, week (from Monday), month (from the 1st) or all; UTC. Default month.")
            .ProducesErrors(StatusCodes.Status400BadRequest);
        usage.MapGet("/plans/{planId:guid}", GetPlanUsageSeries.Handle).ReadsWithKey(GetPlanUsageSeries.ReadFor)
            .WithParameterRules(new ParameterRule("granularity", AllowedValues: ["hourly", "daily", "weekly"]))
            .WithSummary("Detailed usage of a plan: a time series")
            .WithDescription("granularity: hourly (default range 24 h, at most 31 days), daily (30 days, at most 366) or weekly (12 weeks, at most 104). " +
                             "Optional from and to (ISO 8601). Read from hourly rollups.")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        usage.MapGet("/realtime", RealtimeUsage.Handle)
            .WithParameterRules(new ParameterRule("minutes", Minimum: 1, Maximum: (long)UsageIngest.MinuteRetention.TotalMinutes))
            .WithSummary("Real-time usage: the last minutes of traffic per active plan")
            .WithDescription("minutes: 1–60, default 5.")
            .ProducesErrors(StatusCodes.Status400BadRequest);

        var servers = api.MapGroup("/servers/{planId:guid}").WithTags("Servers" + tagSuffix)
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        servers.MapGet("/ip", GetServerIp.Handle)
            .WithSummary("The server's IP (unlimited residential, dedicated mobile)")
            .WithDescription("404 SERVER_PROVISIONING (with Retry-After) until the server is up, 30–60 s after the purchase.");
        servers.MapPost("/rotate-ip", RotateServerIp.Handle)
            .WithSummary("A new IP for a dedicated mobile plan, live 10–30 s later")
            .WithDescription("400 ROTATION_TOO_FREQUENT while a rotation is pending or within the minimum interval (Retry-After says when); " +
                             "400 INVALID_OPERATION while provisioning or restarting.")
            .ProducesErrors(StatusCodes.Status502BadGateway);
        servers.MapPost("/restart", RestartServer.Handle)
            .WithSummary("Restart the server: 1–3 minutes of downtime")
            .ProducesErrors(StatusCodes.Status502BadGateway);
        servers.MapGet("/monitoring", GetServerMonitoring.Handle).WithSummary("The server's state now");
        servers.MapGet("/stats", GetServerStats.Handle).WithSummary("Uptime, downtime, restarts, rotations and traffic");

        var geo = api.MapGroup("/geo").WithTags("Geo targeting" + tagSuffix).ProducesErrors(StatusCodes.Status400BadRequest);
        var productType = new ParameterRule("product_type", Required: true, AllowedValues: GeoTargeting.TargetableProducts, Example: "residential");
        var countryCode = new ParameterRule("country_code", Required: true, Example: "US", Description: "ISO 3166 alpha-2 (GET /geo/countries lists them).");
        geo.MapGet("/countries", ListCountries.Handle).WithSummary("Countries for geo targeting (user-country-us)")
            .WithParameterRules(productType);
        geo.MapGet("/states", ListStates.Handle)
            .WithSummary("States, written as the product expects: california (residential, mobile, pools 1/2/5), us_california (pool 3), ca (pool 4)")
            .WithParameterRules(productType, countryCode);
        geo.MapGet("/cities", ListCities.Handle).WithSummary("Cities, with state_code to narrow them")
            .WithParameterRules(productType, countryCode);
        geo.MapGet("/asn", ListAsns.Handle).WithSummary("Mobile network ASNs (user-country-us-asn-21928)")
            .WithParameterRules(countryCode, productType with { Required = false, Example = "mobile", Description = "Default mobile." });

        var subUsers = api.MapGroup("/sub-users").WithTags("Sub-users" + tagSuffix);
        subUsers.MapGet("/", ListSubUsers.Handle).WithSummary("List sub-users")
            .WithParameterRules([.. ParameterRules.Paging("per_page", Paging.MaxPerPage), new("status", AllowedValues: ["active", "suspended", "all"])]).ProducesErrors(StatusCodes.Status400BadRequest);
        subUsers.MapGet("/{id}", GetSubUser.Handle).WithSummary("Get a sub-user").ProducesErrors(StatusCodes.Status404NotFound);
        subUsers.MapPost("/", CreateSubUser.Handle)
            .WithExamples(ResellerExamples.CreateSubUser, null)
            .WithSummary("Create a sub-user (an end user, with an optional traffic limit)")
            .ProducesErrors(StatusCodes.Status400BadRequest);
        subUsers.MapPatch("/{id}", PatchSubUser.Handle)
            .Accepts<CreateSubUser.CreateRequest>("application/json")
            .WithExamples(ResellerExamples.PatchSubUser, null)
            .WithSummary("Change a sub-user: name, status (suspended stops its plans' traffic), traffic_limit_gb (null: none), end_user_reference")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        var proxies = api.MapGroup("/proxies").WithTags("Connection tools" + tagSuffix);
        proxies.MapGet("/connection-info", ProxyConnectionInfo.Handle).WithSummary("Hosts, ports, username formats and targeting per product");
        proxies.MapGet("/{planId:guid}/vpn-config", VpnConfig.Handle)
            .WithParameterRules(new ParameterRule("format", AllowedValues: ["ovpn", "wireguard"]))
            .WithSummary("A complete OpenVPN (format=ovpn) or WireGuard (format=wireguard) profile for a plan")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status502BadGateway);
        proxies.MapGet("/{planId:guid}/ip-reset-link", CreateIpResetLink.Handle)
            .WithParameterRules(new ParameterRule("expires_in", Minimum: CreateIpResetLink.MinExpiresIn, Maximum: CreateIpResetLink.MaxExpiresIn, Type: "integer"))
            .WithSummary("A signed, expiring URL that rotates a dedicated mobile plan's IP without an API key")
            .WithDescription("expires_in: how long the link works (its default is configured: Reseller:IpResetLinks:Lifetime); never beyond the plan's expiry.")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        var webhooks = api.MapGroup("/webhooks").WithTags("Webhooks" + tagSuffix);
        webhooks.MapPost("/", CreateWebhookEndpoint.Handle).Validate<CreateWebhookEndpoint.Request>()
            .WithExamples(ResellerExamples.CreateWebhook, null)
            .WithSummary("Register an endpoint: events are sent to its https URL, signed per Standard Webhooks with the secret answered this once")
            .WithDescription($"events: one or more of {string.Join(", ", ResellerWebhookEvents.All)}. Endpoints and events are kept apart per mode " +
                             "(live on /api/v1, sandbox on /sandbox/api/v1). 409 when the account has as many endpoints as allowed.")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        webhooks.MapGet("/", ListWebhookEndpoints.Handle).WithSummary("The account's endpoints, with their health (failures, disabled_reason)");
        webhooks.MapGet("/settings", GetWebhookSettings.Handle).WithSummary("Webhook settings: the balance.low threshold");
        webhooks.MapPut("/settings", PutWebhookSettings.Handle).Validate<PutWebhookSettings.Request>()
            .WithExamples(ResellerExamples.WebhookSettings, null)
            .WithSummary("Set the balance below which balance.low is sent (null: never)")
            .WithDescription("balance.low is sent once each time a charge takes the balance from at or above the threshold to below it.")
            .ProducesErrors(StatusCodes.Status400BadRequest);
        webhooks.MapGet("/{id:guid}", GetWebhookEndpoint.Handle).WithSummary("One endpoint").ProducesErrors(StatusCodes.Status404NotFound);
        webhooks.MapPatch("/{id:guid}", UpdateWebhookEndpoint.Handle).Validate<UpdateWebhookEndpoint.Request>()
            .WithExamples(ResellerExamples.UpdateWebhook, null)
            .WithSummary("Change an endpoint's url, events, description or enabled (true clears what disabled it)")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        webhooks.MapDelete("/{id:guid}", DeleteWebhookEndpoint.Handle).WithSummary("Delete an endpoint and its delivery log")
            .ProducesErrors(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:guid}/rotate-secret", RotateWebhookSecret.Handle)
            .WithSummary("A new signing secret (shown this once); the old one signs nothing more").ProducesErrors(StatusCodes.Status404NotFound);
        webhooks.MapGet("/{id:guid}/deliveries", ListWebhookDeliveries.Handle)
            .WithParameterRules(ParameterRules.Paging("per_page", Paging.MaxPerPage))
            .WithSummary("The delivery log, newest first: each attempt's status code, duration and the start of the answer")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/redeliver", RedeliverWebhook.Handle)
            .WithSummary("Send a delivery again (same webhook-id) with the next delivery run; 409 while an attempt is under way")
            .ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        webhooks.MapPost("/{id:guid}/test", SendTestWebhook.Handle)
            .WithSummary("Send a webhook.test event to this endpoint with the next delivery run").ProducesErrors(StatusCodes.Status404NotFound);

        // The reset link itself: its signature is the credential, so it sits outside the API key's group.
        root.MapMethods("/proxies/{planId:guid}/ip-reset", [HttpMethods.Get, HttpMethods.Post], ResetIpThroughLink.Handle)
            .WithTags("Connection tools" + tagSuffix)
            .WithSummary("Rotate a dedicated mobile IP through a reset link (no API key; expires and signature come with the link)")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden,
                StatusCodes.Status404NotFound, StatusCodes.Status502BadGateway);
    }

    private static void MapAdmin(IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin")
            .WithGroupName(ResellerModule.DocumentName)
            .WithWireFormat(WireFormat)
            .WithTags("Reseller operators")
            .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized);

        admin.MapPost("/resellers", CreateReseller.Handle).Validate<CreateReseller.Request>()
            .WithExamples(ResellerExamples.CreateReseller, null)
            .WithSummary("Create a reseller with a live and a test key (shown once)");
        admin.MapGet("/resellers/{id:guid}/keys", ListResellerKeys.Handle)
            .WithSummary("List the reseller's API keys, with when each was last used").ProducesErrors(StatusCodes.Status404NotFound);
        admin.MapPost("/resellers/{id:guid}/keys", CreateResellerKey.Handle).Validate<CreateResellerKey.CreateRequest>()
            .WithSummary("Create an API key (shown once)").ProducesErrors(StatusCodes.Status404NotFound);
        admin.MapDelete("/resellers/{id:guid}/keys/{keyId:guid}", RevokeResellerKey.Handle)
            .WithSummary("Revoke an API key").ProducesErrors(StatusCodes.Status404NotFound);
        admin.MapPost("/resellers/{id:guid}/topups", TopUp.Handle).Validate<TopUp.Request>()
            .WithExamples(ResellerExamples.TopUp, null)
            .WithSummary("Credit a balance (or record a refund or adjustment)")
            .ProducesErrors(StatusCodes.Status402PaymentRequired, StatusCodes.Status404NotFound);
        admin.MapPut("/resellers/{id:guid}/status", SetResellerStatus.Handle).Validate<SetResellerStatus.Request>()
            .WithSummary("Suspend or reactivate a reseller").ProducesErrors(StatusCodes.Status404NotFound);
        admin.MapPut("/resellers/{id:guid}/products/{product}", SetProductEnabled.Handle).Validate<SetProductEnabled.Request>()
            .WithSummary("Enable or disable a product for a reseller").ProducesErrors(StatusCodes.Status404NotFound);
        admin.MapPut("/resellers/{id:guid}/pricing", PutPricing.Handle)
            .WithExamples(ResellerExamples.Pricing, null)
            .WithSummary("Replace a reseller's price list (same shape as GET /balance/pricing)").ProducesErrors(StatusCodes.Status404NotFound);
        admin.MapPut("/pools/{pool}", PutPool.Handle)
            .WithParameterRules(new ParameterRule("mode", AllowedValues: ["live", "test"]))
            .WithExamples(ResellerExamples.Pool, null)
            .WithSummary("Create or update a dedicated ISP pool (?mode=test for the sandbox)");
        admin.MapPost("/usage", ReportUsage.Handle)
            .WithMetadata(new ReportUsage.BodyLimit())
            .WithExamples(ResellerExamples.ReportUsage, null)
            .WithSummary("Report proxy traffic (gateways): up to 10,000 records {plan_id, bytes, at, id?} a request")
            .WithDescription("Accounted at once (202 when committed). Records with an id are counted once per plan. The answer lists records for unknown plans, " +
                             "traffic plans could not take (exhausted, expired, sub-user suspended or over its limit) and the plans that take no more traffic.");
        admin.MapPut("/stock/dedicated-mobile", PutDedicatedMobileStock.Handle)
            .WithParameterRules(new ParameterRule("mode", AllowedValues: ["live", "test"]))
            .WithExamples(ResellerExamples.DedicatedMobileStock, null)
            .WithSummary("Set dedicated mobile stock per location (?mode=test for the sandbox)");
        admin.MapGet("/resellers/webhooks", ListAllWebhookEndpoints.Handle)
            .WithSummary("Every reseller's webhook endpoints (live and sandbox) and their health, failing ones first");
    }
}
