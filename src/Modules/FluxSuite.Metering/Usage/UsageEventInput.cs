using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluxSuite.Metering.Common;

namespace FluxSuite.Metering.Usage;

/// <summary>An event that passed every check that needs no database, ready for <see cref="EventWriter"/>.</summary>
internal sealed record ValidEvent(
    int Index,
    Guid Id,
    string MeterToken,
    string CustomerExternalId,
    string? IdempotencyKey,
    byte[] PayloadHash,
    decimal Quantity,
    string? Properties,
    DateTimeOffset Timestamp,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The same event under another position, for when several requests' events share one statement.</summary>
    public ValidEvent At(int index) => this with { Index = index };
}

/// <summary>The checks on one event before it reaches the database, and the fingerprint that tells retries apart.</summary>
internal static class EventRules
{
    /// <summary>How far ahead of the server's clock an event may be stamped (clock skew).</summary>
    public static readonly TimeSpan MaxFuture = TimeSpan.FromMinutes(5);

    /// <summary>How old an event may be; idempotency keys are kept at least this long (in fact as long as the event).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromDays(35);

    private const decimal Limit = 10_000_000_000_000_000m;

    /// <summary>The event ready to write, or the problem (400 for bad fields, 422 for a timestamp out of range).</summary>
    public static (ValidEvent? Event, EventProblem? Problem) Check(TrackRequest request, int index, DateTimeOffset now, string fieldPrefix = "")
    {
        if (request is null)
        {
            return (null, EventProblem.Invalid(fieldPrefix.TrimEnd('.'), "must be an event object."));
        }

        if (string.IsNullOrWhiteSpace(request.MeterToken) || request.MeterToken.Length > 64)
        {
            return (null, EventProblem.Invalid(fieldPrefix + "meter_token", "is required: the meter_token of the meter (from POST /features)."));
        }

        if (string.IsNullOrWhiteSpace(request.CustomerExternalId) || request.CustomerExternalId.Length > 255)
        {
            return (null, EventProblem.Invalid(fieldPrefix + "customer_external_id", "is required: the customer's external_id, at most 255 characters."));
        }

        if (request.Quantity is { } q && (q < 0 || q >= Limit))
        {
            return (null, EventProblem.Invalid(fieldPrefix + "quantity", "must be 0 or more and less than 10^16."));
        }

        if (request.IdempotencyKey is { } key && (string.IsNullOrWhiteSpace(key) || key.Length > 255))
        {
            return (null, EventProblem.Invalid(fieldPrefix + "idempotency_key", "must be 1 to 255 characters when given."));
        }

        // PostgreSQL keeps microseconds: answer with the timestamp as it will be stored and read back.
        var given = request.Timestamp?.ToUniversalTime() ?? now;
        var timestamp = new DateTimeOffset(given.Ticks - (given.Ticks % 10), TimeSpan.Zero);
        if (timestamp > now + MaxFuture || timestamp < now - MaxAge)
        {
            return (null, new EventProblem(StatusCodes.Status422UnprocessableEntity, Problems.TimestampOutOfRange,
                $"{fieldPrefix}timestamp {timestamp:O} is out of range: events may be at most 5 minutes in the future and at most 35 days old.",
                fieldPrefix + "timestamp"));
        }

        var properties = request.Properties is null ? null : CanonicalProperties(request.Properties);
        if (properties is { Length: > 16 * 1024 })
        {
            return (null, EventProblem.Invalid(fieldPrefix + "properties", "must be at most 16 KiB of JSON."));
        }

        var quantity = Math.Round(request.Quantity ?? 1m, 12, MidpointRounding.AwayFromZero);
        return (new ValidEvent(index, Guid.CreateVersion7(), request.MeterToken, request.CustomerExternalId, request.IdempotencyKey,
            Fingerprint(request, properties), quantity, properties, timestamp, now), null);
    }

    /// <summary>
    /// SHA-256 of the request as sent: a retry without a timestamp is the same request even though the
    /// server stamps each try differently. Property order does not matter.
    /// </summary>
    private static byte[] Fingerprint(TrackRequest request, string? properties)
    {
        var text = string.Join('\u001f',
            request.MeterToken,
            request.CustomerExternalId,
            request.Quantity?.Normalize().ToString(System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
            request.Timestamp?.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
            properties ?? string.Empty);
        return SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }

    private static string CanonicalProperties(Dictionary<string, JsonElement> properties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in properties.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>Why one event was not accepted.</summary>
internal sealed record EventProblem(int Status, string Code, string Message, string? Field)
{
    public static EventProblem Invalid(string field, string problem) =>
        new(StatusCodes.Status400BadRequest, BuildingBlocks.Errors.ApiErrorCodes.ValidationError, $"{field}: {problem}", field);

    public BuildingBlocks.Errors.ApiError ToApiError() => new(Status, Code, Message)
    {
        Errors = Field is null || Status != StatusCodes.Status400BadRequest ? null : new Dictionary<string, string[]> { [Field] = [Message[(Field.Length + 2)..]] },
    };
}
