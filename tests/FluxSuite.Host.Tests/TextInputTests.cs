using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Host.Tests;

/// <summary>
/// The NUL character, which PostgreSQL cannot store in text, is refused with a 400 naming the parameter
/// or field in every module's format, wherever it comes (query, JSON value, nested field); a literal
/// backslash-u text is not a NUL and is kept. Pages far past the end are empty, not a 500.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class TextInputTests(HostApp app)
{
    [Fact]
    public async Task Given_a_NUL_in_listings_input_Then_400_naming_the_field_or_parameter()
    {
        var admin = app.CreateAdminClient();

        var body = await admin.PostAsync("/admin/providers", JsonHttp.RequestBody("""{"slug":"nul-one","name":"Acme\u0000Hosting"}"""));
        var nested = await admin.PostAsync("/admin/providers",
            JsonHttp.RequestBody("""{"slug":"nul-two","name":"Acme","tiers":[{"tier":"nimbus","price":1,"planName":"ok"},{"tier":"stratus","price":2,"planName":"a\u0000"}]}"""));
        var query = await app.CreateClient().GetAsync("/api/providers?country=%00");

        await AssertListingsFieldAsync(body, "name");
        await AssertListingsFieldAsync(nested, "tiers[1].planName");
        await AssertListingsFieldAsync(query, "country");
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/api/providers/nul-one")).StatusCode);
    }

    [Fact]
    public async Task Given_a_literal_backslash_u0000_text_Then_it_is_not_a_NUL_and_is_stored_as_sent()
    {
        var created = await app.CreateAdminClient().PostAsync("/admin/providers", JsonHttp.RequestBody("""{"slug":"nul-literal","name":"back\\u0000slash"}"""));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var listing = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/providers/nul-literal"));
        Assert.Equal("back\\u0000slash", listing.RootElement.GetProperty("data").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Given_a_NUL_in_reseller_input_Then_400_with_the_reseller_error_naming_the_field()
    {
        var admin = app.CreateAdminClient();
        var created = await admin.PostAsync("/admin/resellers", JsonHttp.RequestBody("""{"name":"Acme\u0000","email":"ops@acme.example"}"""));
        var ok = await admin.PostAsJsonAsync("/admin/resellers", new { name = "Acme", email = "ops@acme.example" });
        using var reseller = JsonDocument.Parse(await ok.Content.ReadAsStringAsync());
        var key = reseller.RootElement.GetProperty("data").GetProperty("live_key").GetString()!;

        var query = await app.Factory.CreateBearerClient(key).GetAsync("/api/v1/proxies/pools?country=%00");

        foreach (var (response, field) in new[] { (created, "name"), (query, "country") })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.False(error.RootElement.GetProperty("success").GetBoolean());
            Assert.StartsWith($"{field}: must not contain the NUL character", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Given_a_NUL_in_metering_input_Then_400_problem_json_naming_the_field()
    {
        var response = await app.CreateClient().PostAsync("/metering/api/v1/auth/signup",
            JsonHttp.RequestBody("""{"email":"nul@example.com","password":"correct horse battery","organization_name":"Acme\u0000"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("organization_name: must not contain the NUL character", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_page_far_past_the_end_Then_an_empty_page_not_an_overflow()
    {
        var admin = app.CreateAdminClient();
        await admin.PostAsync("/admin/providers", JsonHttp.RequestBody("""{"slug":"far-pages","name":"Far"}"""));

        var response = await admin.GetAsync("/admin/providers/far-pages/history?page=2147483647&pageSize=500");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Empty(body.RootElement.GetProperty("data").GetProperty("changes").EnumerateArray());
        Assert.Equal(2147483647, body.RootElement.GetProperty("data").GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task Given_a_body_of_unknown_length_larger_than_the_first_buffer_Then_the_endpoint_reads_it_whole_and_a_late_NUL_is_found()
    {
        // 9,000 two-byte characters: an 18 KB body sent without Content-Length (chunked), past the guard's first 16 KB.
        var text = new string('é', 9_000);
        var admin = app.CreateAdminClient();

        var created = await admin.PostAsync("/admin/providers", new UnknownLengthContent($$"""{"slug":"chunked-long","name":"Long","longDescription":"{{text}}"}"""));
        var refused = await admin.PostAsync("/admin/providers", new UnknownLengthContent($$"""{"slug":"chunked-nul","longDescription":"{{text}}","name":"A\u0000"}"""));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var listing = JsonDocument.Parse(await app.CreateClient().GetStringAsync("/api/providers/chunked-long"));
        Assert.Equal(text, listing.RootElement.GetProperty("data").GetProperty("longDescription").GetString());
        await AssertListingsFieldAsync(refused, "name");
    }

    /// <summary>A JSON body whose length is not declared, so it goes as chunked transfer encoding.</summary>
    private sealed class UnknownLengthContent : HttpContent
    {
        private readonly byte[] _bytes;

        public UnknownLengthContent(string json)
        {
            _bytes = Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static async Task AssertListingsFieldAsync(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", error.RootElement.GetProperty("status").GetString());
        Assert.StartsWith($"{field}: must not contain the NUL character", error.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(error.RootElement.GetProperty("errors").TryGetProperty(field, out _), error.RootElement.ToString());
    }

}
