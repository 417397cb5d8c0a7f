using System.Net;
using System.Text.Json;
using FluxSuite.Testing;

namespace FluxSuite.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class OperatorKeyTests(HostApp app)
{
    [Theory]
    [InlineData("/admin/providers")]
    [InlineData("/admin/resellers")]
    [InlineData("/admin/anything-at-all")]
    public async Task Given_no_operator_key_Then_every_admin_path_is_401(string path)
    {
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("X-Admin-Key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Given_a_wrong_operator_key_Then_401_in_the_owning_modules_format()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", FluxSuiteFactory.AdminKey + "x");

        var listings = await client.PostAsync("/admin/providers", null);
        var reseller = await client.PostAsync("/admin/resellers", null);

        Assert.Equal(HttpStatusCode.Unauthorized, listings.StatusCode);
        using (var body = JsonDocument.Parse(await listings.Content.ReadAsStringAsync()))
        {
            Assert.Equal("error", body.RootElement.GetProperty("status").GetString());
        }

        Assert.Equal(HttpStatusCode.Unauthorized, reseller.StatusCode);
        using (var body = JsonDocument.Parse(await reseller.Content.ReadAsStringAsync()))
        {
            Assert.Equal("UNAUTHORIZED", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task Given_the_key_in_another_case_or_with_padding_Then_401()
    {
        foreach (var near in new[] { FluxSuiteFactory.AdminKey.ToUpperInvariant(), " " + FluxSuiteFactory.AdminKey, FluxSuiteFactory.AdminKey[..^1] })
        {
            var client = app.CreateClient();
            client.DefaultRequestHeaders.TryAddWithoutValidation("X-Admin-Key", near);

            var response = await client.GetAsync("/admin/providers");

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task Given_the_right_key_Then_the_request_passes_the_guard()
    {
        // No module maps this path, so getting past the guard means routing answers 404.
        var response = await app.CreateAdminClient().GetAsync("/admin/no-such-operator-route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Given_a_path_that_only_starts_with_admin_Then_it_is_not_guarded()
    {
        var response = await app.CreateClient().GetAsync("/administrators");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
