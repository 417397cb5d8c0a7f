using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Validation;
using FluxSuite.Reseller.Accounts;
using FluxSuite.Reseller.Balance;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.OpenApi;
using FluxSuite.Reseller.Plans;
using FluxSuite.Reseller.Pricing;
using FluxSuite.Reseller.Security;
using FluxSuite.Reseller.Stock;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace FluxSuite.Reseller.Api;

/// <summary>Every reseller route: the API twice (live and sandbox, same handlers, separate data) and the operator routes.</summary>
internal static class ResellerEndpoints
{
    public static ApiSecurityScheme KeyScheme { get; } = new(
        "ResellerKey", ApiSecuritySchemeKind.BearerToken, "Authorization",
        "Reseller API key: fp_live_… on /api/v1, fp_test_… on /sandbox/api/v1 (the other prefix is 401).");

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        MapApi(endpoints, Mode.Live, "/api/v1", string.Empty);
        MapApi(endpoints, Mode.Test, "/sandbox/api/v1", " (sandbox)");
        MapAdmin(endpoints);
    }

    private static void MapApi(IEndpointRouteBuilder endpoints, Mode mode, string prefix, string tagSuffix)
    {
        var api = endpoints.MapGroup(prefix)
            .WithGroupName(ResellerModule.DocumentName)
            .RequireAuthorization(ResellerKeyHandler.SchemeFor(mode))
            .WithSecurityScheme(KeyScheme.Id)
            .AddEndpointFilter<RateLimitFilter>()
            .AddEndpointFilter<ResellerRuleFilter>()
            .ProducesError(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);

        var plans = api.MapGroup("/plans").WithTags("Plans" + tagSuffix);
        plans.MapPost("/", CreatePlan.Handle)
            .Idempotent()
            .WithExample(ResellerExamples.CreatePlan, StatusCodes.Status201Created, ResellerExamples.Plan)
            .WithSummary("Create a plan")
            .WithDescription("Required parameters vary by product: bandwidth products need bandwidth_gb; hybrid products billing_type and then bandwidth_gb or duration + mbps; " +
                             "unlimited_residential duration (trial or days) and bandwidth_mbps; dedicated_mobile duration and location; dedicated_isp quantity and pool. " +
                             "Numbers may be sent as numeric strings. Send X-Idempotency-Key to make retries safe.")
            .ProducesError(StatusCodes.Status400BadRequest, StatusCodes.Status402PaymentRequired, StatusCodes.Status409Conflict,
                StatusCodes.Status422UnprocessableEntity, StatusCodes.Status502BadGateway);
        plans.MapGet("/", ReadPlans.List).WithSummary("List plans").ProducesError(StatusCodes.Status400BadRequest);
        plans.MapGet("/{planId:guid}", ReadPlans.Get).WithSummary("Get a plan")
            .WithExample(null, StatusCodes.Status200OK, ResellerExamples.Plan).ProducesError(StatusCodes.Status404NotFound);
        plans.MapPost("/{planId:guid}/extend", ChangePlan.Extend)
            .Idempotent()
            .WithExample(ResellerExamples.Extend, StatusCodes.Status200OK, null)
            .WithSummary("Extend a plan")
            .WithDescription("add_bandwidth_gb for bandwidth-billed plans; add_days for time-billed hybrids (any positive), unlimited_residential (1, 7, 30, 60) " +
                             "and dedicated_mobile (7, 14, 30); extend_30_days: true for dedicated_isp (quantity × price_per_ip_30_days).")
            .ProducesError(StatusCodes.Status400BadRequest, StatusCodes.Status402PaymentRequired, StatusCodes.Status404NotFound,
                StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status502BadGateway);
        plans.MapPost("/{planId:guid}/upgrade", ChangePlan.Upgrade)
            .Idempotent()
            .WithExample(ResellerExamples.Upgrade, StatusCodes.Status200OK, null)
            .WithSummary("Upgrade an unlimited residential plan's bandwidth")
            .WithDescription("Raises bandwidth_mbps (up to 3000) and charges the price difference for the time the plan has left.")
            .ProducesError(StatusCodes.Status400BadRequest, StatusCodes.Status402PaymentRequired, StatusCodes.Status404NotFound,
                StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity, StatusCodes.Status502BadGateway);
        plans.MapGet("/{planId:guid}/proxies", PlanProxies.Handle)
            .WithSummary("List the static IPs of a dedicated ISP plan")
            .ProducesError(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);

        var balance = api.MapGroup("/balance").WithTags("Balance" + tagSuffix);
        balance.MapGet("/", GetBalance.Handle).WithSummary("Balance, pre-paid allocations and total spent")
            .WithExample(null, StatusCodes.Status200OK, ResellerExamples.Balance);
        balance.MapGet("/transactions", ListTransactions.Handle).WithSummary("Ledger transactions, newest first")
            .ProducesError(StatusCodes.Status400BadRequest);
        balance.MapGet("/pricing", PricingEndpoints.Get).WithSummary("The account's price list (cents)");

        var stock = api.MapGroup("/").WithTags("Pools and stock" + tagSuffix);
        stock.MapGet("/proxies/pools", StockEndpoints.Pools).WithSummary("Dedicated ISP pools and their stock")
            .WithExample(null, StatusCodes.Status200OK, ResellerExamples.Pools)
            .ProducesError(StatusCodes.Status400BadRequest);
        stock.MapGet("/proxies/stock", StockEndpoints.Summary).WithSummary("Pool statistics");
        stock.MapGet("/servers/stock/dedicated-mobile", StockEndpoints.DedicatedMobile).WithSummary("Dedicated mobile stock per location");
        stock.MapGet("/servers/stock/unlimited-residential-trial", StockEndpoints.UnlimitedTrial).WithSummary("Unlimited residential trial availability");
    }

    private static void MapAdmin(IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/admin")
            .WithGroupName(ResellerModule.DocumentName)
            .WithTags("Reseller operators")
            .AddEndpointFilter<ResellerRuleFilter>()
            .ProducesError(StatusCodes.Status400BadRequest, StatusCodes.Status401Unauthorized);

        admin.MapPost("/resellers", CreateReseller.Handle).Validate<CreateReseller.Request>()
            .WithExample(ResellerExamples.CreateReseller, StatusCodes.Status201Created, null)
            .WithSummary("Create a reseller with a live and a test key (shown once)");
        admin.MapPost("/resellers/{id:guid}/keys", ResellerKeys.Create).Validate<ResellerKeys.CreateRequest>()
            .WithSummary("Create an API key (shown once)").ProducesError(StatusCodes.Status404NotFound);
        admin.MapDelete("/resellers/{id:guid}/keys/{keyId:guid}", ResellerKeys.Revoke)
            .WithSummary("Revoke an API key").ProducesError(StatusCodes.Status404NotFound);
        admin.MapPost("/resellers/{id:guid}/topups", TopUp.Handle).Validate<TopUp.Request>()
            .WithExample(ResellerExamples.TopUp, StatusCodes.Status201Created, null)
            .WithSummary("Credit a balance (or record a refund or adjustment)")
            .ProducesError(StatusCodes.Status402PaymentRequired, StatusCodes.Status404NotFound);
        admin.MapPut("/resellers/{id:guid}/status", SetResellerStatus.Handle).Validate<SetResellerStatus.Request>()
            .WithSummary("Suspend or reactivate a reseller").ProducesError(StatusCodes.Status404NotFound);
        admin.MapPut("/resellers/{id:guid}/products/{product}", SetProductEnabled.Handle).Validate<SetProductEnabled.Request>()
            .WithSummary("Enable or disable a product for a reseller").ProducesError(StatusCodes.Status404NotFound);
        admin.MapPut("/resellers/{id:guid}/pricing", PricingEndpoints.Put)
            .WithExample(ResellerExamples.Pricing, StatusCodes.Status200OK, null)
            .WithSummary("Replace a reseller's price list (same shape as GET /balance/pricing)").ProducesError(StatusCodes.Status404NotFound);
        admin.MapPut("/pools/{pool}", AdminStock.PutPool)
            .WithExample(ResellerExamples.Pool, StatusCodes.Status200OK, null)
            .WithSummary("Create or update a dedicated ISP pool (?mode=test for the sandbox)");
        admin.MapPut("/stock/dedicated-mobile", AdminStock.PutDedicatedMobile)
            .WithExample(ResellerExamples.DedicatedMobileStock, StatusCodes.Status200OK, null)
            .WithSummary("Set dedicated mobile stock per location (?mode=test for the sandbox)");
    }

    /// <summary>Documents error responses in the reseller envelope.</summary>
    private static TBuilder ProducesError<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ResellerErrorBody), ["application/json"]));
        }

        return builder;
    }
}
