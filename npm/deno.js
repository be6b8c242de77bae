// Deno: the web build, instantiated from the .wasm beside this file (needs `--allow-read`).
import { initSync } from "./web.js";

initSync({ module: Deno.readFileSync(new URL("./clearance_bg.wasm", import.meta.url)) });

export {
  builtinPolicies,
  detect,
  evaluate,
  explain,
  policyRequirements,
  render,
  validatePolicy,
  version,
} from "./web.js";
