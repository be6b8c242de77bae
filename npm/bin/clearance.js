#!/usr/bin/env node
// `npx clearance check ...`: see lib/cli.js.
import { readFileSync } from "node:fs";
import { main } from "../lib/cli.js";

// A closed stdout (`clearance policies | head -1`) is an `io/write` error with exit code 2, as in the
// native CLI, not an unhandled EPIPE with a stack trace.
process.stdout.on("error", (e) => {
  process.stderr.write(`error[io/write]: cannot write to stdout: ${e.message}\n`);
  process.exit(2);
});

process.exitCode = main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => readFileSync(0),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
});
