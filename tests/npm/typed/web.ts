// A typed browser/bundler consumer of `clearance/web`: init() takes a URL, a Response, bytes or a module.
import init, { evaluate, initSync, render } from "clearance/web";
import type { CheckAnswer } from "clearance/web";

await init();
await init({ module_or_path: new URL("/assets/clearance_bg.wasm", "https://example.invalid") });
await init({ module_or_path: fetch("/clearance_bg.wasm") });
initSync({ module: new Uint8Array([0, 97, 115, 109]) });

const answer: CheckAnswer = evaluate("image-baseline", [{ name: "image.json", content: "[]" }]);
if (answer.type === "success") document.body.textContent = render(answer.report, "markdown").type;
