using System.Globalization;
using FluxSuite.BuildingBlocks.Errors;
using Microsoft.Extensions.Primitives;

namespace FluxSuite.Metering.Pages.Metering;

/// <summary>
/// Reads a dashboard form into an API request. A form sends text: an empty field is "not given" (the
/// API then says what it requires), and a value that is not the number, id or time the API takes is
/// reported in the API's own words before the handler runs.
/// </summary>
internal sealed class FormReader(Func<string, StringValues> values)
{
    public FormReader(IFormCollection form)
        : this(name => form[name])
    {
    }

    /// <summary>A GET form: the same reading of the query string.</summary>
    public FormReader(IQueryCollection query)
        : this(name => query[name])
    {
    }

    private readonly FieldErrors _errors = new();

    public ApiError? Problems => _errors.Any ? _errors.ToApiError() : null;

    public string? Text(string name) => values(name).ToString() is { Length: > 0 } text && !string.IsNullOrWhiteSpace(text) ? text : null;

    public IReadOnlyList<string> All(string name) => [.. values(name).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!)];

    public decimal? Decimal(string name) => Decimal(Text(name), name);

    /// <summary>A number typed into a field, its problem reported under <paramref name="field"/> (the API's name for it).</summary>
    public decimal? Decimal(string? text, string field)
    {
        if (text is null)
        {
            return null;
        }

        if (decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        Add(field, "expected a number.");
        return null;
    }

    public Guid? Id(string name)
    {
        var text = Text(name)?.Trim();
        if (text is null)
        {
            return null;
        }

        if (Guid.TryParse(text, out var id))
        {
            return id;
        }

        Add(name, "expected a UUID.");
        return null;
    }

    /// <summary>A <c>datetime-local</c> or <c>date</c> field, read as UTC (the dashboard says so next to the field).</summary>
    public DateTimeOffset? Time(string name)
    {
        var text = Text(name)?.Trim();
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return at;
        }

        Add(name, "expected a date and time such as 2025-01-01T00:00.");
        return null;
    }

    public void Add(string field, string problem) => _errors.Add(field, problem);
}
