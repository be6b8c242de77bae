// The arguments and answers of the engine, as JSON. These mirror the serde types of
// `clearance_core::api`, `report`, `input` and `diagnostic` (field names camelCase, optional fields left
// out when empty). wasm-bindgen copies this file into the package's declarations; `scripts/test-npm`
// checks every answer the engine gives in its tests against them with `tsc` (exact object literals, so a
// field added, renamed or removed on the Rust side fails CI).

/** Where a problem is: a file, a 1-based line and column, and/or a JSON pointer. */
export interface Location {
  file?: string;
  line?: number;
  column?: number;
  pointer?: string;
}

/** An error as data. `code` is stable (`input/syntax`, `policy/unknown-field`, `request/bad-argument`). */
export interface Diagnostic {
  code: string;
  message: string;
  help?: string;
  location: Location;
}

/** A domain failure: every error found. Never thrown. */
export interface Failure {
  type: "failure";
  errors: Diagnostic[];
}

/** A tagged answer: `{type: "success", ...value}` or `{type: "failure", errors}`. */
export type Answer<T> = ({ type: "success" } & T) | Failure;

/** A built-in pack by name (`"reactbin-api-prod"`), or policy text (YAML or JSON) with a name. */
export type PolicyInput = string | { name: string; text: string };

/** What a document can be recognised as. */
export type DocumentKind =
  | "docker-image-inspect"
  | "docker-container-inspect"
  | "docker-history"
  | "engine-api-history"
  | "podman-image-inspect"
  | "podman-container-inspect"
  | "podman-history"
  | "oci-image-config";

/** One dump: its name (for evidence), its text as printed or its already-parsed JSON. */
export interface DumpInput {
  name: string;
  content: string | object;
  /** Skip detection. */
  kind?: DocumentKind;
}

/** A waivers file: its name and its YAML or JSON text. */
export interface WaiversInput {
  name: string;
  text: string;
}

/** Reading and evaluation limits; each one defaults when left out. */
export interface LimitsInput {
  /** Largest dump, policy or waivers text, in bytes (default 128 MiB). */
  maxDocumentBytes?: number;
  /** Deepest JSON nesting of a dump (default 128). */
  maxDepth?: number;
  /** Most history entries in one dump (default 100,000). */
  maxLayers?: number;
  /** Most images or containers in one dump (default 10,000). */
  maxEntries?: number;
  /** Largest compiled regex of a policy, in bytes (default 1 MiB). */
  maxRegexBytes?: number;
  /** Most evaluation steps for one requirement on one subject (default 10,000,000); past it: `error`. */
  maxSteps?: number;
  /** Most evaluation steps for the whole evaluation (default 200,000,000); past it every remaining requirement is `error`. */
  maxTotalSteps?: number;
}

/** The third argument of `evaluate`. */
export interface EvaluateOptions {
  waivers?: WaiversInput;
  /** `YYYY-MM-DD`: waivers with an expiry date are judged against it. */
  today?: string;
  limits?: LimitsInput;
}

/** The third argument of `render`. */
export interface RenderOptions {
  /** ANSI colour in the text format. */
  color?: boolean;
}

export type Severity = "error" | "warning" | "info";
export type Status = "pass" | "fail" | "waived" | "not_applicable" | "error";
export type Verdict = "pass" | "fail" | "incomplete";
export type ReportFormat = "text" | "json" | "sarif" | "junit" | "markdown";

/** What a caller is told about a document it gave. */
export interface DocumentSummary {
  name: string;
  kind: DocumentKind;
  kindLabel: string;
  entries: number;
  label?: string;
  notes: string[];
}

export interface SeverityCounts {
  error: number;
  warning: number;
  info: number;
}

export interface Counts {
  total: number;
  pass: number;
  fail: number;
  waived: number;
  notApplicable: number;
  error: number;
  failedBySeverity: SeverityCounts;
}

/** One piece of evidence: a document and a JSON pointer into it, with the value found (masked). */
export interface EvidenceItem {
  document: string;
  pointer: string;
  line?: number;
  /** 0-based history layer index. */
  layer?: number;
  instruction?: string;
  value?: string;
}

export interface WaiverNote {
  reason: string;
  approver?: string;
  expires?: string;
  /** False when the waiver had expired on the evaluation date, or has an expiry date and no date was given. */
  applied: boolean;
  /** What happened, in one line: `waiver applies until 2026-12-31`, `waiver expired on …`. */
  message: string;
}

export interface RequirementResult {
  id: string;
  title: string;
  /** What the requirement checks and why. */
  description: string;
  section: string;
  severity: Severity;
  policy: string;
  status: Status;
  message: string;
  expected: string;
  actual: string;
  evidence: EvidenceItem[];
  /** Evidence items left out of `evidence` to keep it bounded (0 when none were). */
  evidenceOmitted: number;
  remediation: string;
  clause?: string;
  waiver?: WaiverNote;
}

export interface SubjectReport {
  label: string;
  imageId?: string;
  tags: string[];
  digests: string[];
  documents: string[];
  verdict: Verdict;
  counts: Counts;
  notes: string[];
  results: RequirementResult[];
}

export interface PolicyInfo {
  name: string;
  title: string;
  version?: string;
  source?: string;
}

export interface ToolInfo {
  name: string;
  version: string;
}

/** The report (`docs/report-format.md`). */
export interface Report {
  schemaVersion: number;
  tool: ToolInfo;
  policies: PolicyInfo[];
  today?: string;
  verdict: Verdict;
  counts: Counts;
  /** Report-level notes for the reviewer (waivers that did not apply, nothing evaluated, …). */
  notes: string[];
  subjects: SubjectReport[];
}

export interface CheckOutput {
  report: Report;
  documents: DocumentSummary[];
}

export interface DetectOutput {
  document: DocumentSummary;
}

/** A contract clause that dumps cannot show, and what is checked instead. */
export interface OutOfScope {
  clause: string;
  proxy?: string;
}

export interface PolicySummary {
  name: string;
  title: string;
  version?: string;
  description?: string;
  source?: string;
  includes: string[];
  requirements: number;
  outOfScope: OutOfScope[];
}

export interface ValidateOutput {
  policy: PolicySummary;
}

/** One requirement of a policy, as `clearance policies NAME` lists it. */
export interface RequirementSummary {
  id: string;
  title: string;
  section: string;
  severity: Severity;
  /** The policy that defined it (an included pack, for inherited requirements). */
  policy: string;
}

export interface RequirementsOutput {
  policy: PolicySummary;
  requirements: RequirementSummary[];
}

export interface BuiltinsOutput {
  policies: PolicySummary[];
}

export interface Explanation {
  id: string;
  title: string;
  section: string;
  severity: Severity;
  policy: string;
  description: string;
  remediation: string;
  clause?: string;
  example?: string;
  /** Other built-in packs that carry the same requirement. */
  alsoIn: string[];
}

export interface ExplainOutput {
  requirement: Explanation;
}

export interface RenderOutput {
  format: ReportFormat;
  output: string;
}

export type CheckAnswer = Answer<CheckOutput>;
export type DetectAnswer = Answer<DetectOutput>;
export type ValidateAnswer = Answer<ValidateOutput>;
export type BuiltinsAnswer = Answer<BuiltinsOutput>;
export type RequirementsAnswer = Answer<RequirementsOutput>;
export type ExplainAnswer = Answer<ExplainOutput>;
export type RenderAnswer = Answer<RenderOutput>;
