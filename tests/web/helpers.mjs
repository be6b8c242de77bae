// Shared helpers of the browser suite: static servers on 127.0.0.1, the browser, request recording,
// the fixtures and the native CLI (for byte-for-byte export parity).
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { createRequire } from "node:module";
import { homedir } from "node:os";

// playwright-core is installed by scripts/setup-web into the tools cache (no package.json or lock file
// in the repository); ES modules ignore NODE_PATH, so it is required from there.
const tools = process.env.CLEARANCE_WEB_TOOLS || join(homedir(), ".cache/clearance/tools/web");
const { chromium } = createRequire(join(tools, "package.json"))("playwright-core");

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const DIST = join(ROOT, "dist");
export const FIXTURES = join(ROOT, "tests/fixtures");
export const CLI = process.env.CLEARANCE_BIN || join(ROOT, "target/debug/clearance");
/** A fixed date, given to the viewer and the CLI alike, so that exports compare byte for byte. */
export const TODAY = "2026-06-01";
const BASE_PORT = Number(process.env.CLEARANCE_WEB_TEST_PORT || 8391);

const servers = [];

/** Serves `dir` with `python3 -m http.server` on 127.0.0.1; resolves to its origin. */
export async function serve(dir, offset = 0) {
  const port = BASE_PORT + offset;
  const child = spawn("python3", ["-m", "http.server", String(port), "--bind", "127.0.0.1", "-d", dir], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  servers.push(child);
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(origin + "/", { method: "HEAD" });
      if (r.status < 500) return origin;
    } catch {
      /* not up yet */
    }
    await sleep(50);
  }
  throw new Error(`the server for ${dir} did not start on ${origin}`);
}

export function stopServers() {
  for (const s of servers) s.kill();
}

/** A copy of dist/ whose index.html allows the given embedding origins. */
export function distAllowing(origins) {
  const dir = mkdtempSync(join(tmpdir(), "clearance-dist-"));
  cpSync(DIST, dir, { recursive: true });
  const index = join(dir, "index.html");
  const html = readFileSync(index, "utf8").replace(
    /<meta name="clearance-embed-origins" content="[^"]*">/,
    `<meta name="clearance-embed-origins" content="${origins}">`,
  );
  writeFileSync(index, html);
  return dir;
}

/** A host page (the example one) served elsewhere, framing the viewer at `viewerOrigin`. */
export function hostPageFor(viewerOrigin) {
  const dir = mkdtempSync(join(tmpdir(), "clearance-host-"));
  const html = readFileSync(join(ROOT, "web/embed-host.html"), "utf8")
    .replace('src="index.html?embed=1"', `src="${viewerOrigin}/index.html?embed=1"`)
    .replace("frame-src 'self'", `frame-src ${viewerOrigin}`);
  writeFileSync(join(dir, "embed-host.html"), html);
  cpSync(join(ROOT, "web/embed-host.js"), join(dir, "embed-host.js"));
  return dir;
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** Every request any page made, for the "no request leaves the origin" check. */
export const requests = [];
/** Page errors and console errors: the suite fails on any. */
export const problems = [];

export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, ...options });
  context.on("request", (r) => requests.push(r.url()));
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    // The one refusal a test provokes on purpose (fetch under connect-src 'none') is expected.
    const provoked = /^(Connecting to '|Fetch API cannot load )http:\/\/127\.0\.0\.1:\d+\/index\.html/;
    if (m.type() === "error" && !provoked.test(m.text())) {
      problems.push(`console: ${m.text()}`);
    }
  });
  return { context, page };
}

/** Opens the viewer and waits until the app has rendered. */
export async function openViewer(page, origin, query = "") {
  await page.goto(`${origin}/index.html${query}`);
  await page.waitForSelector(query.includes("embed") ? ".app.embedded, .refused" : "h1");
}

/** The files of a fixture folder, in name order (the order the viewer's examples use). */
export function fixture(name) {
  const dir = join(FIXTURES, name);
  if (!existsSync(dir)) return null;
  return readdirSync(dir)
    .filter((f) => /\.(json|jsonl|ndjson)$/.test(f) && !f.startsWith("expected"))
    .sort()
    .map((f) => ({ name: f, path: join(dir, f), text: readFileSync(join(dir, f), "utf8") }));
}

/** `clearance check` on a fixture folder, run inside it so documents have the same names as in the viewer. */
export function cli(scenario, policy, format) {
  const files = fixture(scenario).map((f) => f.name);
  const r = spawnSync(CLI, ["check", "--policy", policy, "--format", format, "--today", TODAY, ...files], {
    cwd: join(FIXTURES, scenario),
    encoding: "utf8",
  });
  if (r.error) throw r.error;
  return r.stdout;
}

export function hasCli() {
  return existsSync(CLI);
}
