using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace FluxSuite.BuildingBlocks.Webhooks;

/// <summary>An endpoint as its owner sees it (both modules write snake_case).</summary>
public record WebhookEndpointResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("description")] string? Description,
    [property: JsonPropertyName("events")] IReadOnlyList<string> Events,
    [property: JsonPropertyName("enabled")] bool Enabled,
    [property: JsonPropertyName("disabled_reason")] string? DisabledReason,
    [property: JsonPropertyName("consecutive_failures")] int ConsecutiveFailures,
    [property: JsonPropertyName("failing_since")] DateTimeOffset? FailingSince,
    [property: JsonPropertyName("last_success_at")] DateTimeOffset? LastSuccessAt,
    [property: JsonPropertyName("last_failure_at")] DateTimeOffset? LastFailureAt,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt)
{
    public static WebhookEndpointResponse From(WebhookEndpoint e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Id, e.Url, e.Description, e.EventTypes, e.Enabled, e.DisabledReason, e.ConsecutiveFailures, e.FailingSince,
            e.LastSuccessAt, e.LastFailureAt, e.CreatedAt, e.UpdatedAt);
    }
}

/// <summary>A new endpoint, with its signing secret: the one answer that shows it.</summary>
public sealed record CreatedWebhookEndpointResponse : WebhookEndpointResponse
{
    public CreatedWebhookEndpointResponse(WebhookEndpointResponse endpoint, string secret)
        : base(endpoint) => Secret = secret;

    [JsonPropertyName("secret")]
    public string Secret { get; init; }
}

/// <summary>A new signing secret (<c>whsec_…</c>), shown this once; the old one stops signing at once.</summary>
public sealed record WebhookSecretResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("secret")] string Secret);

/// <summary>One event's delivery to an endpoint, with every attempt.</summary>
public sealed record WebhookDeliveryResponse(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("message_id")] string MessageId,
    [property: JsonPropertyName("event_type")] string EventType,
    [property: JsonPropertyName("status"), AllowedValues("pending", "delivered", "failed")] string Status,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("next_attempt_at")] DateTimeOffset? NextAttemptAt,
    [property: JsonPropertyName("delivered_at")] DateTimeOffset? DeliveredAt,
    [property: JsonPropertyName("last_status_code")] int? LastStatusCode,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("attempt_log")] IReadOnlyList<WebhookAttemptResponse> AttemptLog)
{
    public static WebhookDeliveryResponse From(WebhookDelivery d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.Id, WebhookMessages.MessageId(d.EventId), d.Event?.Type ?? string.Empty, d.Status, d.Attempts,
            d.Status == WebhookStatuses.Pending ? d.NextAttemptAt : null, d.DeliveredAt, d.LastStatusCode, d.LastError, d.CreatedAt,
            [.. d.AttemptLog.OrderBy(a => a.AttemptedAt).Select(WebhookAttemptResponse.From)]);
    }
}

public sealed record WebhookAttemptResponse(
    [property: JsonPropertyName("attempted_at")] DateTimeOffset AttemptedAt,
    [property: JsonPropertyName("status_code")] int? StatusCode,
    [property: JsonPropertyName("duration_ms")] int DurationMs,
    [property: JsonPropertyName("response")] string? Response,
    [property: JsonPropertyName("error")] string? Error)
{
    public static WebhookAttemptResponse From(WebhookAttempt a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.AttemptedAt, a.StatusCode, a.DurationMs, a.Response, a.Error);
    }
}

/// <summary>An endpoint in the operator view: its owner's view, whose it is, and how many deliveries wait.</summary>
public sealed record OperatorWebhookEndpointResponse : WebhookEndpointResponse
{
    public OperatorWebhookEndpointResponse(WebhookEndpoint endpoint, int pendingDeliveries)
        : base(From(endpoint))
    {
        OwnerId = endpoint.OwnerId;
        Mode = endpoint.Mode;
        PendingDeliveries = pendingDeliveries;
    }

    /// <summary>The organization or reseller.</summary>
    [JsonPropertyName("owner_id")]
    public Guid OwnerId { get; init; }

    [JsonPropertyName("mode"), AllowedValues("live", "test")]
    public string Mode { get; init; }

    [JsonPropertyName("pending_deliveries")]
    public int PendingDeliveries { get; init; }
}
