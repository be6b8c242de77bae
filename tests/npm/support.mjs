// Shared by the Node tests. They run from a temporary folder where scripts/test-npm installed the packed
// tarball with `npm install`, as a user would; `import ... from "clearance"` resolves there.
//   CLEARANCE_REPO    the repository (fixtures, tests/cli/cases.json)
//   CLEARANCE_NATIVE  the native CLI binary (for parity), when built
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";

export const repo = process.env.CLEARANCE_REPO ?? process.cwd();
export const native = process.env.CLEARANCE_NATIVE;
export const require = createRequire(join(process.cwd(), "package.json"));
/** The installed package's bin script. */
export const bin = join(process.cwd(), "node_modules", "clearance", "bin", "clearance.js");
/** A fixed date so reports do not change at midnight. */
export const TODAY = "2026-01-15";

/** Files a fixture set holds that are not dumps. */
const NOT_DUMPS = /^(expected|case|cases|policy|policies|waivers|README)([.-]|$)/i;
const DUMP_FILE = /\.(json|jsonl|ndjson)$/i;

/**
 * Every fixture set under tests/fixtures/: `{name, dir, dumps: [relative paths], waivers?}`, in name order.
 * Dumps are the set's .json/.jsonl/.ndjson files other than expectations, policies and waivers.
 */
export function fixtureSets() {
  const root = join(repo, "tests", "fixtures");
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .sort()
    .map((name) => {
      const files = readdirSync(join(root, name)).sort();
      const dumps = files.filter((f) => DUMP_FILE.test(f) && !NOT_DUMPS.test(f)).map((f) => `tests/fixtures/${name}/${f}`);
      const waivers = files.find((f) => /^waivers\.(ya?ml|json)$/i.test(f));
      return { name, dumps, waivers: waivers && `tests/fixtures/${name}/${waivers}` };
    })
    .filter((set) => set.dumps.length > 0);
}

/** A repository file as UTF-8 text. */
export function repoText(path) {
  return readFileSync(join(repo, path), "utf8");
}

/** Runs a program from the repository root; answers `{status, stdout, stderr}` (stdout/stderr as text). */
export function run(program, args, { env = {}, input, path } = {}) {
  const fullEnv = { ...process.env, ...env };
  delete fullEnv.NO_COLOR;
  if (path !== undefined) fullEnv.PATH = path;
  const out = spawnSync(program, args, {
    cwd: repo,
    env: fullEnv,
    input: input ?? "",
    maxBuffer: 1 << 28,
  });
  if (out.error) throw out.error;
  return { status: out.status, stdout: out.stdout.toString("utf8"), stderr: out.stderr.toString("utf8") };
}

/** Runs the installed npm `clearance` bin (through this node, so an empty PATH still works). */
export function runNpm(args, options) {
  return run(process.execPath, [bin, ...args], options);
}

/**
 * Runs the installed npm `clearance` bin with its stdout a pipe whose reader is already gone (`clearance …
 * | head -1` once head has exited): python3 makes the pipe and closes its read end before starting it.
 * Answers `{status, stdout: "", stderr}`.
 */
export function runNpmStdoutClosed(args, options) {
  const closed = "import os, subprocess, sys\nr, w = os.pipe()\nos.close(r)\nsys.exit(subprocess.call(sys.argv[1:], stdout=w))";
  return { ...run("python3", ["-c", closed, process.execPath, bin, ...args], options), stdout: "" };
}

/** Runs the native CLI. */
export function runNative(args, options) {
  return run(native, args, options);
}

/** Loose check that an error reads as the style guide says: lowercase start, no final period. */
export function styleProblems(error) {
  const problems = [];
  if (typeof error.code !== "string" || !/^[a-z0-9-]+\/[a-z0-9-]+$/.test(error.code)) problems.push(`code ${error.code}`);
  if (typeof error.message !== "string" || error.message === "") problems.push("no message");
  else {
    if (/^[A-Z][a-z]/.test(error.message)) problems.push(`message starts uppercase: ${error.message}`);
    if (error.message.endsWith(".")) problems.push(`message ends with a period: ${error.message}`);
  }
  if (error.help !== undefined && typeof error.help !== "string") problems.push("help is not a string");
  if (typeof error.location !== "object" || error.location === null) problems.push("no location object");
  return problems;
}
