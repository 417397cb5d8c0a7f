namespace FluxSuite.Reseller.OpenApi;

/// <summary>Example bodies for the reseller document (the shapes the tests assert).</summary>
internal static class ResellerExamples
{
    public const string CreatePlan = """{"product":"residential","bandwidth_gb":5,"end_user_reference":"customer-42"}""";

    public const string Plan = """
        {"success":true,"data":{"plan_id":"0193a3b8-6f2e-7c1a-9d4e-2b5f8a9c0d1e","product":"residential","billing_type":"bandwidth",
        "proxy_username":"fpk3j9x2m1qa","proxy_password":"Xw3kP9sQ2mL7vN4bR8tY",
        "connection":{"hostname":"geo.proxyserver.bot","port_http":8080,"port_socks":1080,"format":"fpk3j9x2m1qa:Xw3kP9sQ2mL7vN4bR8tY@geo.proxyserver.bot:8080"},
        "limits":{"max_gb":5,"max_bytes":5000000000,"bytes_used":0,"bandwidth_mbps":null},"location":null,"expires_at":null,"status":"active",
        "created_at":"2026-01-15T12:00:00Z","billing":{"mode":"live","price_per_gb_cents":300,"cost_cents":1500,"cost_formatted":"$15.00"},
        "end_user_reference":"customer-42"}}
        """;

    public const string Extend = """{"add_bandwidth_gb":10}""";

    public const string Upgrade = """{"bandwidth_mbps":500}""";

    public const string Balance = """
        {"success":true,"data":{"balance_cents":500000,"balance_formatted":"$5,000.00",
        "allocations":{"residential":{"gb_remaining":3.5,"bytes_remaining":3500000000}},"total_spent_cents":1450,"total_spent_formatted":"$14.50"}}
        """;

    public const string Pools = """
        {"success":true,"data":{"pools":[{"pool":"ISP_US_SNEAKERS","inStock":true,"stock":25,"title":"US Sneakers ISP","provider":"ISP","isSubnet":false}],
        "total":1,"in_stock_count":1}}
        """;

    public const string CreateSubUser = """{"name":"Jane at Example Corp","traffic_limit_gb":50,"end_user_reference":"cust_1042"}""";

    public const string PatchSubUser = """{"status":"suspended"}""";

    public const string ReportUsage = """
        {"records":[{"plan_id":"0195f3c2-8b1e-7d4a-9c3e-2f6b1a7d9e01","bytes":52428800,"at":"2026-01-15T12:00:00Z","id":"gw1-000001"}]}
        """;

    public const string CreateReseller = """{"name":"Acme Proxies","email":"ops@acme.example"}""";

    public const string TopUp = """{"amount_cents":500000,"mode":"live","note":"Wire transfer 2026-01"}""";

    public const string Pool = """{"title":"US Sneakers ISP","provider":"ISP","country":"US","stock":250,"isSubnet":false}""";

    public const string CreateWebhook = """{"url":"https://hooks.example.com/fluxsuite","events":["plan.created","plan.expiring","balance.low"],"description":"Billing backend"}""";

    public const string UpdateWebhook = """{"url":"https://hooks.example.com/fluxsuite/v2","events":["plan.expired"],"description":"Billing backend","enabled":true}""";

    public const string WebhookSettings = """{"balance_low_threshold_cents":5000}""";

    public const string DedicatedMobileStock = """{"NL":5,"UK":3}""";

    public const string Pricing = """
        {"currency":"USD","products":{"residential":{"billing_type":"bandwidth","price_per_gb_cents":250},
        "dedicated_mobile":{"billing_type":"time","locations":{"NL":{"price_per_day_cents":1400}}},
        "dedicated_isp":{"billing_type":"per_ip","price_per_ip_30_days":275}}}
        """;
}
