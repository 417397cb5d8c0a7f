using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class ErrorHandlingTests(HostApp app)
{
    private readonly HttpClient _client = app.CreateClient();

    [Fact]
    public async Task Given_an_unhandled_exception_on_a_listings_route_Then_500_in_the_listings_envelope_without_internals()
    {
        var response = await _client.GetAsync("/api/providers/__probe/throw");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        using var body = JsonDocument.Parse(text);
        Assert.Equal("error", body.RootElement.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(body.RootElement.GetProperty("message").GetString()));
        Assert.Equal(TraceHeader(response), body.RootElement.GetProperty("traceId").GetString());
        AssertNoInternals(text);
    }

    [Fact]
    public async Task Given_an_unhandled_exception_on_a_reseller_route_Then_500_INTERNAL_ERROR_in_the_reseller_envelope()
    {
        var response = await _client.GetAsync("/api/v1/__probe/throw");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        using var body = JsonDocument.Parse(text);
        Assert.False(body.RootElement.GetProperty("success").GetBoolean());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("INTERNAL_ERROR", error.GetProperty("code").GetString());
        Assert.Equal(TraceHeader(response), error.GetProperty("trace_id").GetString());
        AssertNoInternals(text);
    }

    [Fact]
    public async Task Given_an_unhandled_exception_on_a_metering_route_Then_500_as_problem_json()
    {
        var response = await _client.GetAsync("/metering/api/v1/__probe/throw");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        using var body = JsonDocument.Parse(text);
        Assert.Equal(500, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("INTERNAL_ERROR", body.RootElement.GetProperty("code").GetString());
        Assert.Equal(TraceHeader(response), body.RootElement.GetProperty("trace_id").GetString());
        AssertNoInternals(text);
    }

    [Fact]
    public async Task Given_an_unhandled_exception_Then_it_is_logged_with_the_exception()
    {
        var response = await _client.GetAsync("/api/v1/__probe/throw");

        var trace = TraceHeader(response);
        Assert.Contains(app.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error
                                               && e.Exception is not null && e.Exception.Contains("secret internal detail", StringComparison.Ordinal));
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("responded 500", StringComparison.Ordinal) && e.Message.Contains(trace, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/api/providers/__probe/echo")]
    [InlineData("/api/v1/__probe/echo")]
    [InlineData("/metering/api/v1/__probe/echo")]
    public async Task Given_malformed_JSON_Then_400_that_says_the_JSON_is_malformed(string path)
    {
        var response = await _client.PostAsync(path, JsonHttp.RequestBody("""{"name": "a", "count": }"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("Malformed JSON", text, StringComparison.Ordinal);
        Assert.Contains("count", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_wrong_JSON_type_Then_400_naming_the_field_and_the_expected_type()
    {
        var response = await _client.PostAsync("/api/providers/__probe/echo", JsonHttp.RequestBody("""{"name": "a", "count": "many"}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var problems = body.RootElement.GetProperty("errors").GetProperty("count");
        Assert.Equal("expected an integer.", problems[0].GetString());
        Assert.Contains("count", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_wrong_type_inside_an_array_Then_400_names_the_element()
    {
        var response = await _client.PostAsync("/api/v1/__probe/echo", JsonHttp.RequestBody("""{"name": "a", "count": 1, "items": [{"price": 1}, {"price": true}]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("VALIDATION_ERROR", error.GetProperty("code").GetString());
        Assert.Equal("expected a number.", error.GetProperty("details").GetProperty("items[1].price")[0].GetString());
    }

    [Fact]
    public async Task Given_a_body_over_1_MiB_with_a_length_Then_400_naming_the_limit()
    {
        var response = await _client.PostAsync("/api/providers/__probe/echo", JsonHttp.RequestBody(OversizedJson()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_chunked_body_over_1_MiB_Then_400_naming_the_limit()
    {
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(OversizedJson())));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/__probe/echo") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("too large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_body_just_under_the_limit_Then_it_is_accepted()
    {
        var name = new string('x', (1024 * 1024) - 100);
        var response = await _client.PostAsync("/api/providers/__probe/echo", JsonHttp.RequestBody($$"""{"name":"{{name}}","count":1}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Given_no_body_Then_400_saying_a_body_is_required()
    {
        var response = await _client.PostAsync("/api/providers/__probe/echo", JsonHttp.RequestBody(string.Empty));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("body is required", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_body_that_is_not_JSON_Then_415_asking_for_JSON()
    {
        var response = await _client.PostAsync("/api/providers/__probe/echo", new StringContent("name=a", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_query_value_of_the_wrong_type_Then_400_naming_the_parameter()
    {
        var response = await _client.GetAsync("/api/v1/__probe/page?page=abc");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("page", text, StringComparison.Ordinal);
        Assert.Contains("abc", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/providers/no-such/thing/here", "status")]
    [InlineData("/api/v1/no-such-route", "success")]
    [InlineData("/metering/api/v1/no-such-route", "detail")]
    public async Task Given_an_unknown_route_Then_404_in_the_owning_modules_format(string path, string member)
    {
        var response = await _client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(body.RootElement.TryGetProperty(member, out _));
    }


    private static string OversizedJson() => $$"""{"name":"{{new string('x', 1024 * 1024)}}","count":1}""";

    private static string TraceHeader(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("X-Trace-Id"));

    private static void AssertNoInternals(string body)
    {
        Assert.DoesNotContain("secret internal detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
    }
}
