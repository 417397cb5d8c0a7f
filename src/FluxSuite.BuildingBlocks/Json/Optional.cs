namespace FluxSuite.BuildingBlocks.Json;

/// <summary>
/// One field of a PATCH body: left out (<see cref="Given"/> false, the stored value stays), or given,
/// possibly as null (which clears the stored value). A plain nullable cannot tell these apart.
/// </summary>
public readonly record struct Optional<T>(bool Given, T Value)
{
    /// <summary>The given value, or <paramref name="current"/> when the field was left out.</summary>
    public T Or(T current) => Given ? Value : current;
}

public static class Optional
{
    public static Optional<T> Of<T>(T value) => new(true, value);
}
