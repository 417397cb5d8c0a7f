namespace FluxSuite.BuildingBlocks.Webhooks;

/// <summary>Where an owner's webhook endpoint sends, which events it takes, and how its deliveries are going.</summary>
public sealed class WebhookEndpoint
{
    public Guid Id { get; set; }

    /// <summary>The tenant: a metering organization or a reseller.</summary>
    public Guid OwnerId { get; set; }

    /// <summary>Which of the owner's data it belongs to: <c>live</c>, or <c>test</c> for a reseller's sandbox.</summary>
    public required string Mode { get; set; }

    public required string Url { get; set; }

    public string? Description { get; set; }

    public string[] EventTypes { get; set; } = [];

    /// <summary>The signing secret (<c>whsec_…</c>). Kept as it is: signing needs it; it grants nothing on FluxSuite.</summary>
    public required string Secret { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Why the endpoint was disabled by the delivery job; null when enabled or disabled by its owner.</summary>
    public string? DisabledReason { get; set; }

    public int ConsecutiveFailures { get; set; }

    /// <summary>The first failure since the last success; null while deliveries succeed.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }

    public DateTimeOffset? LastFailureAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One thing that happened, as sent: its <c>webhook-id</c> is <see cref="MessageId"/>, its body <see cref="Payload"/>.</summary>
public sealed class WebhookEvent
{
    public Guid Id { get; set; }

    public Guid OwnerId { get; set; }

    public required string Mode { get; set; }

    public required string Type { get; set; }

    /// <summary>The exact body sent (and signed): <c>{"type","timestamp","data"}</c>.</summary>
    public required string Payload { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string MessageId => WebhookMessages.MessageId(Id);
}

/// <summary>One event on its way to one endpoint.</summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }

    public Guid EventId { get; set; }

    public Guid EndpointId { get; set; }

    /// <summary><c>pending</c>, <c>delivered</c> or <c>failed</c>.</summary>
    public required string Status { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>While set and in the future, a delivery job holds the delivery (its lease).</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>When the current series of attempts began (creation, or a redelivery by hand): the give-up counts from here.</summary>
    public DateTimeOffset DueSince { get; set; }

    public int? LastStatusCode { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public WebhookEvent? Event { get; set; }

    public List<WebhookAttempt> AttemptLog { get; set; } = [];
}

/// <summary>One HTTP request of a delivery and what came back.</summary>
public sealed class WebhookAttempt
{
    public Guid Id { get; set; }

    public Guid DeliveryId { get; set; }

    public DateTimeOffset AttemptedAt { get; set; }

    public int DurationMs { get; set; }

    public int? StatusCode { get; set; }

    /// <summary>The start of the answer's body.</summary>
    public string? Response { get; set; }

    /// <summary>Why the attempt failed when no answer says it (timeout, refused address, connection error), or the refused status.</summary>
    public string? Error { get; set; }
}

public static class WebhookStatuses
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}

public static class WebhookMessages
{
    /// <summary>The <c>webhook-id</c> of an event: the same on every attempt, so receivers can drop repeats.</summary>
    public static string MessageId(Guid eventId) => $"msg_{eventId:N}";

    /// <summary>The event a test delivery carries; endpoints need not subscribe to it.</summary>
    public const string TestEventType = "webhook.test";
}
