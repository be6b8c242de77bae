// A typed consumer of the package (Node, ES modules). `tsc --noEmit` must accept it: the declarations
// describe every call, and the `@ts-expect-error` lines prove they are strict, not `any`.
import {
  builtinPolicies,
  detect,
  evaluate,
  explain,
  policyRequirements,
  render,
  validatePolicy,
  version,
} from "clearance";
import type {
  CheckAnswer,
  Diagnostic,
  DocumentKind,
  DumpInput,
  EvaluateOptions,
  Failure,
  LimitsInput,
  Location,
  PolicyInput,
  Report,
  ReportFormat,
  RequirementResult,
  Severity,
  Status,
  Verdict,
} from "clearance";

const dumps: DumpInput[] = [
  { name: "image.json", content: "[]" },
  { name: "history.jsonl", content: [{ CreatedBy: "RUN true" }], kind: "docker-history" },
];
const policies: PolicyInput[] = ["image-baseline", { name: "mine.yaml", text: "name: mine" }];
const options: EvaluateOptions = {
  today: "2026-01-15",
  waivers: { name: "w.yaml", text: "waivers: []" },
  limits: { maxDocumentBytes: 1 << 20, maxDepth: 64, maxLayers: 500, maxEntries: 10_000, maxRegexBytes: 1 << 20, maxSteps: 1e6 },
};

const answer: CheckAnswer = evaluate(policies, dumps, options);
evaluate("image-baseline", dumps[0]);

function where(location: Location): string {
  return [location.file, location.line, location.column, location.pointer].filter((x) => x !== undefined).join(":");
}

export function summary(a: CheckAnswer): string {
  if (a.type === "failure") {
    const errors: Diagnostic[] = a.errors;
    return errors.map((e) => `${e.code} ${e.message} ${e.help ?? ""} ${where(e.location)}`).join("\n");
  }
  const report: Report = a.report;
  const verdict: Verdict = report.verdict;
  const failed: RequirementResult[] = report.subjects.flatMap((s) => s.results.filter((r) => r.status === "fail"));
  const severities: Severity[] = failed.map((r) => r.severity);
  const statuses: Status[] = report.subjects.flatMap((s) => s.results.map((r) => r.status));
  const kinds: DocumentKind[] = a.documents.map((d) => d.kind);
  const formats: ReportFormat[] = ["text", "json", "sarif", "junit", "markdown"];
  const outputs = formats.map((f) => {
    const out = render(report, f, { color: false });
    return out.type === "success" ? out.output : out.errors[0]?.message;
  });
  return [verdict, severities.length, statuses.length, kinds.join(","), outputs.length, report.counts.failedBySeverity.error].join(" ");
}
summary(answer);

const d = detect("[]", "a.json");
if (d.type === "success") d.document.kindLabel.toUpperCase();
const v = validatePolicy("name: x", "x.yaml");
if (v.type === "success") v.policy.outOfScope.map((o) => o.clause + (o.proxy ?? ""));
const b = builtinPolicies();
if (b.type === "success") b.policies.map((p) => p.requirements + 1);
const pr = policyRequirements("image-baseline");
if (pr.type === "success") pr.requirements.map((r) => `${r.id} ${r.severity} ${r.section} ${r.policy} ${r.title}`);
const e = explain("USER-001");
if (e.type === "success") e.requirement.alsoIn.join(", ");
const text: string = version();
text.length;

// @ts-expect-error: "pdf" is not a ReportFormat
render({} as Report, "pdf");
// @ts-expect-error: options are checked (a typo)
evaluate("image-baseline", dumps, { todya: "2026-01-15" });
// @ts-expect-error: a dump needs a name
evaluate("image-baseline", [{ content: "[]" }]);
// @ts-expect-error: a success answer has no errors
if (answer.type === "success") answer.errors;
// @ts-expect-error: a dump's kind is one of the DocumentKind ids
evaluate("image-baseline", [{ name: "i.json", content: "[]", kind: "docker-imag-inspect" }]);
// Counts and limits are plain JSON numbers (u64 in Rust), never bigint.
const limits: LimitsInput = { maxTotalSteps: 2e8 };
// @ts-expect-error: not a bigint
const bigLimits: LimitsInput = { maxSteps: 10n };
const failure: Failure | undefined = answer.type === "failure" ? answer : undefined;
[limits, bigLimits, failure?.errors.length];
