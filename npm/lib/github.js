// `--format github`: GitHub Actions workflow commands, one annotation per requirement that failed or
// could not be decided, and a closing notice with the verdict. GitHub shows them on the run's summary
// and, when the dump is a file in the repository, on that file.
// https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions

/** Escapes a message (`%`, CR, LF). */
function escapeData(s) {
  return String(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escapes a property value (also `:` and `,`). */
function escapeProperty(s) {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

const LEVEL = { error: "error", warning: "warning", info: "notice" };

function annotation(level, properties, message) {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(",");
  return `::${level}${props === "" ? "" : ` ${props}`}::${escapeData(message)}\n`;
}

/** The annotations for a report (as `evaluate` answers it). */
export function renderGithub(report) {
  let out = "";
  for (const subject of report.subjects) {
    for (const r of subject.results) {
      if (r.status !== "fail" && r.status !== "error") continue;
      const evidence = r.evidence[0];
      const lines = [
        r.status === "error" ? `could not be decided: ${r.message}` : r.message,
        `expected: ${r.expected}`,
        `actual: ${r.actual}`,
      ];
      if (evidence !== undefined) lines.push(`evidence: ${evidence.document} ${evidence.pointer}`);
      lines.push(`fix: ${r.remediation}`);
      out += annotation(
        LEVEL[r.severity] ?? "error",
        {
          file: evidence?.document,
          line: evidence?.line,
          title: `${r.id} ${r.title} (${subject.label})`,
        },
        lines.join("\n"),
      );
    }
  }
  const c = report.counts;
  const summary =
    `verdict ${report.verdict}: ${c.pass} pass, ${c.fail} fail, ${c.waived} waived, ` +
    `${c.notApplicable} not applicable, ${c.error} error (${report.policies.map((p) => p.name).join(", ")})`;
  out += annotation(report.verdict === "pass" ? "notice" : "error", { title: "clearance" }, summary);
  return out;
}
