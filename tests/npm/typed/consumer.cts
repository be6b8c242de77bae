// A typed CommonJS consumer: `require("clearance")` has the same declarations.
import clearance = require("clearance");

const answer: clearance.CheckAnswer = clearance.evaluate("image-baseline", [{ name: "i.json", content: "[]" }]);
export const verdict: string = answer.type === "success" ? answer.report.verdict : answer.errors[0]?.code ?? "";
