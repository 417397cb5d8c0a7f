namespace FluxSuite.BuildingBlocks.OpenApi;

/// <summary>
/// For the OpenAPI document: the type's schema id, written out instead of derived from where the type is
/// declared. A published schema keeps its name when its C# type moves to another class (a nested
/// <c>ListPlans.ListResponse</c> that was <c>ReadPlans.ListResponse</c> stays <c>ReadPlansListResponse</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SchemaIdAttribute(string id) : Attribute
{
    public string Id { get; } = id;
}
