using System.Net;
using FluxSuite.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace FluxSuite.Metering.Tests;

[Collection(MeteringCollection.Name)]
public sealed class AuthTests(MeteringApp app)
{
    private const string Base = MeteringApp.Base;

    private HttpClient Anonymous() => app.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

    [Fact]
    public async Task Given_a_signup_Then_201_with_an_HttpOnly_SameSite_Lax_cookie_holding_a_JWT_and_a_hashed_password()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var email = $"New-{Guid.NewGuid():N}@Example.com";

        var response = await Anonymous().PostAsync($"{Base}/auth/signup",
            JsonHttp.RequestBody($$"""{"email": "{{email}}", "password": "a long secret", "organization_name": "Acme"}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("access_token=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);
        var body = await JsonHttp.ReadBodyAsync(response);
        var token = body.GetProperty("access_token").GetString()!;
        Assert.Equal(3, token.Split('.').Length);
        Assert.Contains(token, cookie, StringComparison.Ordinal);
        Assert.Equal("Acme", body.GetProperty("organization").GetProperty("name").GetString());
        Assert.Equal(email.ToLowerInvariant(), body.GetProperty("user").GetProperty("email").GetString());
        var hash = await app.Database.ScalarAsync<string>("SELECT password_hash FROM metering.users WHERE email = @e", ("e", email.ToLowerInvariant()));
        Assert.DoesNotContain("a long secret", hash!, StringComparison.Ordinal);
        Assert.Equal(0x01, Convert.FromBase64String(hash!)[0]); // the framework's PBKDF2 format, version 3
    }

    [Fact]
    public async Task Given_https_Then_the_cookie_is_Secure()
    {
        var client = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = false });

        var response = await client.PostAsync($"{Base}/auth/signup",
            JsonHttp.RequestBody($$"""{"email": "tls-{{Guid.NewGuid():N}}@example.com", "password": "a long secret", "organization_name": "Acme"}"""));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Contains("secure", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Given_an_email_already_signed_up_Then_409_and_given_bad_fields_Then_400_naming_each()
    {
        var tenant = await app.SignUpAsync();

        var again = await Anonymous().PostAsync($"{Base}/auth/signup",
            JsonHttp.RequestBody($$"""{"email": "{{tenant.Email.ToUpperInvariant()}}", "password": "another secret", "organization_name": "Other"}"""));
        var bad = await Anonymous().PostAsync($"{Base}/auth/signup", JsonHttp.RequestBody("""{"email": "not-an-email", "password": "short"}"""));

        await Http.ProblemAsync(again, HttpStatusCode.Conflict);
        var errors = (await Http.ProblemAsync(bad, HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("password", out _));
        Assert.True(errors.TryGetProperty("organization_name", out _));
    }

    [Fact]
    public async Task Given_a_login_Then_the_cookie_and_the_bearer_token_both_open_me()
    {
        var tenant = await app.SignUpAsync();
        var client = app.CreateClient();

        var login = await client.PostAsync($"{Base}/auth/login", JsonHttp.RequestBody($$"""{"email": "{{tenant.Email}}", "password": "correct horse battery"}"""));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await JsonHttp.ReadBodyAsync(login)).GetProperty("access_token").GetString()!;

        var byCookie = await JsonHttp.ReadBodyAsync(await client.GetAsync($"{Base}/auth/me"));
        var byBearer = await JsonHttp.ReadBodyAsync(await Anonymous().WithBearer(token).GetAsync($"{Base}/auth/me"));
        Assert.Equal(tenant.OrganizationId, byCookie.GetProperty("organization").GetProperty("id").GetGuid());
        Assert.Equal(tenant.Email, byBearer.GetProperty("user").GetProperty("email").GetString());
    }

    [Fact]
    public async Task Given_no_token_a_forged_token_or_an_expired_one_Then_401_problem_json()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var tenant = await app.SignUpAsync();
        var parts = tenant.Token.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{new string('A', parts[2].Length)}";

        var none = await Anonymous().GetAsync($"{Base}/features");
        var bad = await Anonymous().WithBearer(forged).GetAsync($"{Base}/features");
        app.Clock.Advance(TimeSpan.FromHours(25));
        var expired = await Anonymous().WithBearer(tenant.Token).GetAsync($"{Base}/features");
        app.Clock.Set(MeteringApp.DefaultNow);

        await Http.ProblemAsync(none, HttpStatusCode.Unauthorized);
        await Http.ProblemAsync(bad, HttpStatusCode.Unauthorized);
        Assert.Contains("expired", (await Http.ProblemAsync(expired, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_logout_Then_the_token_stops_working_and_the_cookie_is_cleared()
    {
        var tenant = await app.SignUpAsync();

        var logout = await Anonymous().WithBearer(tenant.Token).PostAsync($"{Base}/auth/logout", null);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Contains("access_token=;", Assert.Single(logout.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
        var after = await Anonymous().WithBearer(tenant.Token).GetAsync($"{Base}/auth/me");
        await Http.ProblemAsync(after, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Given_repeated_wrong_passwords_Then_logins_are_slowed_then_refused_for_15_minutes()
    {
        app.Clock.Set(MeteringApp.DefaultNow);
        var tenant = await app.SignUpAsync();
        var client = Anonymous();
        var wrong = JsonHttp.RequestBody($$"""{"email": "{{tenant.Email}}", "password": "wrong password"}""");
        var durations = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            await Http.ProblemAsync(await client.PostAsync($"{Base}/auth/login", wrong), HttpStatusCode.Unauthorized);
            durations.Add(started.Elapsed);
        }

        var right = $$"""{"email": "{{tenant.Email}}", "password": "correct horse battery"}""";
        var locked = await client.PostAsync($"{Base}/auth/login", JsonHttp.RequestBody(right));
        app.Clock.Advance(TimeSpan.FromMinutes(16));
        var later = await client.PostAsync($"{Base}/auth/login", JsonHttp.RequestBody(right));
        app.Clock.Set(MeteringApp.DefaultNow);

        Assert.True(durations[4] >= TimeSpan.FromMilliseconds(1400), $"the 5th attempt took {durations[4]}");
        var problem = await Http.ProblemAsync(locked, HttpStatusCode.TooManyRequests);
        Assert.Equal("LOGIN_LOCKED", problem.GetProperty("code").GetString());
        Assert.NotNull(locked.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }
}
