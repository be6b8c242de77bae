// Warm loop of the npm package: evaluations per second of `reactbin-api-prod` on the dumps named on the
// command line, in one live Node process (scripts/bench; the package must be installed next to this file).
//   node warm.cjs SECONDS DUMP...
const { readFileSync } = require("node:fs");
const clearance = require("clearance");
const [seconds, ...files] = process.argv.slice(2);
const dumps = files.map((name) => ({ name, content: readFileSync(name, "utf8") }));
const run = () => clearance.evaluate("reactbin-api-prod", dumps, { today: "2026-11-23" });
const first = run();
if (first.type !== "success") {
  console.error(JSON.stringify(first.errors, null, 2));
  process.exit(1);
}
for (let i = 0; i < 50; i += 1) run(); // warm-up: compile the functions on the hot path
let n = 0;
const start = process.hrtime.bigint();
const stop = start + BigInt(Math.round(Number(seconds) * 1e9));
let now = start;
while (now < stop) {
  run();
  n += 1;
  now = process.hrtime.bigint();
}
const perSecond = n / (Number(now - start) / 1e9);
console.log(JSON.stringify({ perSecond, results: first.report.counts.total, verdict: first.report.verdict }));
