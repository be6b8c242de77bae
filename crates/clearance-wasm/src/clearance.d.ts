// What the JavaScript API adds to the engine's JSON types. The types of every argument and answer
// (Report, RequirementResult, Diagnostic, DumpInput, …) are generated from the Rust types of clearance-core
// into crates/clearance-wasm/src/types.generated.d.ts (in the package: the declarations before this
// comment). This part holds only what has no Rust type of its own: the answer of each function and the
// option objects the bindings take apart. crates/clearance-wasm/src/lib.rs hands both parts to wasm-bindgen
// (`typescript_custom_section`), which writes them into the package's one `.d.ts` next to the function
// signatures, so the generated names are in scope here without an import. `scripts/test-npm` checks every
// answer the engine gives in its tests against these declarations with `tsc`.

/** A domain failure: every error found. Never thrown. */
export type Failure = Extract<Answer<unknown>, { type: "failure" }>;

/** The third argument of `evaluate`: a check request without its policies and dumps. */
export type EvaluateOptions = Omit<CheckRequest, "policies" | "dumps">;

/** The third argument of `render`. */
export interface RenderOptions {
  /** ANSI colour in the text format. */
  color?: boolean;
}

export type CheckAnswer = Answer<CheckOutput>;
export type DetectAnswer = Answer<DetectOutput>;
export type ValidateAnswer = Answer<ValidateOutput>;
export type BuiltinsAnswer = Answer<BuiltinsOutput>;
export type RequirementsAnswer = Answer<RequirementsOutput>;
export type ExplainAnswer = Answer<ExplainOutput>;
export type RenderAnswer = Answer<RenderOutput>;
