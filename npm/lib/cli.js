// `clearance` from npm: the native CLI's commands, flags, output and exit codes, on the wasm engine.
// Exit codes: 0 the verdict is pass; 1 a blocking requirement failed or the verdict is incomplete;
// 2 a usage, input or policy error.
//
// This file does what the native CLI's `check.rs`, `engine.rs` and `output.rs` do: read files, run the
// container engine for `--image`, print. Every decision about dumps, policies and reports is the engine's.

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import * as engine from "../index.mjs";
import { COMMANDS, UsageError, parse } from "./args.js";
import { renderGithub } from "./github.js";
import { formatErrors, formatExplanation, formatPolicies, formatPolicy } from "./text.js";

/** The pack used when no `--policy` is given. */
const DEFAULT_POLICY = "image-baseline";

/**
 * Runs one command line. `io` is `{stdout(text), stderr(text), readStdin() → Buffer, env, isTTY}`;
 * answers the exit code.
 */
export function main(argv, io) {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(e.message);
    return 2;
  }
  const { command, values } = parsed;
  switch (command) {
    case "help":
      io.stdout(parsed.text);
      return 0;
    case "version":
      io.stdout(`clearance ${engine.version()}\n`);
      return 0;
    case "check":
      return check(values, io);
    case "policies":
      return policies(values, io);
    case "explain":
      return explain(values, io);
    case "policy validate":
      return validate(values, io);
    case "policy schema":
      io.stdout(readFileSync(new URL("../schema.json", import.meta.url), "utf8"));
      return 0;
    default:
      throw new Error(`clearance: no handler for ${command} (known: ${Object.keys(COMMANDS).join(", ")})`);
  }
}

/** Prints errors (to stderr, or as a JSON failure answer on stdout) and answers exit code 2. */
function errors(list, json, io) {
  if (json) io.stdout(`${JSON.stringify({ type: "failure", errors: list })}\n`);
  else io.stderr(formatErrors(list));
  return 2;
}

function printJson(value, io) {
  io.stdout(`${JSON.stringify(value)}\n`);
}

// ───────────────────────────── check ─────────────────────────────

function check(args, io) {
  const jsonErrors = args.format === "json";
  const built = buildRequest(args, io);
  if (built.errors.length > 0) return errors(built.errors, jsonErrors, io);
  const { policies, dumps, options } = built;
  const answer = engine.evaluate(policies, dumps, options);
  if (answer.type === "failure") return errors(answer.errors, jsonErrors, io);
  const report = answer.report;
  let rendered;
  if (args.format === "github") {
    rendered = renderGithub(report);
    const summary = io.env.GITHUB_STEP_SUMMARY;
    if (summary) {
      const markdown = engine.render(report, "markdown");
      if (markdown.type === "success") writeFileSync(summary, markdown.output, { flag: "a" });
    }
  } else {
    const color =
      args.format === "text" && args.output === undefined && !args["no-color"] && !io.env.NO_COLOR && io.isTTY;
    const out = engine.render(report, args.format, { color });
    if (out.type === "failure") return errors(out.errors, false, io);
    rendered = out.output;
  }
  if (args.output !== undefined) {
    try {
      writeFileSync(args.output, rendered);
    } catch (e) {
      return errors(
        [{ code: "io/write", message: `cannot write \`${args.output}\`: ${osError(e)}`, location: { file: args.output } }],
        // stdout is free: with `--format json` the failure answer goes there, as every error does
        args.format === "json",
        io,
      );
    }
  } else {
    io.stdout(rendered);
  }
  return report.verdict === "pass" ? 0 : 1;
}

