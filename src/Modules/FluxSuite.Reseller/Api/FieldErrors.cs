using FluxSuite.BuildingBlocks.Errors;

namespace FluxSuite.Reseller.Api;

/// <summary>Collects per-field problems of a hand-validated request, then throws one 400 naming them all.</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string problem)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(problem);
    }

    /// <summary>Each named field that is present is an error: it does not apply here.</summary>
    public void NotApplicable(string why, params (string Field, object? Value)[] fields)
    {
        foreach (var (field, value) in fields)
        {
            if (value is not null)
            {
                Add(field, $"does not apply {why}.");
            }
        }
    }

    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new ResellerRuleException(ApiError.Validation(
                string.Join(" ", _errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
                _errors.ToDictionary(e => e.Key, e => e.Value.ToArray())));
        }
    }
}
