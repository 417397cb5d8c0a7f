using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Errors;
using FluxSuite.BuildingBlocks.Persistence;
using FluxSuite.Reseller.Api;
using FluxSuite.Reseller.Catalog;
using FluxSuite.Reseller.Data;
using FluxSuite.Reseller.Idempotency;
using FluxSuite.Reseller.Pricing;
using FluxSuite.Reseller.Security;
using Microsoft.Extensions.Options;
using Npgsql;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace FluxSuite.Reseller.Plans;

/// <summary>
/// <c>POST /plans</c>. Numbers may also be sent as numeric strings (<c>"bandwidth_gb": "5"</c>), as the
/// reference's own example does; a field that does not apply to the product is refused, not ignored.
/// </summary>
internal static class CreatePlan
{
    public const decimal MaxBandwidthGb = 100_000;
    public const int MinHybridMbps = 10;
    public const int MaxHybridMbps = 1000;
    public const int MinUnlimitedMbps = 200;
    public const int MaxUnlimitedMbps = 3000;
    public const int MaxIspQuantity = 254;

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    internal sealed record Request : IIdempotentRequest
    {
        [JsonPropertyName("product"), AllowedValues("residential-lite", "residential", "mobile", "datacenter", "shared_isp", "ipv6-residential", "ipv6-datacenter", "pool1", "pool2", "pool3", "pool4", "pool5", "unlimited_residential", "dedicated_mobile", "dedicated_isp")]
        [Description("Product type to purchase (required).")]
        public string? Product { get; init; }

        [JsonPropertyName("bandwidth_gb"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
        [Description("GB to purchase (bandwidth products and bandwidth-billed hybrids); up to 3 decimals. A numeric string is accepted.")]
        public decimal? BandwidthGb { get; init; }

        [JsonPropertyName("duration"), AllowedValues("trial", "1_hour", "1_day", "7_days", "14_days", "30_days", "60_days", "90_days")]
        [Description("Plan duration for time products. 1_hour: datacenter, shared_isp, ipv6-residential, ipv6-datacenter (1/8 of the daily rate). trial: unlimited_residential only.")]
        public string? Duration { get; init; }

        [JsonPropertyName("billing_type"), AllowedValues("bandwidth", "time")]
        [Description("Required for hybrid products (datacenter, shared_isp, ipv6-residential, ipv6-datacenter).")]
        public string? BillingType { get; init; }

        [JsonPropertyName("mbps"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
        [Description("Mbps for time-billed hybrid products, 10–1000.")]
        public int? Mbps { get; init; }

        [JsonPropertyName("bandwidth_mbps"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
        [Description("Bandwidth cap for unlimited_residential, 200–3000 (trials run at 200).")]
        public int? BandwidthMbps { get; init; }

        [JsonPropertyName("location"), AllowedValues("NL", "UK")]
        [Description("Location for dedicated_mobile (check GET /servers/stock/dedicated-mobile first).")]
        public string? Location { get; init; }

        [JsonPropertyName("quantity"), JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
        [Description("Number of IPs for dedicated_isp, 1–254.")]
        public int? Quantity { get; init; }

        [JsonPropertyName("pool")]
        [Description("Pool name from GET /proxies/pools (dedicated_isp), e.g. ISP_US_SNEAKERS.")]
        public string? Pool { get; init; }

        [JsonPropertyName("end_user_reference")]
        public string? EndUserReference { get; init; }

        [JsonPropertyName("sub_user_id")]
        [Description("The sub-user (POST /sub-users) the plan is for: its traffic counts against the sub-user's limit, and it stops when the sub-user is suspended.")]
        public Guid? SubUserId { get; init; }
    }

    public static async Task<ApiCreated<Envelope<PlanResponse>>> Handle(
        ResellerCaller caller, Request request, HttpContext http, ResellerDbContext db, PooledStatements statements, PriceBook prices, PlanPurchase purchase,
        IOptions<HttpJsonOptions> json, CancellationToken cancellationToken)
    {
        if (!Products.TryParse(request.Product, out var product))
        {
            throw new ApiErrorException(ApiError.InvalidField("product", request.Product is null
                ? $"is required: one of {Products.AllNames}."
                : $"'{request.Product}' is not a product; one of {Products.AllNames}."));
        }

        var account = (await KeyedRead.TakeOrRunAsync(http, caller, statements, () => new PurchaseAccount.Read(prices), cancellationToken)).Account
                      ?? throw new InvalidOperationException($"Reseller {caller.ResellerId} has no {caller.Mode.WireName()} balance.");
        account.RequireEnabled(product);
        var order = Validate(product, request);
        if (order.SubUserId is { } subUserId)
        {
            await SubUsers.SubUserAccess.RequireActiveAsync(db, caller, subUserId, "sub_user_id", cancellationToken);
        }

        var claim = http.Features.Get<IdempotencyClaim>();
        var basePath = ResellerRoutes.BasePath(caller.Mode);
        // The stored idempotent answer commits with the purchase, or neither does.
        PlanResponse plan;
        try
        {
            plan = await purchase.BuyAsync(caller, order, account, view => claim?.CompletionCommand(
                StatusCodes.Status201Created, Envelope.Of(view), $"{basePath}/plans/{view.PlanId}", json.Value.SerializerOptions), cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == IdempotencyClaim.LostState)
        {
            throw new ApiErrorException(ResellerErrors.IdempotencyInProgress());
        }

        claim?.MarkCompleted();
        return ApiResults.Created($"{basePath}/plans/{plan.PlanId}", Envelope.Of(plan));
    }

    /// <summary>The reference's per-product requirements; every problem is named by its field.</summary>
    public static PlanOrder Validate(Product product, Request r)
    {
        var errors = new FieldErrors();
        var name = product.WireName();
        var forProduct = $"to {name}";
        if (r.EndUserReference is { Length: > 255 })
        {
            errors.Add("end_user_reference", "must be at most 255 characters.");
        }

        if (r.Duration is not null && !PlanDuration.All.Contains(r.Duration))
        {
            errors.Add("duration", $"must be one of {string.Join(", ", PlanDuration.All)}.");
        }

        if (r.BillingType is not null && r.BillingType is not ("bandwidth" or "time"))
        {
            errors.Add("billing_type", "must be bandwidth or time.");
        }

        var billing = BillingType.Time;
        switch (product.Billing())
        {
            case BillingModel.Bandwidth:
                billing = BillingType.Bandwidth;
                OnlyBilling(errors, r.BillingType, "bandwidth", name);
                Bandwidth(errors, r.BandwidthGb, "bandwidth_gb");
                errors.NotApplicable(forProduct, ("duration", r.Duration), ("mbps", r.Mbps), ("bandwidth_mbps", r.BandwidthMbps),
                    ("location", r.Location), ("quantity", r.Quantity), ("pool", r.Pool));
                break;

            case BillingModel.Hybrid:
                if (r.BillingType is null)
                {
                    errors.Add("billing_type", $"is required for {name}: bandwidth (per GB) or time (duration and mbps).");
                }
                else if (r.BillingType == "bandwidth")
                {
                    billing = BillingType.Bandwidth;
                    Bandwidth(errors, r.BandwidthGb, "bandwidth_gb");
                    errors.NotApplicable("to bandwidth-billed plans", ("duration", r.Duration), ("mbps", r.Mbps));
                }
                else if (r.BillingType == "time")
                {
                    Duration(errors, product, r.Duration);
                    Range(errors, r.Mbps, "mbps", MinHybridMbps, MaxHybridMbps, $"is required for time-billed {name} plans");
                    errors.NotApplicable("to time-billed plans", ("bandwidth_gb", r.BandwidthGb));
                }

                errors.NotApplicable(forProduct, ("bandwidth_mbps", r.BandwidthMbps), ("location", r.Location),
                    ("quantity", r.Quantity), ("pool", r.Pool));
                break;

            case BillingModel.Unlimited:
                OnlyBilling(errors, r.BillingType, "time", name);
                Duration(errors, product, r.Duration);
                if (r.Duration == PlanDuration.Trial)
                {
                    // A trial runs for an hour, and the reference caps hourly plans at 200 Mbps.
                    if (r.BandwidthMbps is { } trialMbps && trialMbps != MinUnlimitedMbps)
                    {
                        errors.Add("bandwidth_mbps", $"trial plans run at {MinUnlimitedMbps} Mbps (hourly plans are capped at {MinUnlimitedMbps}).");
                    }
                }
                else
                {
                    Range(errors, r.BandwidthMbps, "bandwidth_mbps", MinUnlimitedMbps, MaxUnlimitedMbps, $"is required for {name} plans other than the trial");
                }

                errors.NotApplicable(forProduct, ("bandwidth_gb", r.BandwidthGb), ("mbps", r.Mbps), ("location", r.Location),
                    ("quantity", r.Quantity), ("pool", r.Pool));
                break;

            case BillingModel.DedicatedMobile:
                OnlyBilling(errors, r.BillingType, "time", name);
                Duration(errors, product, r.Duration);
                if (r.Location is null)
                {
                    errors.Add("location", "is required for dedicated_mobile: NL or UK (GET /servers/stock/dedicated-mobile shows the stock).");
                }
                else if (r.Location is not ("NL" or "UK"))
                {
                    errors.Add("location", "must be NL or UK.");
                }

                errors.NotApplicable(forProduct, ("bandwidth_gb", r.BandwidthGb), ("mbps", r.Mbps), ("bandwidth_mbps", r.BandwidthMbps),
                    ("quantity", r.Quantity), ("pool", r.Pool));
                break;

            case BillingModel.DedicatedIsp:
                OnlyBilling(errors, r.BillingType, "time", name);
                Range(errors, r.Quantity, "quantity", 1, MaxIspQuantity, "is required for dedicated_isp: the number of IPs");
                if (string.IsNullOrWhiteSpace(r.Pool))
                {
                    errors.Add("pool", "is required for dedicated_isp: a pool name from GET /proxies/pools.");
                }

                if (r.Duration is not null && r.Duration != "30_days" && PlanDuration.All.Contains(r.Duration))
                {
                    errors.Add("duration", "dedicated_isp plans run for 30_days.");
                }

                errors.NotApplicable(forProduct, ("bandwidth_gb", r.BandwidthGb), ("mbps", r.Mbps), ("bandwidth_mbps", r.BandwidthMbps),
                    ("location", r.Location));
                break;
        }

        errors.ThrowIfAny();
        var mbps = product.Billing() == BillingModel.Unlimited
            ? r.BandwidthMbps ?? MinUnlimitedMbps
            : r.Mbps;
        return new PlanOrder(product, billing, billing == BillingType.Bandwidth ? r.BandwidthGb : null,
            billing == BillingType.Time ? r.Duration ?? (product == Product.DedicatedIsp ? "30_days" : null) : null,
            billing == BillingType.Time ? mbps : null, r.Location, r.Quantity, r.Pool?.Trim().ToUpperInvariant(),
            string.IsNullOrWhiteSpace(r.EndUserReference) ? null : r.EndUserReference, r.SubUserId);
    }

    private static void OnlyBilling(FieldErrors errors, string? given, string only, string product)
    {
        if (given is not null && given != only && given is "bandwidth" or "time")
        {
            errors.Add("billing_type", $"{product} is billed by {only} only.");
        }
    }

    public static void Bandwidth(FieldErrors errors, decimal? gb, string field)
    {
        if (gb is null)
        {
            errors.Add(field, "is required: the GB to buy.");
        }
        else if (gb <= 0 || gb > MaxBandwidthGb)
        {
            errors.Add(field, $"must be more than 0 and at most {MaxBandwidthGb}.");
        }
        else if (decimal.Round(gb.Value, 3) != gb.Value)
        {
            errors.Add(field, "must have at most 3 decimal places (1 MB).");
        }
    }

    private static void Duration(FieldErrors errors, Product product, string? duration)
    {
        var allowed = PlanDuration.For(product);
        if (duration is null)
        {
            errors.Add("duration", $"is required for {product.WireName()}: one of {string.Join(", ", allowed)}.");
        }
        else if (!allowed.Contains(duration) && PlanDuration.All.Contains(duration))
        {
            var why = duration switch
            {
                PlanDuration.OneHour => "1_hour is only for datacenter, shared_isp, ipv6-residential and ipv6-datacenter",
                PlanDuration.Trial => "trial is only for unlimited_residential",
                _ => $"{duration} is not offered for {product.WireName()}",
            };
            errors.Add("duration", $"{why}; one of {string.Join(", ", allowed)}.");
        }
    }

    private static void Range(FieldErrors errors, int? value, string field, int min, int max, string required)
    {
        if (value is null)
        {
            errors.Add(field, $"{required} ({min}–{max}).");
        }
        else if (value < min || value > max)
        {
            errors.Add(field, $"must be between {min} and {max}.");
        }
    }
}

/// <summary>A validated purchase. <see cref="Mbps"/> is the hybrid <c>mbps</c> or the unlimited <c>bandwidth_mbps</c>.</summary>
internal sealed record PlanOrder(
    Product Product, BillingType BillingType, decimal? BandwidthGb, string? Duration, int? Mbps, string? Location,
    int? Quantity, string? Pool, string? EndUserReference, Guid? SubUserId = null);