function buildRequest(args, io) {
  const errs = [];
  const names = args.policy ?? [DEFAULT_POLICY];
  const builtins = builtinNames();
  const policies = [];
  for (const name of names) {
    const p = policyInput(name, builtins, io);
    if (p.error) errs.push(p.error);
    else policies.push(p.input);
  }
  let waivers;
  if (args.waivers !== undefined) {
    const read = readText(args.waivers, io, "waivers");
    if (read.error) errs.push(read.error);
    else waivers = { name: args.waivers, text: read.text };
  }
  const dumps = [];
  if (args.image !== undefined) {
    if (args.dumps.length > 0) errs.push(usage("give either `--image` or dump files, not both"));
    const bad = optionLikeReferences(args.image, args.container);
    if (bad.length > 0) errs.push(...bad);
    else {
      const inspected = inspect(args.engine, args.image, args.container);
      if (inspected.error) errs.push(inspected.error);
      else dumps.push(...inspected.dumps);
    }
  } else if (args.dumps.length === 0) {
    errs.push({
      code: "usage/no-dump",
      message: "no dump was given",
      help:
        "run `docker image inspect IMAGE > image.json` and `docker history --no-trunc --format '{{json .}}' IMAGE > history.jsonl`, then `clearance check image.json history.jsonl`; or use `--image IMAGE`",
      location: {},
    });
  }
  if (args.dumps.filter((d) => d === "-").length > 1) errs.push(usage("`-` (stdin) can be given only once"));
  for (const path of args.dumps) {
    const read = readBytes(path, io);
    if (read.error) {
      errs.push(read.error);
      continue;
    }
    const text = decodeUtf8(read.bytes, path);
    // As the native CLI: a dump that is not UTF-8 stops here, with only that error.
    if (text.error) return { errors: [text.error] };
    dumps.push({ name: path, content: text.text });
  }
  const today = args.today ?? new Date().toISOString().slice(0, 10);
  return { errors: errs, policies, dumps, options: { waivers, today } };
}

/** The built-in pack names (none when the engine cannot list them: every name is then tried as a file). */
function builtinNames() {
  const answer = engine.builtinPolicies();
  return answer.type === "success" ? answer.policies.map((p) => p.name) : [];
}

/** A built-in pack name, else a file; a name that is neither goes to the engine for its "did you mean". */
function policyInput(name, builtins, io) {
  if (builtins.includes(name)) return { input: name };
  if (existsSync(name) || name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json")) {
    const read = readText(name, io, "policy");
    return read.error ? { error: read.error } : { input: { name, text: read.text } };
  }
  return { input: name };
}

function usage(message) {
  return { code: "usage/arguments", message, help: "see `clearance check --help`", location: {} };
}

// ───────────────────────────── files ─────────────────────────────

/** Rust's `std::io::Error` wording for the usual errors, so messages match the native CLI's. */
function osError(e) {
  const known = {
    ENOENT: "No such file or directory (os error 2)",
    EACCES: "Permission denied (os error 13)",
    EISDIR: "Is a directory (os error 21)",
    ENOTDIR: "Not a directory (os error 20)",
    EPERM: "Operation not permitted (os error 1)",
  };
  return known[e.code] ?? e.message;
}

function readBytes(path, io) {
  try {
    return { bytes: path === "-" ? io.readStdin() : readFileSync(path) };
  } catch (e) {
    return {
      error: { code: "io/read", message: `cannot read \`${path}\`: ${osError(e)}`, location: { file: path } },
    };
  }
}

/** `kind` (`dump`, `policy`, `waivers`) picks the help of a file that is not UTF-8, as the native CLI does. */
function readText(path, io, kind) {
  const read = readBytes(path, io);
  if (read.error) return read;
  return decodeUtf8(read.bytes, path, kind);
}

const NOT_UTF8_HELP = {
  dump: "save the dump as UTF-8, as docker and podman print it",
  policy: "save the policy file as UTF-8: YAML and JSON policies are read as UTF-8",
  waivers: "save the waivers file as UTF-8: YAML and JSON waivers are read as UTF-8",
};

/** Length of the longest valid UTF-8 prefix (Rust's `Utf8Error::valid_up_to`). */
function validUpTo(bytes) {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need;
    let min = 0x80;
    let max = 0xbf;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0;
      if (b === 0xed) max = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += need + 1;
  }
  return i;
}

function decodeUtf8(bytes, path, kind = "dump") {
  // UTF-16 with a byte-order mark (PowerShell's `>`) is decoded, as the native CLI does.
  if (bytes.length % 2 === 0 && bytes.length >= 2) {
    const le = bytes[0] === 0xff && bytes[1] === 0xfe;
    const be = bytes[0] === 0xfe && bytes[1] === 0xff;
    if (le || be) {
      try {
        const text = new TextDecoder(le ? "utf-16le" : "utf-16be", { fatal: true, ignoreBOM: false }).decode(bytes);
        return { text };
      } catch {
        // not valid UTF-16 after all: fall through to the UTF-8 error
      }
    }
  }
  const offset = validUpTo(bytes);
  if (offset === bytes.length) return { text: Buffer.from(bytes).toString("utf8") };
  const prefix = Buffer.from(bytes.subarray(0, offset)).toString("utf8");
  const line = prefix.split("\n").length;
  const column = [...(prefix.split("\n").pop() ?? "")].length + 1;
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  return {
    error: {
      code: "input/not-utf8",
      message: `\`${path}\` is not UTF-8 text: invalid byte at offset ${offset}`,
      help: utf16
        ? "the file is UTF-16 (PowerShell's `>` writes UTF-16); convert it: `iconv -f UTF-16 -t UTF-8`"
        : NOT_UTF8_HELP[kind],
      location: { file: path, line, column },
    },
  };
}

