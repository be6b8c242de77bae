// The bad-input table (bad-inputs.json): every call answers `{type: "failure", errors}` with the expected
// codes, in the style the guide asks for, and never throws.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as clearance from "clearance";
import { styleProblems } from "./support.mjs";

const table = JSON.parse(readFileSync(new URL("./bad-inputs.json", import.meta.url), "utf8"));

/** A minimal report the engine accepts (for render's rows). */
const REPORT = {
  schemaVersion: 1,
  tool: { name: "clearance", version: clearance.version() },
  policies: [],
  verdict: "pass",
  counts: { total: 0, pass: 0, fail: 0, waived: 0, notApplicable: 0, error: 0, failedBySeverity: { error: 0, warning: 0, info: 0 } },
  subjects: [],
};

/** A valid dump (for rows about something else). */
const IMAGE = readFileSync(new URL("./data/app/image-inspect.json", import.meta.url), "utf8");

/** `{"$": ...}` stands for what JSON cannot hold (BigInt, a cycle) or what is long (a dump, a report). */
function revive(value) {
  if (Array.isArray(value)) return value.map(revive);
  if (value === null || typeof value !== "object") return value;
  if (value.$ === "bigint") return 1n;
  if (value.$ === "cycle") {
    const cycle = { name: "a.json" };
    cycle.content = cycle;
    return cycle;
  }
  if (value.$ === "dump") return { name: "image-inspect.json", content: IMAGE };
  if (value.$ === "report") {
    const { $, ...overrides } = value;
    return { ...structuredClone(REPORT), ...overrides };
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
}

for (const row of table) {
  test(`bad input: ${row.name}`, () => {
    let answer;
    assert.doesNotThrow(() => {
      answer = clearance[row.call](...revive(row.args));
    });
    assert.equal(answer.type, "failure", JSON.stringify(answer).slice(0, 300));
    const codes = answer.errors.map((e) => e.code);
    if (row.codes) assert.deepEqual(codes, row.codes);
    if (row.code_prefix) assert.ok(codes.every((c) => c.startsWith(row.code_prefix)), codes.join(", "));
    if (row.message) {
      assert.ok(answer.errors.some((e) => e.message.includes(row.message)), JSON.stringify(answer.errors));
    }
    if (row.located) {
      assert.ok(answer.errors.some((e) => e.location.line >= 1 && e.location.column >= 1), JSON.stringify(answer.errors));
    }
    for (const e of answer.errors) assert.deepEqual(styleProblems(e), [], JSON.stringify(e));
  });
}

test("the REPORT fixture of this table renders (so the render rows test what they say)", () => {
  assert.equal(clearance.render(REPORT, "json").type, "success");
});
