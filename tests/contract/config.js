// Writes the Portman configuration of one document:
//   node config.js <listings|reseller|metering> <document.json> <out.json> <document-for-portman.json>
//
// Every operation gets the contract tests (2xx, content type, JSON body, response schema, documented
// headers) on a request built from the document (its examples, else values generated from its schemas),
// with the seeded objects' ids (seed.sh) and the credentials its security requirement names put in. Then
// variations, each expecting the documented 4xx with a body of the documented error schema:
//   - fuzzing: required fields removed, numbers below minimum / above maximum, strings shorter than
//     minLength / longer than maxLength, in bodies and query strings — whatever the document declares;
//   - an unknown body field on every operation with a JSON body (the documents say additionalProperties: false);
//   - every field the document says may be null, sent as null: accepted like the valid request;
//   - no credentials (401) on every operation with a security requirement.
// Operations that take something away (revoking a key, archiving, cancelling, voiding, suspending, signing
// out) act on objects of their own that seed.sh made, so every other request still finds its own.
"use strict";
const fs = require("fs");

const [documentName, documentFile, output, portmanDocument] = process.argv.slice(2);
const document = JSON.parse(fs.readFileSync(documentFile, "utf8"));

const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => ["get", "put", "post", "delete", "patch"].includes(method))
    .map(([method, operation]) => ({ path, method, operation, target: `${method.toUpperCase()}::${path}` })));

const apiKey = (key, variable) => ({ apiKey: { key, value: `{{${variable}}}`, in: "header" } });
const bearer = (variable) => ({ bearer: { token: `{{${variable}}}` } });
const sandbox = (path) => path.startsWith("/sandbox/");

// Per document: the credentials of each security scheme, the value of each path parameter, and the
// operations that run last.
function providerFields() {
  return {
    name: "Contract Cloud", description: "Managed FluxNodes", longDescription: "Managed FluxNodes with support in three languages.",
    website: "https://contract.example.com", discord: "https://discord.gg/contract", country: "Poland", type: "managed",
    tiers: [{ tier: "cumulus", price: 7.49, planName: "Cumulus" }], comments: "Setup included", hasDiscount: true,
    totalNodes: 120, totalClients: 40, uptimePercentage: 99.9, responseTimeHours: 2, pnrEligiblePercent: 80, arcaneOsPercent: 60,
    dataCenters: 3, sla: 99.5, languages: ["en", "pl"], acceptsFlux: true, acceptsStripe: true, acceptsFiat: false,
    supportChannels: ["email", "discord"], whiteLabel: false, autoRenew: true, delegationAvailable: true,
  };
}
const protectedFields = () => ({ fluxLabsPartner: false, verified: true, isDemo: false, rating: 4.5, reviewCount: 12 });

