namespace FluxSuite.BuildingBlocks.Webhooks;

/// <summary>Whose endpoints and events: a tenant (organization, reseller) and its mode (<c>live</c>, or <c>test</c> for a sandbox).</summary>
public readonly record struct WebhookOwner(Guid Id, string Mode);
