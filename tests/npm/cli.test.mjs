// The `clearance` bin of the installed package: the native CLI's case table (tests/cli/cases.json) and
// this package's own (cli-cases.json). Where the native CLI is built, every case also runs there and the
// two must agree: the same exit code, the same stdout (help text aside), and the same stderr for engine
// errors (`error[...]` lines; usage errors are clap's words on one side and ours on the other). Cases
// marked `npm_only` (`--format github`) have no native counterpart; `stdout_closed` cases run with a
// stdout pipe whose reader is gone, on each side by its own harness.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { native, repo, runNative, runNpm, runNpmStdoutClosed } from "./support.mjs";

function pointer(json, path) {
  return path
    .split("/")
    .slice(1)
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((v, key) => (v === undefined || v === null ? undefined : v[key]), json);
}

/** The options a case asks for: stdin from a file, a fake or no container engine, extra environment. */
function options(c) {
  const env = { ...(c.env ?? {}) };
  let path;
  if (c.fake_engine) {
    path = `${join(repo, "tests/cli/bin")}:${process.env.PATH}`;
    env.FAKE_DOCKER_DIR = join(repo, c.fake_engine);
  }
  if (c.no_engine) path = join(repo, "tests/cli/empty-path");
  const input = c.stdin ? readFileSync(join(repo, c.stdin)) : undefined;
  return { env, path, input };
}

function check(c, out) {
  const problems = [];
  if (out.status !== (c.exit ?? 0)) problems.push(`exit ${out.status}, expected ${c.exit ?? 0}`);
  for (const s of c.stdout ?? []) if (!out.stdout.includes(s)) problems.push(`stdout lacks ${JSON.stringify(s)}`);
  for (const s of c.stdout_not ?? []) if (out.stdout.includes(s)) problems.push(`stdout has ${JSON.stringify(s)}`);
  for (const s of c.stderr ?? []) if (!out.stderr.includes(s)) problems.push(`stderr lacks ${JSON.stringify(s)}`);
  for (const s of c.stderr_not ?? []) if (out.stderr.includes(s)) problems.push(`stderr has ${JSON.stringify(s)}`);
  if (c.stdout_json) {
    try {
      const json = JSON.parse(out.stdout);
      for (const [p, want] of Object.entries(c.stdout_json)) {
        if (JSON.stringify(pointer(json, p)) !== JSON.stringify(want)) problems.push(`json ${p} = ${JSON.stringify(pointer(json, p))}`);
      }
    } catch (e) {
      problems.push(`stdout is not JSON: ${e.message}`);
    }
  }
  return problems;
}

const isHelp = (args) => args.includes("--help") || args.includes("-h") || args[0] === "help";

function table(file, source) {
  const cases = JSON.parse(readFileSync(file, "utf8"));
  for (const c of cases) {
    test(`${source}: ${c.name}`, (t) => {
      const opts = options(c);
      if (c.stdout_closed) {
        // spawnSync always reads the child's stdout: a pipe with no reader is made for it
        const out = runNpmStdoutClosed(c.args, opts);
        const problems = check(c, out);
        assert.deepEqual(problems, [], `${problems.join("\n")}\n--- stderr:\n${out.stderr}`);
        return;
      }
      const out = runNpm(c.args, opts);
      const problems = check(c, out);
      assert.deepEqual(problems, [], `${problems.join("\n")}\n--- stdout:\n${out.stdout}\n--- stderr:\n${out.stderr}`);
      if (native === undefined || c.npm_only) return;
      const nat = runNative(c.args, opts);
      assert.equal(out.status, nat.status, `exit code: npm ${out.status}, native ${nat.status}\n${nat.stderr}`);
      if (!isHelp(c.args) && !c.args.includes("--version")) assert.equal(out.stdout, nat.stdout, "stdout as the native CLI's");
      if (nat.stderr.startsWith("error[")) assert.equal(out.stderr, nat.stderr, "stderr as the native CLI's");
    });
  }
}

table(join(repo, "tests/cli/cases.json"), "native table");
table(new URL("./cli-cases.json", import.meta.url), "npm table");

test("--version is the native CLI's", (t) => {
  const out = runNpm(["--version"]);
  assert.equal(out.status, 0);
  assert.match(out.stdout, /^clearance \d+\.\d+\.\d+/);
  if (native === undefined) return t.skip("native CLI not built");
  assert.equal(out.stdout.trim(), runNative(["--version"]).stdout.trim());
});
