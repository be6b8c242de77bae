// Every API call of the installed package, through each entry point (ESM, CommonJS, web).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import * as clearance from "clearance";
import { TODAY, fixtureSets, repo, repoText, require, styleProblems } from "./support.mjs";

const API = ["evaluate", "detect", "validatePolicy", "builtinPolicies", "policyRequirements", "explain", "render", "version"];
const FORMATS = ["text", "json", "sarif", "junit", "markdown"];

/** Requirement ids written in the shipped packs. */
function packIds() {
  const ids = new Set();
  for (const file of readdirSync(join(repo, "policies")).filter((f) => f.endsWith(".yaml"))) {
    for (const m of repoText(`policies/${file}`).matchAll(/^\s*-?\s*id:\s*["']?([A-Z][A-Z0-9]*-[A-Za-z0-9-]+)/gm)) {
      ids.add(m[1]);
    }
  }
  return [...ids].sort();
}

function assertSuccess(answer, what) {
  assert.equal(
    answer.type,
    "success",
    `${what}: ${answer.type === "failure" ? answer.errors.map((e) => `${e.code}: ${e.message}`).join("; ") : ""}`,
  );
}

test("ESM and CommonJS entry points export the whole API, sharing one engine", () => {
  const cjs = require("clearance");
  for (const name of API) {
    assert.equal(typeof clearance[name], "function", `ESM export ${name}`);
    assert.equal(cjs[name], clearance[name], `CommonJS export ${name} is the same function`);
  }
});

test("version() is the package version", () => {
  const pkg = JSON.parse(readFileSync(require.resolve("clearance/package.json"), "utf8"));
  assert.match(clearance.version(), /^\d+\.\d+\.\d+/);
  assert.equal(clearance.version(), pkg.version);
});

test("clearance/schema.json is policies/schema.json", () => {
  assert.equal(readFileSync(require.resolve("clearance/schema.json"), "utf8"), repoText("policies/schema.json"));
});

test("builtinPolicies() lists every shipped pack with its metadata", () => {
  const answer = clearance.builtinPolicies();
  assertSuccess(answer, "builtinPolicies");
  const shipped = readdirSync(join(repo, "policies"))
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.replace(/\.yaml$/, ""))
    .sort();
  assert.deepEqual(answer.policies.map((p) => p.name).sort(), shipped);
  for (const p of answer.policies) {
    assert.equal(typeof p.title, "string");
    assert.equal(typeof p.requirements, "number");
    assert.ok(Array.isArray(p.includes) && Array.isArray(p.outOfScope), p.name);
  }
});

test("policyRequirements() lists each pack's requirements in order, each one explained", () => {
  for (const p of clearance.builtinPolicies().policies) {
    const answer = clearance.policyRequirements(p.name);
    assertSuccess(answer, p.name);
    assert.deepEqual(answer.policy, p);
    assert.equal(answer.requirements.length, p.requirements);
    for (const r of answer.requirements) assert.equal(clearance.explain(r.id).requirement?.id, r.id);
  }
  const text = repoText("policies/image-baseline.yaml");
  const fromText = clearance.policyRequirements({ name: "policies/image-baseline.yaml", text });
  assert.deepEqual(fromText.requirements, clearance.policyRequirements("image-baseline").requirements);
  assert.equal(clearance.policyRequirements("nope-pack").errors?.[0]?.code, "policy/unknown-pack");
});

test("explain() answers every requirement id of the shipped packs, case-insensitively", () => {
  const ids = packIds();
  for (const id of ids) {
    const answer = clearance.explain(id);
    assertSuccess(answer, `explain ${id}`);
    assert.equal(answer.requirement.id, id);
    for (const field of ["title", "section", "policy", "description", "remediation"]) {
      assert.equal(typeof answer.requirement[field], "string", `${id}.${field}`);
    }
    assert.deepEqual(clearance.explain(id.toLowerCase()), answer);
  }
  const unknown = clearance.explain("NOPE-999");
  assert.equal(unknown.type, "failure");
  assert.equal(unknown.errors[0].code, "request/unknown-requirement");
});

test("validatePolicy() accepts every shipped pack, as text and as a parsed object", () => {
  for (const file of readdirSync(join(repo, "policies")).filter((f) => f.endsWith(".yaml"))) {
    const text = repoText(`policies/${file}`);
    const answer = clearance.validatePolicy(text, `policies/${file}`);
    assertSuccess(answer, file);
    assert.equal(answer.policy.name, file.replace(/\.yaml$/, ""));
  }
  const json = { name: "tiny", title: "Tiny", requirements: [] };
  const asObject = clearance.validatePolicy(json, "tiny.json");
  const asText = clearance.validatePolicy(JSON.stringify(json), "tiny.json");
  assert.deepEqual(asObject, asText);
});

test("validatePolicy() reports every bad policy under tests/policy-errors with a location", () => {
  const dir = join(repo, "tests", "policy-errors");
  let files = [];
  try {
    files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
  } catch {
    return;
  }
  for (const file of files) {
    const answer = clearance.validatePolicy(readFileSync(join(dir, file), "utf8"), file);
    assert.equal(answer.type, "failure", `${file} should not validate`);
    for (const e of answer.errors) {
      assert.deepEqual(styleProblems(e), [], `${file}: ${JSON.stringify(e)}`);
      assert.equal(e.location.file, file, `${file}: error located in the file`);
    }
  }
});

test("detect() names the kind of every fixture dump, from text and from parsed JSON", (t) => {
  const sets = fixtureSets();
  if (sets.length === 0) t.skip("no fixture sets under tests/fixtures yet");
  for (const set of sets) {
    for (const path of set.dumps) {
      const text = repoText(path);
      const answer = clearance.detect(text, path);
      if (answer.type === "failure") continue; // a fixture may be a deliberately broken dump
      assert.equal(answer.document.name, path);
      assert.equal(typeof answer.document.kind, "string");
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch {
        continue; // JSON lines
      }
      assert.equal(clearance.detect(parsed, path).document?.kind, answer.document.kind, path);
    }
  }
});

test("evaluate() takes one or many policies and dumps, text or parsed, and answers a report", (t) => {
  const sets = fixtureSets();
  if (sets.length === 0) t.skip("no fixture sets under tests/fixtures yet");
  for (const set of sets) {
    const dumps = set.dumps.map((path) => ({ name: path, content: repoText(path) }));
    const answer = clearance.evaluate(["image-baseline"], dumps, { today: TODAY });
    if (answer.type === "failure") continue;
    assert.equal(answer.report.today, TODAY);
    assert.ok(["pass", "fail", "incomplete"].includes(answer.report.verdict));
    assert.equal(answer.documents.length, dumps.length);
    // A single policy name, and a policy given as text, give the same verdict.
    assert.deepEqual(clearance.evaluate("image-baseline", dumps, { today: TODAY }).report, answer.report);
    const text = repoText("policies/image-baseline.yaml");
    const fromText = clearance.evaluate({ name: "policies/image-baseline.yaml", text }, dumps, { today: TODAY });
    assertSuccess(fromText, `${set.name} with policy text`);
    assert.equal(fromText.report.verdict, answer.report.verdict);
    // Already-parsed JSON dumps give the same verdict as their text.
    const parsed = dumps.map((d) => {
      try {
        return { name: d.name, content: JSON.parse(d.content) };
      } catch {
        return d;
      }
    });
    const fromParsed = clearance.evaluate("image-baseline", parsed, { today: TODAY });
    assertSuccess(fromParsed, `${set.name} parsed`);
    assert.equal(fromParsed.report.verdict, answer.report.verdict, set.name);
    // One dump alone (not in a list) is accepted too.
    assert.notEqual(clearance.evaluate("image-baseline", dumps[0], { today: TODAY }).errors?.[0]?.code, "request/bad-argument");
  }
});

test("evaluate() accepts every option the declarations name (requests deny unknown fields)", () => {
  const dump = { name: "tests/npm/data/app/image-inspect.json", content: repoText("tests/npm/data/app/image-inspect.json") };
  const waivers = { name: "waivers.yaml", text: "waivers: []\n" };
  const limits = { maxDocumentBytes: 1 << 20, maxDepth: 64, maxLayers: 500, maxEntries: 10000, maxRegexBytes: 1 << 20, maxSteps: 1e6 };
  const answer = clearance.evaluate("image-baseline", dump, { today: TODAY, waivers, limits });
  assert.ok(!answer.errors?.some((e) => e.code === "request/bad-argument"), JSON.stringify(answer.errors));
});

test("render() gives every format, and json is the report itself", (t) => {
  const set = fixtureSets().find((s) => clearance.evaluate("image-baseline", s.dumps.map((p) => ({ name: p, content: repoText(p) })), { today: TODAY }).type === "success");
  if (set === undefined) {
    t.skip("no fixture set evaluates yet");
    return;
  }
  const dumps = set.dumps.map((p) => ({ name: p, content: repoText(p) }));
  const { report } = clearance.evaluate("image-baseline", dumps, { today: TODAY });
  for (const format of FORMATS) {
    const answer = clearance.render(report, format);
    assertSuccess(answer, format);
    assert.equal(answer.format, format);
    assert.ok(answer.output.length > 0, format);
  }
  assert.deepEqual(JSON.parse(clearance.render(report, "json").output), report);
  assert.ok(clearance.render(report, "text", { color: true }).output.includes("\u001b["), "colour on request");
  assert.ok(!clearance.render(report, "text", { color: false }).output.includes("\u001b["), "no colour by default");
  const bad = clearance.render(report, "pdf");
  assert.equal(bad.type, "failure");
  assert.equal(bad.errors[0].code, "request/unknown-format");
});

test("the web entry point loads from bytes, from a compiled module, and from a URL", async () => {
  const web = await import("clearance/web");
  const wasmPath = require.resolve("clearance/clearance_bg.wasm");
  const bytes = readFileSync(wasmPath);
  await web.default({ module_or_path: bytes });
  assert.equal(web.version(), clearance.version());
  assert.deepEqual(web.builtinPolicies(), clearance.builtinPolicies());
  // The same calls after initSync with a compiled module.
  web.initSync({ module: new WebAssembly.Module(bytes) });
  assert.deepEqual(web.explain("NOPE-1"), clearance.explain("NOPE-1"));
  // From a URL, as a browser does (served on the loopback address only).
  const server = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/wasm" });
    res.end(bytes);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address();
    const fresh = await import(`${pathToFileURL(require.resolve("clearance/web")).href}?fresh`);
    await fresh.default({ module_or_path: new URL(`http://127.0.0.1:${port}/clearance_bg.wasm`) });
    assert.equal(fresh.version(), clearance.version());
  } finally {
    server.close();
  }
});