const settings = {
  listings: {
    security: { AdminKey: () => apiKey("X-Admin-Key", "adminKey"), ProviderKey: () => bearer("providerKey") },
    pathValue: (name) => ({ slug: "{{slug}}", id: "{{keyId}}" })[name],
    last: [],
    // Every field set, so that each one's rules are exercised (fuzzing changes only fields the body has).
    // The operator's PATCH leaves slug out: renaming the seeded provider would take it from later requests.
    body: {
      "PATCH::/api/providers/{slug}": providerFields(),
      "POST::/admin/providers": { slug: "contract-created-{{$randomUUID}}", ...providerFields(), ...protectedFields() },
      "PATCH::/admin/providers/{slug}": { ...providerFields(), ...protectedFields() },
    },
  },
  reseller: {
    security: {
      AdminKey: () => apiKey("X-Admin-Key", "adminKey"),
      ResellerKey: (path) => bearer(sandbox(path) ? "testKey" : "liveKey"),
    },
    pathValue: (name, path, target) => {
      const mode = sandbox(path) ? "sandbox" : "";
      if (path.includes("/webhooks/{id}")) {
        return { id: `{{${mode}${target.startsWith("DELETE::") ? "deletableWebhookId" : "webhookId"}}}`, deliveryId: `{{${mode}deliveryId}}` }[name];
      }
      const plan = /\/(servers|proxies)\/\{planId\}/.test(path) ? "serverPlanId"
        : /\/(upgrade|usage-stats)$/.test(path) ? "unlimitedPlanId"
        : /\/proxies$/.test(path) ? "ispPlanId"
        : "planId";
      return {
        planId: `{{${mode}${plan}}}`,
        id: !path.startsWith("/admin/resellers") ? `{{${mode}subUserId}}`
          : /\/(status|products\/\{product\})$/.test(path) ? "{{otherResellerId}}" : "{{resellerId}}",
        keyId: "{{keyId}}",
        product: "residential",
        pool: "ISP_CONTRACT",
      }[name];
    },
    query: (path) => path.includes("/ip-reset")
      ? [{ key: "expires", value: `{{${sandbox(path) ? "sandbox" : ""}expires}}` }, { key: "signature", value: `{{${sandbox(path) ? "sandbox" : ""}signature}}` }]
      : [],
    last: [],
  },
  metering: {
    security: {
      MeteringBearer: () => bearer("token"),
      MeteringApiKey: () => apiKey("X-API-Key", "sdkKey"),
      AdminKey: () => apiKey("X-Admin-Key", "adminKey"),
    },
    securityOf: { "POST::/metering/api/v1/auth/logout": bearer("logoutToken") },
    pathValue: (name, path, target) => {
      const own = {
        "POST::/metering/api/v1/features/{id}/archive": "{{archivableFeatureId}}",
        "POST::/metering/api/v1/plans/{id}/archive": "{{archivablePlanId}}",
        "POST::/metering/api/v1/subscriptions/{id}/cancel": "{{freshSubscriptionId}}",
        "POST::/metering/api/v1/invoices/{id}/void": "{{voidableInvoiceId}}",
        "DELETE::/metering/api/v1/webhooks/{id}": "{{deletableWebhookId}}",
      }[target];
      if (own && name === "id") return own;
      if (name === "chargeId") return target.endsWith("/archive") ? "{{archivableChargeId}}" : "{{chargeId}}";
      if (name === "deliveryId") return "{{deliveryId}}";
      return {
        features: "{{featureId}}", plans: "{{planId}}", customers: "{{customerId}}", subscriptions: "{{subscriptionId}}",
        invoices: "{{invoiceId}}", "api-keys": "{{keyId}}", webhooks: "{{webhookId}}",
      }[path.split("/")[4]];
    },
    query: (path) => path === "/metering/api/v1/usage" ? [{ key: "meter_id", value: "{{meterId}}" }, { key: "customer_id", value: "{{customerId}}" }] : [],
    last: ["POST::/metering/api/v1/invoices/{id}/finalize", "POST::/metering/api/v1/invoices/{id}/mark-paid"],
    // A customer has one running subscription and a subscription is cancelled once: each request (and
    // each variation) that creates or cancels one first gets a customer, or a subscription, of its own
    // (a collection-level script, since Portman copies no request-level script into variations).
    collectionPreRequest: ["file:" + __dirname + "/fresh-metering-objects.js"],
    // The document has no request examples (the quickstart's bodies are below, with unique names where
    // the server requires them).
    body: Object.fromEntries(Object.entries({
      "POST::/metering/api/v1/auth/signup": { email: "signup-{{$randomAlphaNumeric}}{{$randomInt}}{{$timestamp}}{{$randomInt}}@example.com", password: "contract-password-1", organization_name: "Signed up" },
      "POST::/metering/api/v1/auth/login": { email: "contract@example.com", password: "contract-password-1" },
      "POST::/metering/api/v1/features": { name: "Storage", lookup_key: "storage_{{$randomAlphaNumeric}}{{$randomInt}}{{$timestamp}}", type: "meter", meter_name: "storage_{{$randomAlphaNumeric}}{{$randomInt}}{{$timestamp}}", property_name: "bytes", aggregation_type: "SUM", unit: "bytes" },
      "PATCH::/metering/api/v1/features/{id}": { name: "API Calls (renamed)", unit: "calls" },
      "POST::/metering/api/v1/plans": { name: "Growth", lookup_id: "growth_{{$randomAlphaNumeric}}{{$randomInt}}{{$timestamp}}", description: "Usage-based", type: "USAGE", billing_interval: "month", currency: "USD" },
      "PATCH::/metering/api/v1/plans/{id}": { name: "Starter (renamed)", description: "Pay per API call" },
      "POST::/metering/api/v1/plans/{id}/charges": { type: "USAGE", meter_id: "{{meterId}}", unit_price: 0.002, display_name: "Second API Call Charge" },
      "PATCH::/metering/api/v1/plans/{id}/charges/{chargeId}": { display_name: "API Call Charge (renamed)", unit_price: 0.003 },
      "POST::/metering/api/v1/customers": { name: "Globex", email: "billing@globex.example", external_id: "globex-{{$randomAlphaNumeric}}{{$randomInt}}{{$timestamp}}" },
      "PATCH::/metering/api/v1/customers/{id}": { name: "Acme Corporation" },
      "POST::/metering/api/v1/subscriptions": { customer_id: "{{freshCustomerId}}", plan_id: "{{planId}}", billing_interval: "month", start_date: "2026-01-01T00:00:00Z" },
      "POST::/metering/api/v1/subscriptions/{id}/cancel": { at_period_end: false },
      "POST::/metering/api/v1/api-keys": { name: "Read-only key", scopes: ["usage.read"] },
      "POST::/metering/api/v1/webhooks": { url: "https://hooks.example.com/billing", events: ["invoice.finalized", "invoice.paid"], description: "Billing backend" },
      "PATCH::/metering/api/v1/webhooks/{id}": { url: "https://hooks.example.com/billing/v2", events: ["invoice.voided"], description: "Billing backend", enabled: true },
      "POST::/metering/api/v1/sdk/track": { meter_token: "{{meterToken}}", customer_external_id: "acme-corp-001", quantity: 150, idempotency_key: "{{$guid}}" },
      "POST::/metering/api/v1/sdk/track/batch": { events: [{ meter_token: "{{meterToken}}", customer_external_id: "acme-corp-001", quantity: 5, idempotency_key: "{{$guid}}" }] },
    })),
  },
}[documentName];
if (!settings) {
  console.error(`unknown document ${documentName}`);
  process.exit(2);
}

