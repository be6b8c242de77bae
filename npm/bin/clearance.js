#!/usr/bin/env node
// `npx clearance check ...`: see lib/cli.js.
import { readFileSync } from "node:fs";
import { main } from "../lib/cli.js";

process.exitCode = main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => readFileSync(0),
  env: process.env,
  isTTY: Boolean(process.stdout.isTTY),
});
