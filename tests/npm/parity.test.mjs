// Parity with the native CLI: for every fixture set under tests/fixtures/ (and this package's own test
// image) × every built-in pack, and for every scenario case under tests/cases/ (with its policies, waivers
// and date), the npm package gives the native CLI's bytes:
//   - `clearance check --policy NAME --format json DUMP...` from the npm bin: byte-identical stdout and
//     the same exit code (once per fixture set, the packs taken in turn; every scenario case);
//   - `evaluate()` + `render()` in-process: byte-identical to the native CLI for every format.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as clearance from "clearance";
import { TODAY, fixtureSets, native, repo, repoText, runNative, runNpm } from "./support.mjs";

const FORMATS = ["json", "text", "sarif", "junit", "markdown"];

const sets = [
  ...fixtureSets(),
  { name: "npm-test-app", dumps: ["tests/npm/data/app/image-inspect.json", "tests/npm/data/app/history.jsonl"] },
];
const packs = clearance.builtinPolicies().policies?.map((p) => p.name) ?? [];

test("there are packs and fixture sets to compare", () => {
  assert.ok(packs.length > 0, "builtinPolicies() lists no pack");
  assert.ok(sets.length > 0);
});

for (const [index, set] of sets.entries()) {
  for (const pack of packs) {
    test(`parity: ${set.name} × ${pack}`, { skip: native === undefined && "native CLI not built" }, () => {
      const args = ["check", "--policy", pack, "--today", TODAY];
      if (set.waivers) args.push("--waivers", set.waivers);
      const want = runNative([...args, "--format", "json", ...set.dumps]);
      // The npm bin, as a user runs it: a node process and the wasm engine's start-up each time (most of
      // this file's time), so once per fixture set, with the packs taken in turn (every set and every
      // pack still go through the bin); the API below covers every pair.
      if (packs.indexOf(pack) === index % packs.length) {
        const got = runNpm([...args, "--format", "json", ...set.dumps]);
        assert.equal(got.status, want.status, `exit code (native stderr: ${want.stderr})`);
        assert.equal(got.stdout, want.stdout, "--format json stdout");
      }
      // The API, in-process, for every format.
      const dumps = set.dumps.map((path) => ({ name: path, content: repoText(path) }));
      const waivers = set.waivers && { name: set.waivers, text: repoText(set.waivers) };
      const answer = clearance.evaluate(pack, dumps, { today: TODAY, waivers });
      if (answer.type === "failure") {
        assert.equal(`${JSON.stringify(answer)}\n`, want.stdout, "failure answer as the native CLI's JSON");
        return;
      }
      for (const format of FORMATS) {
        const native = format === "json" ? want : runNative([...args, "--format", format, ...set.dumps]);
        const rendered = clearance.render(answer.report, format);
        assert.equal(rendered.type, "success", format);
        assert.equal(rendered.output, native.stdout, `render(report, "${format}")`);
      }
    });
  }
}

/** The keys of a scenario case (tests/cases/README.md) that say how to run it: a small YAML subset. */
function parseCase(text) {
  const scalar = (key) => {
    const m = text.match(new RegExp(`^${key}:[ \\t]*(.*)$`, "m"));
    if (!m) return undefined;
    return m[1].replace(/\s+#.*$/, "").trim().replace(/^(['"])(.*)\1$/, "$2") || undefined;
  };
  const list = (key) => {
    const inline = scalar(key);
    if (inline !== undefined) {
      return inline.replace(/^\[|\]$/g, "").split(",").map((x) => x.trim().replace(/^(['"])(.*)\1$/, "$2")).filter(Boolean);
    }
    const block = text.match(new RegExp(`^${key}:[^\\n]*\\n((?:[ \\t]+-[^\\n]*\\n?)+)`, "m"));
    if (!block) return [];
    return block[1].split("\n").map((l) => l.replace(/^\s*-\s*/, "").replace(/\s+#.*$/, "").trim().replace(/^(['"])(.*)\1$/, "$2")).filter(Boolean);
  };
  return { policies: list("policies"), dumps: list("dumps"), waivers: scalar("waivers"), today: scalar("today") };
}

const caseDir = join(repo, "tests", "cases");
const caseFiles = existsSync(caseDir) ? readdirSync(caseDir).filter((f) => f.endsWith(".yaml")).sort() : [];
for (const file of caseFiles) {
  const c = parseCase(repoText(`tests/cases/${file}`));
  const missing = c.dumps.find((d) => !existsSync(join(repo, d)));
  const skip = (native === undefined && "native CLI not built") || (missing && `${missing} is absent`) || (c.dumps.length === 0 && "no dumps");
  test(`parity: case ${file}`, { skip }, () => {
    const args = ["check", ...c.policies.flatMap((p) => ["--policy", p])];
    if (c.waivers) args.push("--waivers", c.waivers);
    if (c.today) args.push("--today", c.today);
    // The npm bin, as a user runs it.
    const want = runNative([...args, "--format", "json", ...c.dumps]);
    const got = runNpm([...args, "--format", "json", ...c.dumps]);
    assert.equal(got.status, want.status, `exit code (native stderr: ${want.stderr})`);
    assert.equal(got.stdout, want.stdout, "--format json stdout");
    if (want.stderr.startsWith("error[")) assert.equal(got.stderr, want.stderr, "stderr");
    // The API, in-process, for every format.
    const policies = c.policies.map((p) => (packs.includes(p) ? p : { name: p, text: repoText(p) }));
    const dumps = c.dumps.map((path) => ({ name: path, content: repoText(path) }));
    const waivers = c.waivers && { name: c.waivers, text: repoText(c.waivers) };
    const today = c.today ?? new Date().toISOString().slice(0, 10);
    const answer = clearance.evaluate(policies, dumps, { today, waivers });
    if (answer.type === "failure") {
      assert.equal(`${JSON.stringify(answer)}\n`, want.stdout, "failure answer as the native CLI's JSON");
      return;
    }
    for (const format of FORMATS) {
      const nat = format === "json" ? want : runNative([...args, "--format", format, ...c.dumps]);
      assert.equal(clearance.render(answer.report, format).output, nat.stdout, `render(report, "${format}")`);
    }
  });
}
