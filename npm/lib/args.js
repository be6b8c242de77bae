// The command line of `clearance`: the native CLI's commands, flags, help and usage errors (clap's words),
// with `github` added to `check --format`. Exit code 2 for every usage error, as the native CLI.

const REPORT_FORMATS = ["text", "json", "sarif", "junit", "markdown", "github"];
const LIST_FORMATS = ["text", "json"];

const listFormat = { long: "format", value: "FORMAT", choices: LIST_FORMATS, default: "text" };
const help = { long: "help", short: "h", flag: true, about: "Print help" };

/** Every command: its usage line, options and positionals, and its help text's lines. */
export const COMMANDS = {
  check: {
    about: "Evaluate policies against dumps (auto-detected; `-` reads stdin)",
    usage: "clearance check [OPTIONS] [DUMP]...",
    positional: { name: "dumps", value: "DUMP", many: true, about: "Dump files: image inspect, container inspect, history, OCI config; `-` for stdin" },
    options: [
      { long: "policy", short: "p", value: "NAME|FILE", multiple: true, about: "A built-in pack name or a policy file (YAML or JSON); repeat for several. Default: `image-baseline`" },
      { long: "waivers", value: "FILE", about: "A waivers file (YAML or JSON)" },
      { long: "today", value: "YYYY-MM-DD", about: "The date waivers are judged against (default: today, UTC)" },
      { long: "format", short: "f", value: "FORMAT", choices: REPORT_FORMATS, default: "text", about: "" },
      { long: "output", short: "o", value: "FILE", about: "Write the report here instead of stdout" },
      { long: "image", value: "REF", about: "Inspect this image with the container engine instead of reading dumps" },
      { long: "container", value: "NAME", requires: "image", about: "With --image: also inspect this container (runtime checks)" },
      { long: "engine", value: "ENGINE", choices: ["docker", "podman"], default: "docker", about: "The engine `--image` runs" },
      { long: "no-color", flag: true, about: "Never colour the text report (colour is on for a terminal unless NO_COLOR is set)" },
      help,
    ],
  },
  policies: {
    about: "List the built-in policy packs, or the requirements of one",
    usage: "clearance policies [OPTIONS] [NAME]",
    positional: { name: "name", value: "NAME", optional: true, about: "A pack name: list its requirements" },
    options: [listFormat, help],
  },
  explain: {
    about: "Explain a built-in requirement: what it checks, why, a failing example and the fix",
    usage: "clearance explain [OPTIONS] <ID>",
    positional: { name: "id", value: "ID", about: "Requirement id, e.g. `NET-001`" },
    options: [listFormat, help],
  },
  "policy validate": {
    about: "Validate a policy file: every problem with its line and column",
    usage: "clearance policy validate [OPTIONS] <FILE>",
    positional: { name: "file", value: "FILE" },
    options: [listFormat, help],
  },
  "policy schema": {
    about: "Print the JSON Schema of the policy and waivers formats (for editors)",
    usage: "clearance policy schema",
    options: [help],
  },
};

export const TOP_HELP = `clearance: check container images against their contract

Usage: clearance <COMMAND>

Commands:
  check     Evaluate policies against dumps (auto-detected; \`-\` reads stdin)
  policies  List the built-in policy packs, or the requirements of one
  explain   Explain a built-in requirement: what it checks, why, a failing example and the fix
  policy    Work with policy files
  help      Print this message or the help of the given subcommand(s)

Options:
  -h, --help     Print help
  -V, --version  Print version
`;

const POLICY_HELP = `Work with policy files

Usage: clearance policy <COMMAND>

Commands:
  validate  Validate a policy file: every problem with its line and column
  schema    Print the JSON Schema of the policy and waivers formats (for editors)
  help      Print this message or the help of the given subcommand(s)

Options:
  -h, --help  Print help
`;

/** A usage error: the message clap would print; exit code 2. */
export class UsageError extends Error {}

const MORE = "\n\nFor more information, try '--help'.\n";

function optionLabel(o) {
  return o.flag ? `--${o.long}` : `--${o.long} <${o.value}>`;
}

