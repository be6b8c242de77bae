// Node, ES modules: the same engine instance as `require("clearance")` (index.cjs, loaded synchronously).
import engine from "./index.cjs";

export const {
  evaluate,
  detect,
  validatePolicy,
  builtinPolicies,
  policyRequirements,
  explain,
  render,
  version,
} = engine;
