// The metering collection's pre-request script (Postman sandbox): a customer, or a customer with a subscription, of this request's
// own, in the collection variables freshCustomerId and freshSubscriptionId.
const meteringApi = pm.variables.get("baseUrl") + "/metering/api/v1";
function meteringPost(path, body, then) {
  pm.sendRequest({
    url: meteringApi + path,
    method: "POST",
    header: [{ key: "Authorization", value: "Bearer " + pm.variables.get("token") }, { key: "Content-Type", value: "application/json" }],
    body: { mode: "raw", raw: JSON.stringify(body) },
  }, (error, response) => {
    if (error || response.code >= 300) throw new Error(`POST ${path} failed: ${error || response.code + " " + response.text()}`);
    then(response.json());
  });
}
function freshCustomer(then) {
  const suffix = Date.now() + "-" + Math.floor(Math.random() * 1e9);
  meteringPost("/customers", { name: "Fresh " + suffix, email: "fresh@example.com", external_id: "fresh-" + suffix }, (customer) => {
    pm.collectionVariables.set("freshCustomerId", customer.id);
    if (then) then(customer);
  });
}
function freshSubscription() {
  freshCustomer((customer) => meteringPost("/subscriptions",
    { customer_id: customer.id, plan_id: pm.variables.get("planId"), billing_interval: "month", start_date: "2026-01-01T00:00:00Z" },
    (subscription) => pm.collectionVariables.set("freshSubscriptionId", subscription.id)));
}

// Creating or cancelling a subscription: a customer, or a subscription, of this request's own.
const requestPath = "/" + pm.request.url.path.join("/");
if (pm.request.method === "POST" && requestPath === "/metering/api/v1/subscriptions") freshCustomer();
if (pm.request.method === "POST" && /^\/metering\/api\/v1\/subscriptions\/[^/]+\/cancel$/.test(requestPath)) freshSubscription();
