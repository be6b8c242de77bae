// Parity with the native CLI: for every fixture set under tests/fixtures/ (and this package's own test
// image) × every built-in pack, the npm package gives the native CLI's bytes:
//   - `clearance check --policy NAME --format json DUMP...` from the npm bin: byte-identical stdout and
//     the same exit code;
//   - `evaluate()` + `render()` in-process: byte-identical to the native CLI for every format.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as clearance from "clearance";
import { TODAY, fixtureSets, native, repoText, runNative, runNpm } from "./support.mjs";

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

for (const set of sets) {
  for (const pack of packs) {
    test(`parity: ${set.name} × ${pack}`, { skip: native === undefined && "native CLI not built" }, () => {
      const args = ["check", "--policy", pack, "--today", TODAY];
      if (set.waivers) args.push("--waivers", set.waivers);
      // The npm bin, as a user runs it.
      const want = runNative([...args, "--format", "json", ...set.dumps]);
      const got = runNpm([...args, "--format", "json", ...set.dumps]);
      assert.equal(got.status, want.status, `exit code (native stderr: ${want.stderr})`);
      assert.equal(got.stdout, want.stdout, "--format json stdout");
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
