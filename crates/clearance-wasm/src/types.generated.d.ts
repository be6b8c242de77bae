// The JSON arguments and answers of clearance, generated from the Rust types of clearance-core
// (`ts-rs`, crates/clearance-core/tests/typescript.rs). Do not edit: change the Rust type, then run
//   CLEARANCE_BLESS=1 cargo test -p clearance-core --features ts --test typescript

/**
 * Where a problem is: a document or policy file, and inside it a line/column and/or a JSON pointer.
 */
export type Location = {
  /**
   * Source name of the file (a path, `-` for stdin, or a built-in pack's name).
   */
  file?: string;
  /**
   * 1-based line.
   */
  line?: number;
  /**
   * 1-based column (in characters).
   */
  column?: number;
  /**
   * RFC 6901 JSON pointer (for dumps) or a dotted path (for policies: `requirements[2].check`).
   */
  pointer?: string;
};

/**
 * An error as data, for every non-Rust caller.
 */
export type Diagnostic = {
  /**
   * Stable machine-readable code, `stage/what` (`input/syntax`, `policy/unknown-field`).
   */
  code: string;
  /**
   * What is wrong: lowercase, no final period, user values in backticks.
   */
  message: string;
  /**
   * How to fix it, when there is something to say.
   */
  help?: string;
  location: Location;
};

/**
 * A tagged answer: success with a value, or failure with every error found.
 */
export type Answer<T> =
  | { "type": "success", } & T
  | { "type": "failure", errors: Array<Diagnostic>, };

/**
 * A policy to evaluate: a built-in pack by name (`"reactbin-api-prod"`, in any case), or policy text with a name
 * for error messages.
 */
export type PolicyInput = string | { name: string, text: string, };

/**
 * One dump: its name (for evidence and errors), its content, and optionally what it is.
 */
export type DumpInput = {
  name: string;
  content: DumpContent;
  /**
   * A document kind id (`docker-history`, …) to skip detection; detection is used when absent.
   */
  kind?: DocumentKind | null;
};

/**
 * The content of a dump: the text as printed, or (from JavaScript) an already-parsed JSON value.
 */
export type DumpContent = string | object;

/**
 * What a document was recognised as.
 */
export type DocumentKind =
  | "docker-image-inspect"
  | "docker-container-inspect"
  | "docker-history"
  | "engine-api-history"
  | "podman-image-inspect"
  | "podman-container-inspect"
  | "podman-history"
  | "oci-image-config";

/**
 * A waivers file: its name and its YAML or JSON text.
 */
export type WaiversInput = {
  name: string;
  text: string;
};

/**
 * Overrides for the limits (reading: `Limits`; policies: `policy::Limits`; evaluation:
 * `eval::Options::max_steps`); each field optional, the default applying when absent. Defaults and
 * what each limit guards against: `docs/reliability.md`.
 */
export type LimitsInput = {
  /**
   * Largest dump, policy or waivers text, in bytes (default 128 MiB).
   */
  maxDocumentBytes?: number | null;
  /**
   * Deepest JSON nesting of a dump (default 128).
   */
  maxDepth?: number | null;
  /**
   * Most history entries in one dump (default 100,000).
   */
  maxLayers?: number | null;
  /**
   * Most images or containers in one dump (default 10,000).
   */
  maxEntries?: number | null;
  /**
   * Largest compiled regex of a policy, in bytes (default 1 MiB).
   */
  maxRegexBytes?: number | null;
  /**
   * Most evaluation steps for one requirement on one subject (default 10,000,000); past it the
   * requirement is `error`.
   */
  maxSteps?: number | null;
  /**
   * Most evaluation steps for the whole evaluation (default 200,000,000); past it every remaining
   * requirement is `error` and the verdict at best `incomplete`.
   */
  maxTotalSteps?: number | null;
};

/**
 * Everything `check` takes.
 */
export type CheckRequest = {
  /**
   * At least one policy.
   */
  policies: Array<PolicyInput>;
  /**
   * At least one dump.
   */
  dumps: Array<DumpInput>;
  waivers?: WaiversInput | null;
  /**
   * `YYYY-MM-DD`; waivers with an expiry date are judged against it.
   */
  today?: string | null;
  /**
   * Reading limits; defaults apply when absent.
   */
  limits?: LimitsInput | null;
};

/**
 * What `check` answers on success.
 */
export type CheckOutput = {
  report: Report;
  documents: Array<DocumentSummary>;
};

/**
 * What a caller is told about a document it gave, before any policy runs.
 */
export type DocumentSummary = {
  name: string;
  kind: DocumentKind;
  kindLabel: string;
  /**
   * Images, containers or history entries in the document.
   */
  entries: number;
  /**
   * The first image tag, container name or image id found, for display.
   */
  label?: string;
  /**
   * Remarks for the reviewer (truncated history, missing fields, …).
   */
  notes: Array<string>;
};

/**
 * The whole report. Its JSON form is documented in `docs/report-format.md`.
 */
export type Report = {
  /**
   * Version of the report format (bumped on incompatible change).
   */
  schemaVersion: number;
  tool: ToolInfo;
  policies: Array<PolicyInfo>;
  /**
   * The date waivers were judged against, when one was given.
   */
  today?: string;
  verdict: Verdict;
  counts: Counts;
  /**
   * Report-level notes for the reviewer: waivers that name no loaded requirement, match no subject,
   * did not apply or were not needed; no subject or no requirement evaluated.
   */
  notes: Array<string>;
  subjects: Array<SubjectReport>;
};

