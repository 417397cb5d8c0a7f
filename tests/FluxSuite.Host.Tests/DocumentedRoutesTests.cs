using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace FluxSuite.Host.Tests;

/// <summary>
/// Every <c>METHOD /path</c> that the README and the module docs name is a route the host serves, so a
/// newcomer following them never meets a 404 the docs caused. The README names full paths; a module doc
/// may also name paths relative to the base it gives in its first lines.
/// </summary>
[Collection(HostCollection.Name)]
public sealed partial class DocumentedRoutesTests(HostApp app)
{
    private static readonly Dictionary<string, string[]> Bases = new(StringComparer.Ordinal)
    {
        ["README.md"] = [string.Empty],
        ["docs/listings.md"] = [string.Empty],
        ["docs/reseller.md"] = [string.Empty, "/api/v1"],
        ["docs/metering.md"] = [string.Empty, "/metering/api/v1"],
        ["docs/webhooks.md"] = [string.Empty, "/metering/api/v1", "/api/v1"],
    };

    public static TheoryData<string> Documents => new(Bases.Keys);

    [Theory]
    [MemberData(nameof(Documents))]
    public void Given_a_document_Then_every_route_it_names_is_served_by_the_host(string document)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), document));
        var named = NamedRoute().Matches(text).Select(m => (Method: m.Groups[1].Value, Path: m.Groups[2].Value.Split('?')[0].TrimEnd('.', ':'))).Distinct().ToList();
        var routes = Routes();

        Assert.NotEmpty(named);
        var missing = named.Where(r => !Bases[document].Any(b => IsServed(routes, r.Method, b + r.Path))).Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.True(missing.Count == 0, $"{document} names routes the host does not serve: {string.Join(", ", missing)}");
    }

    [Theory]
    [InlineData("GET", "/api/v1/proxies/pools", true)]
    [InlineData("GET", "/api/v1/pools", false)]
    [InlineData("PATCH", "/api/providers/acme", true)]
    [InlineData("PATCH", "/api/providers/{slug}", true)]
    [InlineData("DELETE", "/api/providers/acme", false)]
    [InlineData("GET", "/api/providers/acme/nothing-here", false)]
    [InlineData("POST", "/metering/api/v1/invoices/{id}/finalize", true)]
    public void Given_a_named_route_Then_it_counts_as_served_only_when_method_and_path_match_a_route(string method, string path, bool served) =>
        Assert.Equal(served, IsServed(Routes(), method, path));

    private List<(RoutePattern Pattern, IReadOnlyList<string>? Methods)> Routes() =>
        [.. app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (e.RoutePattern, e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods))];

    private static bool IsServed(List<(RoutePattern Pattern, IReadOnlyList<string>? Methods)> routes, string method, string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return routes.Any(r => (r.Methods is null || r.Methods.Contains(method, StringComparer.OrdinalIgnoreCase)) && Matches(r.Pattern, segments));
    }

    /// <summary>A literal matches itself (case-insensitively); a parameter matches any one segment, a documented <c>{name}</c> included.</summary>
    private static bool Matches(RoutePattern pattern, string[] segments)
    {
        var i = 0;
        foreach (var segment in pattern.PathSegments)
        {
            if (segment.Parts is [RoutePatternParameterPart { IsCatchAll: true }])
            {
                return true;
            }

            if (i == segments.Length)
            {
                return segment.Parts is [RoutePatternParameterPart { IsOptional: true }];
            }

            var documented = segments[i++];
            var matches = segment.IsSimple && segment.Parts[0] is RoutePatternLiteralPart literal
                ? string.Equals(literal.Content, documented, StringComparison.OrdinalIgnoreCase)
                : segment.Parts.Any(p => p is RoutePatternParameterPart);
            if (!matches)
            {
                return false;
            }
        }

        return i == segments.Length;
    }

    [GeneratedRegex(@"\b(GET|POST|PUT|PATCH|DELETE) (/[^\s`""'()<>,;|]*)")]
    private static partial Regex NamedRoute();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FluxSuite.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("FluxSuite.sln not found above " + AppContext.BaseDirectory);
    }
}
