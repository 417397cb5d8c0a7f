// Reads the reports of a contract run and says where the server and its documents disagree:
//   node report.js <exceptions.json> <name>=<run-report.json>…  (the reports run.js writes)
//
// A request of the main pass (built to be valid by the document) fails on any failed Portman assertion
// and on any violation Prism found in the request or the response (Prism's proxy reports them in the
// sl-violations header). A variation (deliberately invalid input, or no credentials) fails on a failed
// assertion and on a violation in the response; the request violations are the point of it.
// Each entry of exceptions.json ({operation, variation?, check?, reason}) excuses the failures of that
// operation (of that variation only, when given) whose text contains `check` (any, when not given), and is listed with its reason; an exception that excused nothing fails the run.
// Ends with one line: "contract: N operations, N requests, N passed, N failed, N excepted".
"use strict";
const fs = require("fs");

const [exceptionsFile, ...reports] = process.argv.slice(2);
const exceptions = JSON.parse(fs.readFileSync(exceptionsFile, "utf8")).map((e) => ({ ...e, used: 0 }));
const operations = new Set();
const failures = [];
let requests = 0;
let passed = 0;
let excepted = 0;

for (const argument of reports) {
  const [document, file] = argument.split("=");
  for (const execution of JSON.parse(fs.readFileSync(file, "utf8"))) {
    requests++;
    const name = execution.name;
    const variation = /\[(Invalid input|Unknown field|No credentials)\]/.test(name);
    // Portman names every test "[METHOD]::/path/:param - check": the operation, as the document writes it.
    const operation = execution.assertions
      .map((a) => /^\[(\w+)\]::(\S+)/.exec(a.assertion))
      .filter(Boolean)
      .map((m) => `${m[1]} ${m[2].replace(/:(\w+)/g, "{$1}")}`)[0] ?? `${execution.method} ${execution.path}`;
    if (!variation) operations.add(`${document} ${operation}`);
    const status = execution.status ?? "no answer";
    const problems = execution.assertions.filter((a) => a.error).map((a) => `${a.assertion}: ${a.error.replace(/\s+/g, " ")}`);
    for (const violation of execution.violations ?? []) {
      if (variation && violation.location[0] === "request") continue;
      problems.push(`Prism: ${violation.location.join(".")}: ${violation.message}`);
    }
    if (execution.requestError) problems.push(`no answer: ${execution.requestError}`);

    const open = problems.filter((problem) => {
      const exception = exceptions.find((e) => e.operation === operation && problem.includes(e.check ?? "") && (!e.variation || name.includes(`[${e.variation}]`)));
      if (exception) exception.used++;
      return !exception;
    });
    if (problems.length && !open.length) excepted++;
    else if (open.length) failures.push({ document, operation, name, status, problems: open });
    else passed++;
  }
}

for (const failure of failures) {
  console.log(`FAIL ${failure.document}: ${failure.operation} (${failure.name}) answered ${failure.status}`);
  for (const problem of failure.problems) console.log(`     ${problem}`);
}
for (const exception of exceptions) {
  console.log(`${exception.used ? "excepted" : "UNUSED EXCEPTION"} ${exception.operation}${exception.variation ? ` [${exception.variation}]` : ""} (${exception.used}x): ${exception.reason}`);
}
const unused = exceptions.filter((e) => !e.used).length;
console.log(`contract: ${operations.size} operations, ${requests} requests, ${passed} passed, ${failures.length + unused} failed, ${excepted} excepted`);
process.exit(failures.length + unused ? 1 : 0);
