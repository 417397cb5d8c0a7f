using System.Globalization;
using System.Text;

namespace FluxSuite.Reseller.Geo;

internal sealed record Country(string Code, string Name);

internal sealed record State(string CountryCode, string Code, string Name);

internal sealed record City(string CountryCode, string StateCode, string Name);

internal sealed record MobileAsn(string CountryCode, int Number, string Name);

/// <summary>
/// The geo targeting data shipped in the module (<c>Geo/Data/*.tsv</c>, embedded): ISO 3166 countries, the top-level
/// subdivisions and main cities of the countries with state targeting, and mobile networks' ASNs. Loaded once and
/// checked on load (a city of an unknown state is a build-breaking mistake, not a silent gap).
/// </summary>
internal sealed class GeoCatalog
{
    private GeoCatalog(IReadOnlyList<Country> countries, IReadOnlyList<State> states, IReadOnlyList<City> cities, IReadOnlyList<MobileAsn> asns)
    {
        Countries = countries;
        CountriesByCode = countries.ToDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase);
        States = states.GroupBy(s => s.CountryCode).ToDictionary(g => g.Key, g => (IReadOnlyList<State>)[.. g.OrderBy(s => s.Name, StringComparer.Ordinal)]);
        Cities = cities.GroupBy(c => c.CountryCode).ToDictionary(g => g.Key, g => (IReadOnlyList<City>)[.. g.OrderBy(c => c.Name, StringComparer.Ordinal)]);
        Asns = asns.GroupBy(a => a.CountryCode).ToDictionary(g => g.Key, g => (IReadOnlyList<MobileAsn>)[.. g]);
    }

    public static GeoCatalog Instance { get; } = Load();

    public IReadOnlyList<Country> Countries { get; }

    public IReadOnlyDictionary<string, Country> CountriesByCode { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<State>> States { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<City>> Cities { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<MobileAsn>> Asns { get; }

    /// <summary>A country by its ISO code, any case; <c>UK</c> is accepted for GB, as the reference's own examples use it.</summary>
    public Country? FindCountry(string code) =>
        CountriesByCode.GetValueOrDefault(string.Equals(code, "UK", StringComparison.OrdinalIgnoreCase) ? "GB" : code);

    public IReadOnlyList<State> StatesOf(string country) => States.GetValueOrDefault(country) ?? [];

    public IReadOnlyList<City> CitiesOf(string country) => Cities.GetValueOrDefault(country) ?? [];

    public IReadOnlyList<MobileAsn> AsnsOf(string country) => Asns.GetValueOrDefault(country) ?? [];

    /// <summary>How a name is written in a username: lower-case letters and digits only (<c>Los Angeles</c> → <c>losangeles</c>).</summary>
    public static string Slug(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                text.Append(char.ToLowerInvariant(c));
            }
        }

        return text.ToString();
    }

    private static GeoCatalog Load()
    {
        var countries = Rows("countries.tsv", 2).Select(r => new Country(r[0], r[1])).ToList();
        var known = countries.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        var states = Rows("states.tsv", 3).Select(r => new State(r[0], r[1], r[2])).ToList();
        var stateKeys = states.Select(s => (s.CountryCode, s.Code)).ToHashSet();
        var cities = Rows("cities.tsv", 3).Select(r => new City(r[0], r[1], r[2])).ToList();
        var asns = Rows("asn.tsv", 3).Select(r => new MobileAsn(r[0], int.Parse(r[1], CultureInfo.InvariantCulture), r[2])).ToList();
        var unknown = states.Select(s => s.CountryCode).Concat(asns.Select(a => a.CountryCode)).Where(c => !known.Contains(c))
            .Concat(cities.Where(c => !stateKeys.Contains((c.CountryCode, c.StateCode))).Select(c => $"{c.CountryCode}-{c.StateCode} ({c.Name})"))
            .ToList();
        return unknown.Count == 0
            ? new GeoCatalog(countries, states, cities, asns)
            : throw new InvalidOperationException($"Geo data refers to unknown countries or states: {string.Join(", ", unknown)}.");
    }

    private static IEnumerable<string[]> Rows(string file, int columns)
    {
        using var stream = typeof(GeoCatalog).Assembly.GetManifestResourceStream("geo/" + file)
                           ?? throw new InvalidOperationException($"The geo data file {file} is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('\t');
            rows.Add(fields.Length == columns ? fields : throw new InvalidOperationException($"{file}: '{line}' does not have {columns} columns."));
        }

        return rows;
    }
}
