namespace FluxSuite.BuildingBlocks.OpenApi;

/// <summary>
/// For the OpenAPI document: the field may be left out, but is never null (a request that sends null is
/// refused). Marks a nullable C# property that is nullable only so that "left out" can be told apart.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class NeverNullAttribute : Attribute;
