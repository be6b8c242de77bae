// Plain-text output of the CLI's non-report commands and errors: the same lines the native CLI prints
// (crates/clearance-cli/src/output.rs and `Diagnostic`'s Display in clearance-core).

/** `file:line:column at `pointer``, leaving out what is unknown (clearance-core `Location`'s Display). */
export function formatLocation(location = {}) {
  let out = "";
  let wrote = false;
  if (location.file !== undefined) {
    out += location.file;
    wrote = true;
  }
  if (location.line !== undefined) {
    out += (wrote ? ":" : "line ") + location.line;
    if (location.column !== undefined) out += `:${location.column}`;
    wrote = true;
  }
  if (location.pointer !== undefined) {
    if (wrote) out += " ";
    out += `at \`${location.pointer}\``;
  }
  return out;
}

/** `error[code]: location: message` and an indented `help:` line (clearance-core `Diagnostic`'s Display). */
export function formatDiagnostic(d) {
  const loc = formatLocation(d.location);
  let out = loc === "" ? `error[${d.code}]: ${d.message}` : `error[${d.code}]: ${loc}: ${d.message}`;
  if (d.help !== undefined) out += `\n  help: ${d.help}`;
  return out;
}

/** Every error, one after the other, and a count when there are several. */
export function formatErrors(errors) {
  let out = errors.map((e) => `${formatDiagnostic(e)}\n`).join("");
  if (errors.length > 1) out += `${errors.length} errors\n`;
  return out;
}

/** Rust's `{:<width}` / `{:>width}` for short ASCII-ish values. */
const left = (s, width) => String(s).padEnd(width);
const right = (s, width) => String(s).padStart(width);

/** `clearance policies`: one line per built-in pack. */
export function formatPolicies(policies) {
  let out = "";
  for (const p of policies) out += `${left(p.name, 20)} ${right(p.requirements, 3)} requirements  ${p.title}\n`;
  out += "\n`clearance policies NAME` lists a pack's requirements; `clearance explain ID` explains one.\n";
  return out;
}

/** `clearance policies NAME`: the pack's requirements by section, and what it cannot check. */
export function formatPolicy(policy, requirements) {
  let out = `${policy.name} — ${policy.title}\n`;
  if (policy.description !== undefined) out += `\n${policy.description.trim()}\n\n`;
  let section;
  for (const r of requirements) {
    if (r.section !== section) {
      section = r.section;
      out += `\n${section}\n`;
    }
    out += `  ${left(r.id, 16)} ${left(r.severity, 8)} ${r.title}\n`;
  }
  if (policy.outOfScope.length > 0) {
    out += "\nOut of scope (not observable in dumps):\n";
    for (const o of policy.outOfScope) {
      out += o.proxy !== undefined ? `  - ${o.clause} (checked instead: ${o.proxy})\n` : `  - ${o.clause}\n`;
    }
  }
  return out;
}

/** Rust's `text.trim_end().lines()` indented by two spaces. */
function indent(text) {
  const trimmed = text.trimEnd();
  if (trimmed === "") return "";
  return trimmed
    .split("\n")
    .map((line) => `  ${line.endsWith("\r") ? line.slice(0, -1) : line}`)
    .join("\n");
}

/** `clearance explain ID`. */
export function formatExplanation(r) {
  let out = `${r.id} — ${r.title}\n`;
  out += `policy: ${r.policy}   section: ${r.section}   severity: ${r.severity}\n`;
  if (r.alsoIn.length > 0) out += `also in: ${r.alsoIn.join(", ")}\n`;
  if (r.clause !== undefined) out += `clause: ${r.clause}\n`;
  out += `\nWhat it checks and why\n${indent(r.description)}\n`;
  if (r.example !== undefined) out += `\nA failing example\n${indent(r.example)}\n`;
  out += `\nFix\n${indent(r.remediation)}\n`;
  return out;
}
