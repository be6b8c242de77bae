// The browser entry point in a real headless Chromium (when one is installed): a page imports
// `clearance/web.js` from node_modules, `init()` fetches the .wasm beside it, and the page evaluates a
// fixture served beside it. Served on 127.0.0.1 only.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize } from "node:path";
import { TODAY, repo } from "./support.mjs";

const CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm", ".json": "application/json" };

const PAGE = `<pre id="out">loading</pre>
<script type="module">
  import init, { evaluate, render } from "./node_modules/clearance/web.js";
  try {
    await init();
    const names = ["tests/npm/data/app/image-inspect.json", "tests/npm/data/app/history.jsonl"];
    const dumps = await Promise.all(names.map(async (name) => ({ name, content: await (await fetch("/repo/" + name)).text() })));
    const answer = evaluate("image-baseline", dumps, { today: "${TODAY}" });
    document.getElementById("out").textContent = answer.type === "success"
      ? "verdict=" + answer.report.verdict + " markdown=" + (render(answer.report, "markdown").type)
      : "failure=" + answer.errors.map((e) => e.code).join(",");
  } catch (e) {
    document.getElementById("out").textContent = "threw=" + e;
  }
</script>`;

function serve() {
  const server = createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (url === "/page.html") {
      res.writeHead(200, { "content-type": "text/html" });
      return res.end(PAGE);
    }
    const file = url.startsWith("/repo/") ? join(repo, normalize(url.slice(6))) : join(process.cwd(), normalize(url));
    if (!existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function dumpDom(url) {
  const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--virtual-time-budget=10000", "--dump-dom", url];
  return new Promise((resolve, reject) => {
    const child = spawn(CHROMIUM, args, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

test("a page in headless Chromium loads clearance/web.js, init()s and evaluates", { skip: !CHROMIUM && "no Chromium installed" }, async () => {
  const server = await serve();
  try {
    const dom = await dumpDom(`http://127.0.0.1:${server.address().port}/page.html`);
    assert.match(dom, /verdict=fail markdown=success/, dom);
  } finally {
    server.close();
  }
});