const schemes = (operation) => (operation.security ?? []).flatMap((requirement) => Object.keys(requirement));
const credentials = (op) => schemes(op.operation).map((scheme) => settings.security[scheme]?.(op.path)).find(Boolean);
const jsonBody = (op) => Boolean(op.operation.requestBody?.content?.["application/json"]);
const pathParameters = (op) => (op.operation.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);

const overwrites = operations.map((op) => {
  const overwrite = { openApiOperation: op.target };
  const security = settings.securityOf?.[op.target] ?? credentials(op);
  if (security) overwrite.overwriteRequestSecurity = security;
  const variables = pathParameters(op).map((name) => ({ key: name, value: settings.pathValue(name, op.path, op.target), insert: false }));
  if (variables.length) overwrite.overwriteRequestPathVariables = variables;
  const query = settings.query?.(op.path) ?? [];
  if (query.length) overwrite.overwriteRequestQueryParams = query;
  return overwrite;
}).filter((o) => Object.keys(o).length > 1);

const contractTest = (test) => ({ openApiOperation: "*::/*", [test]: { enabled: true } });
const refused = (code) => ({
  contractTests: [{ statusCode: { enabled: true, code } }, { contentType: { enabled: true } }, { jsonBody: { enabled: true } }, { schemaValidation: { enabled: true } }],
});
const fuzzAll = { enabled: true };
const fuzzRules = { requiredFields: fuzzAll, minimumNumberFields: fuzzAll, maximumNumberFields: fuzzAll, minLengthFields: fuzzAll, maxLengthFields: fuzzAll };
const ids = (filter) => operations.filter(filter).map((op) => op.target);

// The body schema of an operation, resolved, and its properties that the document says may be null.
function bodySchema(op) {
  let schema = op.operation.requestBody?.content?.["application/json"]?.schema;
  if (schema?.$ref) schema = document.components.schemas[schema.$ref.split("/").pop()];
  return schema;
}
const nullable = (property) => property.nullable === true || (property.allOf && property.nullable === true);
const nullableFields = (op) => Object.entries(bodySchema(op)?.properties ?? {}).filter(([, p]) => nullable(p)).map(([name]) => name);

const variationTests = [
  ...operations.filter((op) => op.operation.responses?.["400"]).map((op) => ({
    openApiOperation: op.target,
    openApiResponse: "400",
    variations: [{ name: "Invalid input", fuzzing: [{ requestBody: [fuzzRules], requestQueryParams: [fuzzRules] }], tests: refused(400) }],
  })),
  ...ids((op) => jsonBody(op)).map((target) => ({
    openApiOperation: target,
    openApiResponse: "400",
    variations: [{
      name: "Unknown field",
      overwrites: [{ overwriteRequestBody: [{ key: "unexpected_field", value: "not in the document" }] }],
      tests: refused(400),
    }],
  })),
  // Every field the document says may be null, sent as null in an otherwise valid request: accepted.
  ...operations.filter((op) => jsonBody(op) && nullableFields(op).length).map((op) => ({
    openApiOperation: op.target,
    variations: nullableFields(op).map((field) => ({
      name: `Null ${field}`,
      overwrites: [{ overwriteRequestBody: [{ key: field, value: null }] }],
      tests: { contractTests: [{ statusSuccess: { enabled: true } }, { schemaValidation: { enabled: true } }] },
    })),
  })),
  ...ids((op) => credentials(op)).map((target) => ({
    openApiOperation: target,
    openApiResponse: "401",
    variations: [{ name: "No credentials", overwrites: [{ overwriteRequestSecurity: { remove: true } }], tests: refused(401) }],
  })),
];

// The bodies above become the operations' examples in the copy of the document Portman reads, so that
// its requests carry them and its fuzzing changes them field by field (an overwrite would be applied
// to every variation again, undoing the fuzzing). Prism validates against the document as served.
for (const op of operations) {
  const body = settings.body?.[op.target];
  if (!body) continue;
  const media = op.operation.requestBody.content["application/json"];
  media.example = body;
  delete media.examples;
}
fs.writeFileSync(portmanDocument, JSON.stringify(document));

const first = ids((op) => !settings.last.includes(op.target));
fs.writeFileSync(output, JSON.stringify({
  version: 1.0,
  tests: {
    contractTests: ["statusSuccess", "contentType", "jsonBody", "schemaValidation", "headersPresent"].map(contractTest),
    variationTests,
  },
  overwrites,
  globals: {
    collectionPreRequestScripts: settings.collectionPreRequest ?? [],
    orderOfOperations: [...first, ...settings.last],
  },
}, null, 2));
