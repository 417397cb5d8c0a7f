using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluxSuite.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FluxSuite.Listings.Tests;

/// <summary>The host for the Listings tests: key use is written quickly and pulls time out after 1 s.</summary>
public class ListingsApp : FluxSuiteApp
{
    public const string PullTimeout = "00:00:01";

    public CapturedLogs Logs { get; } = new();

    /// <summary>Warnings and errors logged so far, for failure messages.</summary>
    public string Problems => string.Join("\n", Logs.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Category}: {e.AllText}"));

    protected override void Configure(FluxSuiteFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        // The dispatcher runs when a test triggers it, never on its own schedule in the middle of a test's manual runs.
        factory.WithSetting($"Scheduler:Jobs:{Jobs.PullDispatchJob.Id}", "never")
            .WithSetting("Listings:Pull:Timeout", PullTimeout)
            .WithServices(services => services.AddSingleton<ILoggerProvider>(Logs));
    }

    public Task ResetAsync() => Database.TruncateAsync("listings");

    /// <summary>Lists a provider through the operator API; <paramref name="fields"/> is a JSON object's members without braces.</summary>
    public async Task<JsonElement> CreateProviderAsync(string slug, string fields = "")
    {
        var name = fields.Contains("\"name\"", StringComparison.Ordinal) ? string.Empty : $",\"name\":\"Provider {slug}\"";
        var body = $$"""{"slug":"{{slug}}"{{name}}{{(fields.Length > 0 ? "," + fields : string.Empty)}}}""";
        var response = await CreateAdminClient().PostAsync("/admin/providers", JsonHttp.RequestBody(body));
        var created = await JsonHttp.ReadBodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, created.ToString());
        return created.GetProperty("data");
    }

    /// <summary>Issues a key through the operator API and returns it.</summary>
    public async Task<string> IssueKeyAsync(string slug)
    {
        var response = await CreateAdminClient().PostAsync($"/admin/providers/{slug}/keys", null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await JsonHttp.ReadBodyAsync(response)).GetProperty("data").GetProperty("key").GetString()!;
    }

    /// <summary>A provider with a key: the client sends that key.</summary>
    public async Task<HttpClient> ProviderClientAsync(string slug, string fields = "")
    {
        await CreateProviderAsync(slug, fields);
        return Factory.CreateBearerClient(await IssueKeyAsync(slug));
    }


    public static Task<HttpResponseMessage> PatchAsync(HttpClient client, string slug, string json)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PatchAsync($"/api/providers/{slug}", JsonHttp.RequestBody(json));
    }

    public static Task<HttpResponseMessage> PutJsonAsync<T>(HttpClient client, string path, T body)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.PutAsJsonAsync(path, body);
    }
}

[CollectionDefinition(Name)]
public sealed class ListingsCollection : ICollectionFixture<ListingsApp>
{
    public const string Name = "listings";
}
