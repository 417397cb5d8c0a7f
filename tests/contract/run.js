// Runs one Portman collection with Newman and writes a compact report of what report.js reads:
//   node run.js <collection.json> <environment.json> <report.json>
// (Newman's own JSON reporter keeps every request and response body, which for thousands of fuzzed
// requests outgrows what Node can serialise.) One entry per request:
//   {name, method, path, status, violations, assertions: [{assertion, error}]}
"use strict";
const fs = require("fs");
const newman = require("newman");

const [collection, environment, output] = process.argv.slice(2);
const executions = new Map();
const entry = (cursor, item) => {
  const key = cursor.ref;
  if (!executions.has(key)) executions.set(key, { name: item.name, assertions: [] });
  return executions.get(key);
};

newman.run({ collection: require(collection), environment: require(environment), timeoutRequest: 15000, reporters: [] })
  .on("request", (error, args) => {
    // Requests that a pre-request script sends (seeding objects of its own) are not the ones under test.
    if (args.cursor.scriptId) return;
    const execution = entry(args.cursor, args.item);
    execution.method = args.request.method;
    execution.path = "/" + args.request.url.path.join("/");
    if (error) {
      execution.requestError = error.message;
      return;
    }
    execution.status = args.response.code;
    const header = args.response.headers.get("sl-violations");
    execution.violations = header ? JSON.parse(header) : [];
  })
  .on("assertion", (error, args) => {
    if (args.cursor.scriptId && !args.assertion) return;
    entry(args.cursor, args.item).assertions.push({ assertion: args.assertion, error: error ? error.message : null });
  })
  .on("done", (error) => {
    fs.writeFileSync(output, JSON.stringify([...executions.values()]));
    if (error) {
      console.error(`newman: ${error.message}`);
      process.exit(2);
    }
  });