/** The help text of a command, laid out as clap does. */
export function commandHelp(name) {
  if (name === "policy") return POLICY_HELP;
  const spec = COMMANDS[name];
  let out = `${spec.about}\n\nUsage: ${spec.usage}\n`;
  if (spec.positional) {
    const p = spec.positional;
    const label = p.many ? `[${p.value}]...` : p.optional ? `[${p.value}]` : `<${p.value}>`;
    out += `\nArguments:\n  ${label}${p.about ? `  ${p.about}` : ""}\n`;
  }
  const rows = spec.options.map((o) => {
    const flag = `${o.short ? `-${o.short}, ` : "    "}${optionLabel(o)}`;
    let about = o.about;
    if (o.default !== undefined) about += `${about ? " " : ""}[default: ${o.default}]`;
    if (o.choices) about += ` [possible values: ${o.choices.join(", ")}]`;
    return [flag, about];
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  out += "\nOptions:\n";
  for (const [flag, about] of rows) out += `  ${flag.padEnd(width)}  ${about}\n`;
  return out;
}

/**
 * Splits `argv` (without `node` and the script) into a command and its values. Returns
 * `{command: "help"|"version", text}` for help and version, else `{command, values}`. Throws
 * `UsageError` for anything clap would refuse.
 */
export function parse(argv) {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(TOP_HELP);
  if (first === "-h" || first === "--help") return { command: "help", text: TOP_HELP };
  if (first === "-V" || first === "--version") return { command: "version" };
  if (first === "help") {
    const topic = rest.join(" ");
    if (topic === "") return { command: "help", text: TOP_HELP };
    if (topic === "policy" || COMMANDS[topic]) return { command: "help", text: commandHelp(topic) };
    throw new UsageError(`error: unrecognized subcommand '${rest[0]}'\n\nUsage: clearance <COMMAND>${MORE}`);
  }
  if (first === "policy") {
    const [sub, ...subRest] = rest;
    if (sub === undefined) throw new UsageError(POLICY_HELP);
    if (sub === "-h" || sub === "--help" || (sub === "help" && subRest.length === 0)) {
      return { command: "help", text: POLICY_HELP };
    }
    if (sub === "help") return parse(["help", "policy", ...subRest]);
    if (!COMMANDS[`policy ${sub}`]) {
      throw new UsageError(`error: unrecognized subcommand '${sub}'\n\nUsage: clearance policy <COMMAND>${MORE}`);
    }
    return parseCommand(`policy ${sub}`, subRest);
  }
  if (!COMMANDS[first]) {
    throw new UsageError(`error: unrecognized subcommand '${first}'\n\nUsage: clearance <COMMAND>${MORE}`);
  }
  return parseCommand(first, rest);
}

function parseCommand(name, args) {
  const spec = COMMANDS[name];
  const values = {};
  const positionals = [];
  const seen = new Set();
  const set = (o, value) => {
    if (o.flag) {
      values[o.long] = true;
      return;
    }
    if (o.choices && !o.choices.includes(value)) {
      throw new UsageError(
        `error: invalid value '${value}' for '${optionLabel(o)}'\n  [possible values: ${o.choices.join(", ")}]${MORE}`,
      );
    }
    if (o.multiple) {
      (values[o.long] ??= []).push(value);
    } else {
      if (seen.has(o.long)) {
        throw new UsageError(`error: the argument '${optionLabel(o)}' cannot be used multiple times\n\nUsage: ${spec.usage}${MORE}`);
      }
      values[o.long] = value;
    }
    seen.add(o.long);
  };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    let option;
    let inline;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const long = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq === -1 ? undefined : arg.slice(eq + 1);
      option = spec.options.find((o) => o.long === long);
    } else if (arg.startsWith("-") && arg !== "-") {
      option = spec.options.find((o) => o.short === arg[1]);
      if (arg.length > 2) inline = arg[2] === "=" ? arg.slice(3) : arg.slice(2);
    } else {
      positionals.push(arg);
      continue;
    }
    if (option === undefined || (option.flag && inline !== undefined)) {
      throw new UsageError(`error: unexpected argument '${arg}' found\n\nUsage: ${spec.usage}${MORE}`);
    }
    if (option.long === "help") return { command: "help", text: commandHelp(name) };
    if (option.flag) {
      set(option);
      continue;
    }
    if (inline === undefined) {
      i += 1;
      if (i >= args.length) {
        throw new UsageError(`error: a value is required for '${optionLabel(option)}' but none was supplied${MORE}`);
      }
      inline = args[i];
    }
    set(option, inline);
  }
  for (const o of spec.options) {
    if (o.requires && values[o.long] !== undefined && values[o.requires] === undefined) {
      const needed = spec.options.find((r) => r.long === o.requires);
      throw new UsageError(
        `error: the following required arguments were not provided:\n  ${optionLabel(needed)}\n\nUsage: ${spec.usage}${MORE}`,
      );
    }
    if (o.default !== undefined && values[o.long] === undefined) values[o.long] = o.default;
  }
  const p = spec.positional;
  if (p === undefined) {
    if (positionals.length > 0) {
      throw new UsageError(`error: unexpected argument '${positionals[0]}' found\n\nUsage: ${spec.usage}${MORE}`);
    }
  } else if (p.many) {
    values[p.name] = positionals;
  } else {
    if (positionals.length > 1) {
      throw new UsageError(`error: unexpected argument '${positionals[1]}' found\n\nUsage: ${spec.usage}${MORE}`);
    }
    if (positionals.length === 0 && !p.optional) {
      throw new UsageError(
        `error: the following required arguments were not provided:\n  <${p.value}>\n\nUsage: ${spec.usage}${MORE}`,
      );
    }
    values[p.name] = positionals[0];
  }
  return { command: name, values };
}
