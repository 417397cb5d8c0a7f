using System.Text.Json.Serialization;
using FluxSuite.Metering.Data;

namespace FluxSuite.Metering.Customers;

internal sealed record CustomerResponse(
    Guid Id,
    string Name,
    string? Email,
    [property: JsonPropertyName("external_id")] string ExternalId,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    public static CustomerResponse From(Customer c) => new(c.Id, c.Name, c.Email, c.ExternalId, c.CreatedAt, c.UpdatedAt);
}
