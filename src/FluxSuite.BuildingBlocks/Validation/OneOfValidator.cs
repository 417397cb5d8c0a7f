using FluentValidation;
using FluentValidation.Validators;

namespace FluxSuite.BuildingBlocks.Validation;

/// <summary>A rule whose value must be one of a fixed set of strings (null is not one of them).</summary>
public interface IOneOfValidator
{
    IReadOnlyList<string> Values { get; }
}

/// <summary>
/// Refuses a value that is not exactly one of <see cref="Values"/>. Unlike a <c>Must</c> lambda, the set can
/// be read back, so the OpenAPI documents state it (as an enum of a required, non-null field).
/// </summary>
public sealed class OneOfValidator<T>(IReadOnlyList<string> values) : PropertyValidator<T, string?>, IOneOfValidator
{
    public IReadOnlyList<string> Values { get; } = values;

    public override string Name => "OneOfValidator";

    public override bool IsValid(ValidationContext<T> context, string? value) => value is not null && Values.Contains(value, StringComparer.Ordinal);

    protected override string GetDefaultMessageTemplate(string errorCode) => "must be one of " + string.Join(", ", Values) + ".";
}

public static class OneOfRule
{
    /// <summary>The value must be one of <paramref name="values"/> (compared exactly).</summary>
    public static IRuleBuilderOptions<T, string?> OneOf<T>(this IRuleBuilder<T, string?> rule, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.SetValidator(new OneOfValidator<T>(values));
    }
}
