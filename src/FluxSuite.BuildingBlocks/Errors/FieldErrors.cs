namespace FluxSuite.BuildingBlocks.Errors;

/// <summary>
/// Problems collected per wire field while a whole request is checked, so that one 400 names them all.
/// Every module's hand-written checks use it; its Message methods are the one "field: problem" format.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public IEnumerable<string> Fields => _errors.Keys;

    /// <summary>Adds a problem to a field; the same problem twice is kept once.</summary>
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

    /// <summary>Each named field that is present is an error: it does not apply <paramref name="to"/> ("to FIXED charges").</summary>
    public void NotApplicable(string to, params (string Field, object? Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var (field, value) in fields)
        {
            if (value is not null)
            {
                Add(field, $"does not apply {to}.");
            }
        }
    }

    /// <summary>Refuses the request with <see cref="ToApiError"/> when any field has a problem.</summary>
    public void ThrowIfAny()
    {
        if (Any)
        {
            throw new ApiErrorException(ToApiError());
        }
    }

    /// <summary>The problems as one sentence list, e.g. for a pull run's recorded error.</summary>
    public string Describe() => Message(_errors.Select(e => (e.Key, (IEnumerable<string>)e.Value)));

    /// <summary>The 400 that names every field and carries each field's problems.</summary>
    public ApiError ToApiError() =>
        ApiError.Validation(Describe(), _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));

    /// <summary>The one message format: <c>field: problem problem field: problem</c>.</summary>
    public static string Message(IEnumerable<KeyValuePair<string, string[]>> errors) =>
        Message(errors.Select(e => (e.Key, (IEnumerable<string>)e.Value)));

    /// <summary>The message for a single field's problem.</summary>
    public static string Message(string field, string problem) => $"{field}: {problem}";

    private static string Message(IEnumerable<(string Field, IEnumerable<string> Problems)> errors) =>
        string.Join(" ", errors.Select(e => Message(e.Field, string.Join(" ", e.Problems))));
}
