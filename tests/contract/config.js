// Writes the Portman configuration of one document:
//   node config.js <listings|reseller|metering> <document.json> <out.json>
//
// Every operation gets the contract tests (2xx, content type, JSON body, response schema, documented
// headers) on a request built from the document (its examples, else values generated from its schemas),
// with the seeded objects' ids (seed.sh) and the credentials its security requirement names put in. Then
// variations, each expecting the documented 4xx with a body of the documented error schema:
//   - fuzzing: required fields removed, numbers below minimum / above maximum, strings shorter than
//     minLength / longer than maxLength, in bodies and query strings — whatever the document declares;
//   - an unknown body field on every operation with a JSON body (the documents say additionalProperties: false);
//   - no credentials (401) on every operation with a security requirement.
// Operations that would take away what later requests need (revoking keys, archiving, cancelling,
// suspending) run last in their folder.
"use strict";
const fs = require("fs");

const [documentName, documentFile, output] = process.argv.slice(2);
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
const settings = {
  listings: {
    security: { AdminKey: () => apiKey("X-Admin-Key", "adminKey"), ProviderKey: () => bearer("providerKey") },
    pathValue: (name) => ({ slug: "{{slug}}", id: "{{keyId}}" })[name],
    last: ["DELETE::/admin/providers/{slug}/keys/{id}"],
    body: {
      // The create example lists a provider of its own; a new slug each run keeps it creatable.
      "POST::/admin/providers": [{ key: "slug", value: "contract-created-{{$timestamp}}" }],
    },
  },
  reseller: {
    security: {
      AdminKey: () => apiKey("X-Admin-Key", "adminKey"),
      ResellerKey: (path) => bearer(sandbox(path) ? "testKey" : "liveKey"),
    },
    pathValue: (name, path) => {
      const mode = sandbox(path) ? "sandbox" : "";
      const serverRoute = /\/(servers|proxies)\/\{planId\}/.test(path);
      return {
        planId: `{{${mode}${serverRoute ? "serverPlanId" : "planId"}}}`,
        id: path.startsWith("/admin/resellers") ? "{{resellerId}}" : `{{${mode}subUserId}}`,
        keyId: "{{keyId}}",
        product: "residential",
        pool: "contract-pool",
      }[name];
    },
    query: (path) => path.includes("/ip-reset")
      ? [{ key: "expires", value: `{{${sandbox(path) ? "sandbox" : ""}expires}}` }, { key: "signature", value: `{{${sandbox(path) ? "sandbox" : ""}signature}}` }]
      : [],
    last: ["DELETE::/admin/resellers/{id}/keys/{keyId}", "PUT::/admin/resellers/{id}/products/{product}", "PUT::/admin/resellers/{id}/status"],
  },
  metering: {
    security: {
      MeteringBearer: () => bearer("token"),
      MeteringApiKey: () => apiKey("X-API-Key", "sdkKey"),
    },
    pathValue: (name, path) => {
      if (name === "chargeId") return "{{chargeId}}";
      const collection = path.split("/")[4];
      return {
        features: "{{featureId}}", plans: "{{planId}}", customers: "{{customerId}}", subscriptions: "{{subscriptionId}}",
        invoices: "{{invoiceId}}", "api-keys": "{{keyId}}",
      }[collection];
    },
    last: [
      "POST::/metering/api/v1/invoices/{id}/finalize", "POST::/metering/api/v1/invoices/{id}/mark-paid", "POST::/metering/api/v1/invoices/{id}/void",
      "POST::/metering/api/v1/subscriptions/{id}/cancel", "POST::/metering/api/v1/plans/{id}/charges/{chargeId}/archive",
      "POST::/metering/api/v1/plans/{id}/archive", "POST::/metering/api/v1/features/{id}/archive",
      "DELETE::/metering/api/v1/api-keys/{id}", "POST::/metering/api/v1/auth/logout",
    ],
    body: {
      "POST::/metering/api/v1/auth/signup": [{ key: "email", value: "signup-{{$timestamp}}{{$randomInt}}@example.com" }],
      "POST::/metering/api/v1/auth/login": [{ key: "email", value: "contract@example.com" }, { key: "password", value: "contract-password-1" }],
    },
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
  const security = credentials(op);
  if (security) overwrite.overwriteRequestSecurity = security;
  const variables = pathParameters(op).map((name) => ({ key: name, value: settings.pathValue(name, op.path), insert: false }));
  if (variables.length) overwrite.overwriteRequestPathVariables = variables;
  const query = settings.query?.(op.path) ?? [];
  if (query.length) overwrite.overwriteRequestQueryParams = query;
  const body = settings.body?.[op.target];
  if (body) overwrite.overwriteRequestBody = body;
  return overwrite;
}).filter((o) => Object.keys(o).length > 1);

const contractTest = (test) => ({ openApiOperation: "*::/*", [test]: { enabled: true } });
const refused = (code) => ({
  contractTests: [{ statusCode: { enabled: true, code } }, { contentType: { enabled: true } }, { jsonBody: { enabled: true } }, { schemaValidation: { enabled: true } }],
});
const fuzzAll = { enabled: true };
const fuzzRules = { requiredFields: fuzzAll, minimumNumberFields: fuzzAll, maximumNumberFields: fuzzAll, minLengthFields: fuzzAll, maxLengthFields: fuzzAll };
const ids = (filter) => operations.filter(filter).map((op) => op.target);

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
  ...ids((op) => credentials(op)).map((target) => ({
    openApiOperation: target,
    openApiResponse: "401",
    variations: [{ name: "No credentials", overwrites: [{ overwriteRequestSecurity: { remove: true } }], tests: refused(401) }],
  })),
];

const first = ids((op) => !settings.last.includes(op.target));
fs.writeFileSync(output, JSON.stringify({
  version: 1.0,
  tests: {
    contractTests: ["statusSuccess", "contentType", "jsonBody", "schemaValidation", "headersPresent"].map(contractTest),
    variationTests,
  },
  overwrites,
  globals: { orderOfOperations: [...first, ...settings.last] },
}, null, 2));
