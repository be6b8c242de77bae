// Deno: the package's `deno` entry point, resolved from node_modules as a Deno user gets it.
// Run by scripts/test-npm as `deno test --allow-read --allow-env` in the folder the tarball is installed in.
import * as clearance from "clearance";

// Plain assertions (node:assert would make Deno look for @types/node; std needs the network).
const assert = {
  ok(value, message = "expected a truthy value") {
    if (!value) throw new Error(message);
  },
  equal(actual, expected, message = "") {
    if (actual !== expected) throw new Error(`${message} expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  },
  match(text, pattern) {
    if (!pattern.test(text)) throw new Error(`${JSON.stringify(text)} does not match ${pattern}`);
  },
};

const repo = Deno.env.get("CLEARANCE_REPO");
const read = (path) => Deno.readTextFileSync(`${repo}/${path}`);
const dumps = () => [
  { name: "tests/npm/data/app/image-inspect.json", content: read("tests/npm/data/app/image-inspect.json") },
  { name: "tests/npm/data/app/history.jsonl", content: read("tests/npm/data/app/history.jsonl") },
];

Deno.test("the deno entry point is the one resolved", () => {
  assert.match(import.meta.resolve("clearance"), /\/deno\.js$/);
});

Deno.test("version() and builtinPolicies()", () => {
  assert.match(clearance.version(), /^\d+\.\d+\.\d+/);
  const answer = clearance.builtinPolicies();
  assert.equal(answer.type, "success");
  assert.ok(answer.policies.some((p) => p.name === "image-baseline"));
});

Deno.test("policyRequirements() lists a pack's requirements", () => {
  const answer = clearance.policyRequirements("reactbin-api-prod");
  assert.equal(answer.type, "success");
  assert.ok(answer.requirements.length > 0);
});

Deno.test("evaluate() and render() a failing image", () => {
  const answer = clearance.evaluate("image-baseline", dumps(), { today: "2026-01-15" });
  assert.equal(answer.type, "success", JSON.stringify(answer.errors ?? []));
  assert.equal(answer.report.verdict, "fail");
  for (const format of ["text", "json", "sarif", "junit", "markdown"]) {
    const out = clearance.render(answer.report, format);
    assert.equal(out.type, "success");
    assert.ok(!out.output.includes("tok_live_4b8c1d2e"), `${format} masks the secret`);
  }
});

Deno.test("detect(), validatePolicy(), explain() and bad input answer data, never throw", () => {
  assert.equal(clearance.detect(read("tests/npm/data/app/history.jsonl"), "h.jsonl").document?.kind, "docker-history");
  assert.equal(clearance.validatePolicy(read("policies/image-baseline.yaml")).type, "success");
  const broken = clearance.validatePolicy("name: [\n", "broken.yaml");
  assert.equal(broken.type, "failure");
  assert.equal(broken.errors[0].location.file, "broken.yaml");
  assert.equal(clearance.explain("NOPE-1").errors[0].code, "request/unknown-requirement");
  assert.equal(clearance.evaluate(1n, []).errors[0].code, "request/bad-argument");
});
