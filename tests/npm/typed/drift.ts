// A control for the samples check: a field the Rust side does not have must fail `tsc`.
// scripts/test-npm expects this file NOT to compile.
import type { ExplainAnswer } from "clearance";

export const drifted: ExplainAnswer = { type: "failure", errors: [{ code: "a/b", message: "m", location: {}, hint: "x" }] };
