using System.Net;
using FluxSuite.Testing;

namespace FluxSuite.Metering.Tests;

[Collection(MeteringCollection.Name)]
public sealed class SubscriptionTests(MeteringApp app)
{
    private static DateTimeOffset Utc(int y, int m, int d, int h = 0) => new(y, m, d, h, 0, 0, TimeSpan.Zero);

    private async Task<(Tenant Tenant, string CustomerId, string PlanId)> SetUpAsync(string interval = "month")
    {
        var tenant = await app.SignUpAsync();
        var customer = await tenant.CreateCustomerAsync();
        var plan = await tenant.CreatePlanAsync("FIXED", interval: interval);
        return (tenant, customer.GetProperty("id").GetString()!, plan.GetProperty("id").GetString()!);
    }

    [Theory]
    // Anchored on Jan 31 08:00 (2027 is not a leap year): clamped to Feb 28, back to Mar 31, clamped to Apr 30.
    [InlineData("2027-01-31T08:00:00Z", "2027-02-15T00:00:00Z", "2027-01-31T08:00:00Z", "2027-02-28T08:00:00Z")]
    [InlineData("2027-01-31T08:00:00Z", "2027-03-05T00:00:00Z", "2027-02-28T08:00:00Z", "2027-03-31T08:00:00Z")]
    [InlineData("2027-01-31T08:00:00Z", "2027-04-10T00:00:00Z", "2027-03-31T08:00:00Z", "2027-04-30T08:00:00Z")]
    [InlineData("2027-01-31T08:00:00Z", "2027-02-28T08:00:00Z", "2027-02-28T08:00:00Z", "2027-03-31T08:00:00Z")]
    // In a leap year the clamp is Feb 29.
    [InlineData("2028-01-31T00:00:00Z", "2028-02-10T00:00:00Z", "2028-01-31T00:00:00Z", "2028-02-29T00:00:00Z")]
    // A start given with an offset is anchored in UTC.
    [InlineData("2027-03-01T01:00:00+02:00", "2027-03-10T00:00:00Z", "2027-02-28T23:00:00Z", "2027-03-28T23:00:00Z")]
    public async Task Given_a_monthly_subscription_Then_periods_are_anchored_on_the_start_day_and_clamped_to_month_end(
        string start, string now, string periodStart, string periodEnd)
    {
        app.Clock.Set(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture));
        var (tenant, customerId, planId) = await SetUpAsync();
        var created = await tenant.PostOkAsync("/subscriptions", $$"""{"customer_id": "{{customerId}}", "plan_id": "{{planId}}", "billing_interval": "month", "start_date": "{{start}}"}""");
        app.Clock.Set(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));
        await tenant.SignInAgainAsync();

        var subscription = await tenant.GetOkAsync($"/subscriptions/{created.GetProperty("id")}");

        Assert.Equal(DateTimeOffset.Parse(periodStart, System.Globalization.CultureInfo.InvariantCulture), subscription.GetProperty("current_period_start").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse(periodEnd, System.Globalization.CultureInfo.InvariantCulture), subscription.GetProperty("current_period_end").GetDateTimeOffset());
        Assert.Equal("active", subscription.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Given_a_yearly_subscription_from_Feb_29_Then_later_periods_fall_on_Feb_28()
    {
        app.Clock.Set(Utc(2025, 3, 1));
        var (tenant, customerId, planId) = await SetUpAsync("year");

        var created = await tenant.PostOkAsync("/subscriptions", $$"""{"customer_id": "{{customerId}}", "plan_id": "{{planId}}", "start_date": "2024-02-29T00:00:00Z"}""");

        Assert.Equal("year", created.GetProperty("billing_interval").GetString());
        Assert.Equal(Utc(2025, 2, 28), created.GetProperty("current_period_start").GetDateTimeOffset());
        Assert.Equal(Utc(2026, 2, 28), created.GetProperty("current_period_end").GetDateTimeOffset());
    }

    [Fact]
    public async Task Given_a_start_in_the_future_Then_it_is_scheduled_with_its_first_period()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var (tenant, customerId, planId) = await SetUpAsync();

        var created = await tenant.PostOkAsync("/subscriptions", $$"""{"customer_id": "{{customerId}}", "plan_id": "{{planId}}", "start_date": "2026-02-01T00:00:00Z"}""");

        Assert.Equal("scheduled", created.GetProperty("status").GetString());
        Assert.Equal(Utc(2026, 3, 1), created.GetProperty("current_period_end").GetDateTimeOffset());
    }

    [Fact]
    public async Task Given_a_cancel_now_or_at_period_end_Then_the_subscription_ends_then()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var (tenant, customerId, planId) = await SetUpAsync();
        var first = await tenant.PostOkAsync("/subscriptions", $$"""{"customer_id": "{{customerId}}", "plan_id": "{{planId}}", "start_date": "2026-01-01T00:00:00Z"}""");
        var duplicate = await tenant.Client.PostAsync($"{MeteringApp.Base}/subscriptions", JsonHttp.RequestBody($$"""{"customer_id": "{{customerId}}", "plan_id": "{{planId}}"}"""));
        await Http.ProblemAsync(duplicate, HttpStatusCode.Conflict);

        var atEnd = await tenant.PostOkAsync($"/subscriptions/{first.GetProperty("id")}/cancel", """{"at_period_end": true}""", HttpStatusCode.OK);
        Assert.Equal("active", atEnd.GetProperty("status").GetString());
        Assert.True(atEnd.GetProperty("cancel_at_period_end").GetBoolean());
        Assert.Equal(Utc(2026, 2, 1), atEnd.GetProperty("ends_at").GetDateTimeOffset());

        app.Clock.Set(Utc(2026, 2, 1));
        await tenant.SignInAgainAsync();
        var ended = await tenant.GetOkAsync($"/subscriptions/{first.GetProperty("id")}");
        Assert.Equal("canceled", ended.GetProperty("status").GetString());

        var second = await tenant.PostOkAsync("/subscriptions", $$"""{"customer_id": "{{customerId}}", "plan_id": "{{planId}}"}""");
        var now = await tenant.Client.PostAsync($"{MeteringApp.Base}/subscriptions/{second.GetProperty("id")}/cancel", null);
        var canceled = await JsonHttp.ReadBodyAsync(now);
        Assert.Equal(HttpStatusCode.OK, now.StatusCode);
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        Assert.Equal(Utc(2026, 2, 1), canceled.GetProperty("ends_at").GetDateTimeOffset());
        await Http.ProblemAsync(await tenant.Client.PostAsync($"{MeteringApp.Base}/subscriptions/{second.GetProperty("id")}/cancel", null), HttpStatusCode.Conflict);
        var list = await tenant.GetOkAsync($"/subscriptions?customer_id={customerId}&status=canceled");
        Assert.Equal(2, list.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Given_an_archived_plan_or_a_missing_field_Then_no_subscription()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var (tenant, customerId, planId) = await SetUpAsync();
        await tenant.PostOkAsync($"/plans/{planId}/archive", "{}", HttpStatusCode.OK);

        var archived = await tenant.Client.PostAsync($"{MeteringApp.Base}/subscriptions", JsonHttp.RequestBody($$"""{"customer_id": "{{customerId}}", "plan_id": "{{planId}}"}"""));
        var missing = await tenant.Client.PostAsync($"{MeteringApp.Base}/subscriptions", JsonHttp.RequestBody("""{"billing_interval": "week"}"""));

        await Http.ProblemAsync(archived, HttpStatusCode.Conflict);
        var errors = (await Http.ProblemAsync(missing, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("customer_id", out _));
        Assert.True(errors.TryGetProperty("plan_id", out _));
        Assert.True(errors.TryGetProperty("billing_interval", out _));
    }
}
