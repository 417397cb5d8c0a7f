using FluxSuite.Listings.Data;
using FluxSuite.Listings.Providers;
using Microsoft.EntityFrameworkCore;

namespace FluxSuite.Listings.Tests;

/// <summary>
/// The field table (<see cref="ListingFields"/>) is where a listing field is described: wire name, rule,
/// who may write it, and the length of its column. The view (the answer's contract) names the fields once
/// more as a typed record; these tests keep the three in step.
/// </summary>
public sealed class FieldTableTests
{
    [Fact]
    public void Given_the_field_table_Then_the_view_shows_every_field_it_names_and_the_directory_s_own_timestamps_and_nothing_else()
    {
        var viewFields = typeof(ProviderView).GetProperties().Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name));

        Assert.Equal(ListingFields.All.Select(f => f.Name).Concat(ListingFields.ReadOnly).Order(), viewFields.Order());
    }

    [Fact]
    public void Given_the_field_table_Then_each_text_column_is_as_long_as_the_field_s_rule_allows()
    {
        using var db = new ListingsDbContext(new DbContextOptionsBuilder<ListingsDbContext>().UseNpgsql("Host=127.0.0.1").Options);
        var entity = db.Model.FindEntityType(typeof(Provider))!;

        var texts = ListingFields.All.Where(f => f.Schema.MaxLength is not null).ToList();
        Assert.Contains(texts, f => f.Name == "longDescription");
        Assert.All(texts, field => Assert.Equal(field.Schema.MaxLength, entity.FindProperty(field.Property.Name)!.GetMaxLength()));
        Assert.Equal(10_000, entity.FindProperty(nameof(Provider.LongDescription))!.GetMaxLength());
    }

    [Fact]
    public void Given_a_field_Then_it_reads_and_writes_the_property_its_expression_names()
    {
        var provider = new Provider { Name = "Before" };
        var name = ListingFields.Find("name")!;
        var nodes = ListingFields.Find("totalNodes")!;
        var languages = ListingFields.Find("languages")!;

        name.Set(provider, "After");
        nodes.Set(provider, 42);

        Assert.Equal("After", provider.Name);
        Assert.Equal(42, nodes.Get(provider));
        Assert.True(languages.Same(new List<string> { "en", "de" }, new List<string> { "en", "de" }));
        Assert.False(languages.Same(new List<string> { "en", "de" }, new List<string> { "de", "en" }));
    }
}
