using FluxSuite.BuildingBlocks.Errors;

namespace FluxSuite.Listings.Api;

/// <summary>Problems collected per wire field while a whole body is checked, so one answer names them all.</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public IEnumerable<string> Fields => _errors.Keys;

    public void Add(string field, string problem)
    {
        if (!_errors.TryGetValue(field, out var problems))
        {
            problems = [];
            _errors[field] = problems;
        }

        if (!problems.Contains(problem))
        {
            problems.Add(problem);
        }
    }

    /// <summary>"field: problem" pairs in one sentence list, e.g. for a pull run's recorded error.</summary>
    public string Describe() =>
        string.Join(" ", _errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"));

    public ApiError ToApiError() =>
        ApiError.Validation(Describe(), _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
}
