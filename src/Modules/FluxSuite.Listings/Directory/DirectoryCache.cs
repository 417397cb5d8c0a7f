using System.Collections.Concurrent;
using System.Text.Json;
using FluxSuite.BuildingBlocks.Endpoints;
using FluxSuite.BuildingBlocks.Persistence;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FluxSuite.Listings.Directory;

/// <summary>
/// The directory's pages as this instance last wrote them, by path and query, each with the directory
/// version it was read at. The version (the sum of <c>listings.directory_versions</c>, moved on by a trigger
/// in the transaction of every write to a listing) is read before the listings, so a kept page is never
/// older than the version it is kept under, and any committed write, whichever instance or job made it,
/// changes the version every instance reads next.
/// </summary>
internal sealed class DirectoryCache(IOptions<ListingsOptions> options, PooledStatements statements)
{
    // A plain statement on the shared pool rather than an EF query: it runs before every directory read, and
    // EF's query pipeline (and leasing a context) cost the host more than the round trip itself. Prepared once per
    // connection (PooledStatements): as a plain command PostgreSQL planned it on every read.
    private const string VersionSql = "SELECT COALESCE(sum(version), 0)::bigint FROM listings.directory_versions";

    private readonly ConcurrentDictionary<string, Page> _pages = new(StringComparer.Ordinal);
    private readonly long _maxBytes = options.Value.DirectoryCache.MaxBytes;
    private long _bytes;

    internal sealed record Page(long Version, byte[] Body);

    public async Task<long> ReadVersionAsync(CancellationToken cancellationToken)
    {
        await using var reader = await statements.ExecuteReaderAsync(VersionSql, [], cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetInt64(0);
    }

    public byte[]? Find(string key, long version) =>
        _pages.TryGetValue(key, out var page) && page.Version == version ? page.Body : null;

    public void Keep(string key, long version, byte[] body)
    {
        var old = _pages.GetValueOrDefault(key);
        if (_maxBytes <= 0 || body.Length > _maxBytes || old?.Version >= version)
        {
            return;
        }

        // The weight is counted loosely under concurrent writers; it only decides when to start again.
        if (Interlocked.Add(ref _bytes, body.Length - (old?.Body.Length ?? 0)) > _maxBytes)
        {
            // Full: start again rather than track which page is least used; pages are cheap to remake.
            _pages.Clear();
            Interlocked.Exchange(ref _bytes, body.Length);
        }

        _pages[key] = new Page(version, body);
    }
}

/// <summary>
/// The directory's GET routes: a weak <c>ETag</c> from the directory version, 304 for a matching
/// <c>If-None-Match</c>, and the kept page when nothing was written since it was made.
/// </summary>
internal sealed class DirectoryCacheFilter(DirectoryCache cache) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var version = await cache.ReadVersionAsync(http.RequestAborted);
        var etag = new EntityTagHeaderValue($"\"{version:x}\"", isWeak: true);
        http.Response.Headers.ETag = etag.ToString();
        // Shared caches and browsers may keep the page, but must ask again each time (and get a 304).
        http.Response.Headers.CacheControl = "no-cache";
        if (Matches(http.Request.GetTypedHeaders().IfNoneMatch, etag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var key = http.Request.Path + http.Request.QueryString;
        if (cache.Find(key, version) is { } kept)
        {
            return new KeptPage(kept);
        }

        var result = await next(context);
        if (result is IValueHttpResult { Value: { } value } and IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK })
        {
            var body = JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), ApiWireFormat.JsonOptionsFor(http));
            cache.Keep(key, version, body);
            return new KeptPage(body);
        }

        return result;
    }

    private static bool Matches(IList<EntityTagHeaderValue> ifNoneMatch, EntityTagHeaderValue etag) =>
        ifNoneMatch.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(etag, useStrongComparison: false));

    /// <summary>A page's JSON as it was written when it was kept.</summary>
    private sealed class KeptPage(byte[] body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            httpContext.Response.ContentLength = body.Length;
            return httpContext.Response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
        }
    }
}