// ───────────────────────────── --image ─────────────────────────────

/** Runs `image inspect` and `history` for the image (and `container inspect`), as the native CLI does. */
/** `--image` / `--container` values that would reach the engine as options: usage errors naming the flag. */
function optionLikeReferences(image, container) {
  return [
    ["--image", image],
    ["--container", container],
  ]
    .filter(([, value]) => value !== undefined && value.startsWith("-"))
    .map(([flag, value]) => ({
      code: "usage/arguments",
      message: `\`${flag}\` takes a name, not \`${value}\`: it cannot start with \`-\``,
      help: `give the image or container name or id after \`${flag}\`; see \`clearance check --help\``,
      location: {},
    }));
}

/** Runs the engine's commands; the reference follows `--`, so the engine never reads it as an option. */
function inspect(program, image, container) {
  const historyFormat = program === "podman" ? "json" : "{{json .}}";
  const runs = [
    [["image", "inspect", "--", image], `${program} image inspect ${image}`],
    [["history", "--no-trunc", "--format", historyFormat, "--", image], `${program} history --no-trunc ${image}`],
  ];
  if (container !== undefined) {
    runs.push([["container", "inspect", "--", container], `${program} container inspect ${container}`]);
  }
  const dumps = [];
  for (const [args, name] of runs) {
    const run = spawnSync(program, args, { maxBuffer: 1 << 30 });
    if (run.error) {
      return {
        error: {
          code: "engine/not-found",
          message: `cannot run \`${program}\`: ${osError(run.error)}`,
          help: `install the \`${program}\` client, or save its output to files and pass them as dumps`,
          location: {},
        },
      };
    }
    if (run.status !== 0) {
      const status = run.status === null ? `signal: ${run.signal}` : `exit status: ${run.status}`;
      return {
        error: {
          code: "engine/failed",
          message: `\`${program} ${args.join(" ")}\` failed (${status}): ${run.stderr.toString("utf8").trim()}`,
          help: "check that the image (or container) exists and the daemon is reachable",
          location: {},
        },
      };
    }
    const offset = validUpTo(run.stdout);
    if (offset !== run.stdout.length) {
      return {
        error: {
          code: "engine/not-utf8",
          message: `\`${program} ${args.join(" ")}\` printed bytes that are not UTF-8 (offset ${offset})`,
          location: {},
        },
      };
    }
    dumps.push({ name, content: run.stdout.toString("utf8") });
  }
  return { dumps };
}

// ───────────────────────────── policies, explain, policy validate ─────────────────────────────

function policies(args, io) {
  const json = args.format === "json";
  if (args.name !== undefined) {
    const answer = engine.policyRequirements(args.name);
    if (answer.type === "failure") return errors(answer.errors, json, io);
    const { policy, requirements } = answer;
    if (json) {
      const rows = requirements.map((r) => ({ id: r.id, title: r.title, section: r.section, severity: r.severity, policy: r.policy }));
      printJson({ name: policy.name, title: policy.title, requirements: rows }, io);
    } else {
      io.stdout(formatPolicy(policy, requirements));
    }
    return 0;
  }
  const answer = engine.builtinPolicies();
  if (answer.type === "failure") return errors(answer.errors, json, io);
  if (json) printJson({ policies: answer.policies }, io);
  else io.stdout(formatPolicies(answer.policies));
  return 0;
}

function explain(args, io) {
  const json = args.format === "json";
  const answer = engine.explain(args.id);
  if (answer.type === "failure") return errors(answer.errors, json, io);
  if (json) printJson({ requirement: answer.requirement }, io);
  else io.stdout(formatExplanation(answer.requirement));
  return 0;
}

function validate(args, io) {
  const json = args.format === "json";
  const read = readText(args.file, io, "policy");
  if (read.error) return errors([read.error], json, io);
  const answer = engine.validatePolicy(read.text, args.file);
  if (json) {
    printJson(answer, io);
    return answer.type === "success" ? 0 : 2;
  }
  if (answer.type === "failure") return errors(answer.errors, false, io);
  io.stdout(`${args.file}: ok — policy \`${answer.policy.name}\` with ${answer.policy.requirements} requirements\n`);
  return 0;
}
