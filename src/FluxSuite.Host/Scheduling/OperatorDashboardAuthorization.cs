using System.Net.Http.Headers;
using System.Text;
using FluxSuite.BuildingBlocks.OpenApi;
using FluxSuite.BuildingBlocks.Security;
using FluxSuite.Host.Operators;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace FluxSuite.Host;

/// <summary>
/// The Hangfire dashboard is for operators: the operator key as the password of HTTP Basic (any user
/// name), so a browser's own sign-in prompt works, or in <c>X-Admin-Key</c> for tools. Anything else is
/// a 401 with a Basic challenge, never the dashboard. Because a browser resends Basic credentials by
/// itself, the dashboard's actions also need its antiforgery token (Hangfire checks it when
/// <c>IAntiforgery</c> is registered), so another site cannot make an operator's browser post to it.
/// </summary>
internal sealed class OperatorDashboardAuthorization(IOptionsMonitor<AdminOptions> options) : IDashboardAsyncAuthorizationFilter
{
    public const string Realm = "FluxSuite operators";

    public Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var expected = options.CurrentValue.ApiKey;
        if (!string.IsNullOrEmpty(expected) && KeyHash.FixedTimeEquals(PresentedKey(http.Request), expected))
        {
            return Task.FromResult(true);
        }

        http.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\", charset=\"UTF-8\"";
        http.Response.Headers.CacheControl = "no-store";
        return Task.FromResult(false);
    }

    private static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers[OperatorSecurity.HeaderName] is { Count: 1 } header)
        {
            return header[0];
        }

        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var authorization)
            || !string.Equals(authorization.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || authorization.Parameter is null)
        {
            return null;
        }

        try
        {
            var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(authorization.Parameter));
            var colon = credentials.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : credentials[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
