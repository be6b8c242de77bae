// Cold start of the npm package: load the engine and evaluate `reactbin-api-prod` once (scripts/bench
// times this whole process).   node cold.cjs DUMP...
const { readFileSync } = require("node:fs");
const clearance = require("clearance");
const dumps = process.argv.slice(2).map((name) => ({ name, content: readFileSync(name, "utf8") }));
const answer = clearance.evaluate("reactbin-api-prod", dumps, { today: "2026-11-23" });
if (answer.type !== "success") process.exit(2);