export type ToolInfo = {
  name: string;
  version: string;
};

/**
 * A policy that took part.
 */
export type PolicyInfo = {
  name: string;
  title: string;
  version?: string;
  source?: string;
};

/**
 * The overall answer.
 */
export type Verdict = "pass" | "fail" | "incomplete";

/**
 * Counts by status, and failures by severity.
 */
export type Counts = {
  total: number;
  pass: number;
  fail: number;
  waived: number;
  notApplicable: number;
  error: number;
  /**
   * Failed requirements by severity.
   */
  failedBySeverity: SeverityCounts;
};

export type SeverityCounts = {
  error: number;
  warning: number;
  info: number;
};

/**
 * The results for one subject (an image, with its history and container when given).
 */
export type SubjectReport = {
  label: string;
  imageId?: string;
  tags: Array<string>;
  digests: Array<string>;
  documents: Array<string>;
  verdict: Verdict;
  counts: Counts;
  notes: Array<string>;
  results: Array<RequirementResult>;
};

/**
 * The result of one requirement for one subject.
 */
export type RequirementResult = {
  id: string;
  title: string;
  /**
   * What the requirement checks and why (the policy's `description`).
   */
  description: string;
  section: string;
  severity: Severity;
  /**
   * The policy that defined the requirement.
   */
  policy: string;
  status: Status;
  /**
   * One line saying what was found.
   */
  message: string;
  expected: string;
  actual: string;
  evidence: Array<EvidenceItem>;
  /**
   * Evidence items left out of `evidence` to keep it bounded (0 when none were).
   */
  evidenceOmitted: number;
  remediation: string;
  clause?: string;
  waiver?: WaiverNote;
};

/**
 * How much a failure matters. `error` blocks promotion; `warning` and `info` do not.
 */
export type Severity = "error" | "warning" | "info";

/**
 * The status of one requirement for one subject.
 */
export type Status = "pass" | "fail" | "waived" | "not_applicable" | "error";

/**
 * One piece of evidence behind a result.
 */
export type EvidenceItem = {
  /**
   * The document the value was read from (its file name, `-` for standard input, or the name given).
   */
  document: string;
  /**
   * RFC 6901 JSON pointer into the document.
   */
  pointer: string;
  line?: number;
  /**
   * 0-based history layer index.
   */
  layer?: number;
  /**
   * The layer's Dockerfile instruction line (masked), for history evidence.
   */
  instruction?: string;
  /**
   * The value found there (masked).
   */
  value?: string;
};

/**
 * How a waiver bore on a result.
 */
export type WaiverNote = {
  reason: string;
  approver?: string;
  expires?: string;
  /**
   * False when the waiver had expired on the evaluation date, or has an expiry date and no date was
   * given (the result keeps its status).
   */
  applied: boolean;
  /**
   * What happened, in one line: `waiver applies until 2026-12-31`, `waiver expired on 2026-01-31
   * (today is 2026-02-01)`, `waiver has an expiry date but no --today was given (…)`.
   */
  message: string;
};

/**
 * What `detect` answers on success.
 */
export type DetectOutput = {
  document: DocumentSummary;
};

/**
 * What `validatePolicy` answers on success.
 */
export type ValidateOutput = {
  policy: PolicySummary;
};

/**
 * A policy's metadata.
 */
export type PolicySummary = {
  name: string;
  title: string;
  version?: string;
  description?: string;
  source?: string;
  includes: Array<string>;
  requirements: number;
  outOfScope: Array<OutOfScope>;
};

/**
 * A clause of the source contract that inspect/history output cannot show, and what is checked instead.
 */
export type OutOfScope = {
  clause: string;
  proxy?: string;
};

/**
 * What `builtinPolicies` answers.
 */
export type BuiltinsOutput = {
  policies: Array<PolicySummary>;
};

/**
 * What `policy_requirements` answers: the policy's metadata and its requirements in policy order.
 */
export type RequirementsOutput = {
  policy: PolicySummary;
  requirements: Array<RequirementSummary>;
};

/**
 * One requirement of a policy, as `clearance policies NAME` lists it.
 */
export type RequirementSummary = {
  id: string;
  title: string;
  section: string;
  severity: Severity;
  /**
   * The policy that defined it (an included pack, for inherited requirements).
   */
  policy: string;
};

/**
 * What `explain` answers on success.
 */
export type ExplainOutput = {
  requirement: Explanation;
};

/**
 * Everything known about one requirement, for `explain` and the web app.
 */
export type Explanation = {
  id: string;
  title: string;
  section: string;
  severity: Severity;
  policy: string;
  description: string;
  remediation: string;
  clause?: string;
  example?: string;
  /**
   * Other built-in packs that carry the same requirement (through `include`).
   */
  alsoIn: Array<string>;
};

/**
 * What `render` answers on success.
 */
export type RenderOutput = {
  format: ReportFormat;
  output: string;
};

/**
 * Output formats every home offers.
 */
export type ReportFormat = "text" | "json" | "sarif" | "junit" | "markdown";
