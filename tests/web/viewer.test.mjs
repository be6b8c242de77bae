// Browser tests of the web report viewer: dist/ (built by `trunk build`) served on 127.0.0.1, driven in
// Debian's headless Chromium by playwright-core. Run by scripts/test-web.
//   CLEARANCE_SCREENSHOTS=1  also writes docs/screenshots/*.png
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as h from "./helpers.mjs";

const SHOTS = process.env.CLEARANCE_SCREENSHOTS === "1" ? join(h.ROOT, "docs/screenshots") : null;
const PACK = "reactbin-api-prod";
const VIOLATING = "reactbin-violating";
const CONFORMING = "reactbin-conforming";

let browser;
let origin;
const origins = new Set();

before(async () => {
  origin = await h.serve(h.DIST, 0);
  origins.add(origin);
  browser = await h.launch();
  if (SHOTS) mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  h.stopServers();
});

async function shot(page, name) {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

async function viewer(options) {
  const { context, page } = await h.newPage(browser, options);
  await h.openViewer(page, origin);
  return { context, page };
}

async function setToday(page) {
  await page.fill("#today", h.TODAY);
  await page.dispatchEvent("#today", "change");
}

async function loadExample(page, scenario) {
  await page.click(`button[data-scenario="${scenario}"]`);
  await page.waitForSelector(".verdict");
}

function needFixture(t, name) {
  const f = h.fixture(name);
  if (!f) t.skip(`tests/fixtures/${name} is not there yet`);
  return f;
}

test("loads offline-ready: no inline script, the CSP forbids connections, no console error", async () => {
  const { context, page } = await viewer({ viewport: { width: 1440, height: 900 } });
  const html = readFileSync(join(h.DIST, "index.html"), "utf8");
  assert.match(html, /connect-src 'none'/);
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, "no inline script");
  assert.equal(await page.locator("h1").innerText(), "clearance report viewer");
  const packs = await page.locator(".pack").count();
  assert.ok(packs >= 1, "built-in packs are listed");
  // fetch() is refused by the page's own policy.
  const refused = await page.evaluate(() => fetch("/index.html").then(() => false, () => true));
  assert.ok(refused, "connect-src 'none' blocks fetch");
  await shot(page, "01-start");
  await context.close();
});

test("paste: each input says what it was recognised as, or where it is wrong", async (t) => {
  const files = needFixture(t, VIOLATING);
  if (!files) return;
  const { context, page } = await viewer();
  const inspect = files.find((f) => f.name === "image-inspect.json");
  await page.click("#add-paste");
  await page.fill("#dump-text-1", inspect.text);
  await page.waitForSelector(".dump-card.ok");
  const detection = await page.locator(".dump-card").first().locator(".detection").innerText();
  assert.match(detection, /Recognised as docker image inspect/);
  assert.match(detection, /reactbin/);
  // A broken paste: the error names line and column.
  await page.click("#add-paste");
  await page.fill("#dump-text-2", '{\n  "Id": "sha256:1",\n  "Config": }\n');
  const location = await page.locator(".dump-card.bad .diagnostic .location").first().innerText();
  assert.match(location, /^pasted-2\.json:3:\d+/, location);
  // Still waiting for a policy; the broken input keeps the report from running.
  await page.locator(".dump-card.bad button.remove").click();
  await page.check(`#pack-${PACK}`);
  await page.waitForSelector(".verdict");
  await context.close();
});

test("upload: choose several files at once", async (t) => {
  const files = needFixture(t, VIOLATING);
  if (!files) return;
  const { context, page } = await viewer();
  await page.setInputFiles("#dump-files", files.map((f) => f.path));
  await page.waitForFunction((n) => document.querySelectorAll(".dump-card.ok").length === n, files.length);
  const names = await page.locator(".dump-card .dump-name").allInnerTexts();
  assert.deepEqual(names.sort(), files.map((f) => f.name).sort());
  await page.check(`#pack-${PACK}`);
  assert.equal(await page.locator(".verdict").first().getAttribute("data-verdict"), "fail");
  await context.close();
});

test("drag and drop: files dropped anywhere on the page", async (t) => {
  const files = needFixture(t, CONFORMING);
  if (!files) return;
  const { context, page } = await viewer();
  await page.check(`#pack-${PACK}`);
  const payload = files.map((f) => ({ name: f.name, text: f.text }));
  await page.evaluate((payload) => {
    const dt = new DataTransfer();
    for (const f of payload) dt.items.add(new File([f.text], f.name, { type: "application/json" }));
    const target = document.querySelector(".page-footer");
    target.dispatchEvent(new DragEvent("dragover", { dataTransfer: dt, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent("drop", { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, payload);
  await page.waitForFunction((n) => document.querySelectorAll(".dump-card.ok").length === n, files.length);
  assert.equal(await page.locator(".verdict").first().getAttribute("data-verdict"), "pass");
  await context.close();
});

test("own policy: validated live with line and column; a waivers file is accepted", async () => {
  const { context, page } = await viewer();
  await page.fill("#policy-text", "name: mine\nrequirements:\n  - id: X-1\n    check: [unclosed\n");
  const error = page.locator(".text-file.policy .diagnostic .location").first();
  await error.waitFor();
  assert.match(await error.innerText(), /policy\.yaml:\d+:\d+/);
  const fixed = [
    "name: mine",
    "title: My policy",
    "requirements:",
    "  - id: MINE-001",
    "    title: Runs as a non-root user",
    "    section: User",
    "    severity: error",
    "    description: The image does not run as root.",
    "    remediation: Add a USER line.",
    "    check: { fact: image.runs_as_root, equals: false }",
    "",
  ].join("\n");
  await page.fill("#policy-text", fixed);
  await page.locator(".text-file.policy .valid").waitFor();
  assert.match(await page.locator(".text-file.policy .valid").innerText(), /mine/);
  await page.fill("#waivers-text", "waivers: [\n");
  await page.locator(".text-file.waivers .diagnostic").first().waitFor();
  await context.close();
});

test("load example, expand a row, filter and search; timing reported", async (t) => {
  if (!needFixture(t, VIOLATING)) return;
  const { context, page } = await viewer({ viewport: { width: 1440, height: 900 } });
  // Evaluation + render time of the reactbin example, after the page has loaded (reported, not asserted).
  const ms = await page.evaluate(async (scenario) => {
    const button = document.querySelector(`button[data-scenario="${scenario}"]`);
    const t0 = performance.now();
    button.click();
    await new Promise((resolve) => {
      const done = () => document.querySelector(".verdict") && document.querySelectorAll("li.result").length > 0;
      if (done()) return resolve();
      new MutationObserver((_, o) => done() && (o.disconnect(), resolve())).observe(document.body, { childList: true, subtree: true });
    });
    await new Promise((r) => requestAnimationFrame(() => r()));
    return performance.now() - t0;
  }, VIOLATING);
  console.log(`# reactbin-violating example: evaluate + render ${ms.toFixed(1)} ms (headless Chromium)`);
  assert.equal(await page.locator(".verdict").first().getAttribute("data-verdict"), "fail");
  await shot(page, "02-report-fail");

  const failed = page.locator("li.result[data-status=fail]").first();
  const id = await failed.getAttribute("data-id");
  await failed.locator("button.result-head").click();
  assert.equal(await failed.locator("button.result-head").getAttribute("aria-expanded"), "true");
  const detail = failed.locator(".result-detail");
  await detail.waitFor();
  const text = await detail.innerText();
  assert.match(text, /Expected/);
  assert.match(text, /Actual/);
  assert.ok((await detail.locator(".evidence").count()) >= 1, "evidence shown");
  assert.ok((await detail.locator(".excerpt pre mark, .layer-strip mark").count()) >= 1, "the evidence is highlighted");
  await failed.scrollIntoViewIfNeeded();
  await shot(page, "03-row-expanded");

  const total = await page.locator("li.result").count();
  await page.check("#failed-only");
  const statuses = await page.locator("li.result").evaluateAll((els) => els.map((e) => e.dataset.status));
  assert.ok(statuses.length > 0 && statuses.length < total);
  assert.ok(statuses.every((s) => s === "fail" || s === "error"), statuses.join());
  await page.selectOption("#severity-filter", "error");
  const severities = await page.locator("li.result .severity").allInnerTexts();
  assert.ok(severities.every((s) => s === "error"));
  await page.fill("#search", id);
  const ids = await page.locator("li.result").evaluateAll((els) => els.map((e) => e.dataset.id));
  assert.deepEqual(ids, [id]);
  await page.click("text=Clear filters");
  assert.equal(await page.locator("li.result").count(), total);
  const section = (await page.locator("#section-filter option").allInnerTexts())[1];
  await page.selectOption("#section-filter", section);
  const groups = await page.locator(".section-group h4").allInnerTexts();
  assert.deepEqual([...new Set(groups)], [section]);
  await context.close();
});

test("history chart: failed layers marked, instruction on focus", async (t) => {
  if (!needFixture(t, VIOLATING)) return;
  const { context, page } = await viewer({ viewport: { width: 1440, height: 900 } });
  await loadExample(page, VIOLATING);
  const layers = page.locator(".history-chart g.layer");
  assert.ok((await layers.count()) > 1);
  assert.ok((await page.locator(".history-chart g.layer.failed").count()) >= 1, "a failed layer is marked");
  await page.locator(".history-chart g.layer.failed").first().focus();
  const detail = await page.locator(".layer-detail").innerText();
  assert.match(detail, /Layer \d+/);
  assert.match(detail, /fails/);
  await page.locator(".history-chart").scrollIntoViewIfNeeded();
  await shot(page, "04-history-chart");
  await context.close();
});

for (const format of ["json", "sarif", "junit", "markdown"]) {
  test(`export ${format}: the download is byte-identical to the CLI`, async (t) => {
    if (!needFixture(t, VIOLATING)) return;
    if (!h.hasCli()) return t.skip(`${h.CLI} is not built`);
    const { context, page } = await viewer();
    await loadExample(page, VIOLATING);
    await setToday(page);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`#download-${format}`)]);
    const got = readFileSync(await download.path(), "utf8");
    const want = h.cli(VIOLATING, PACK, format);
    assert.ok(want.length > 0, "the CLI printed a report");
    assert.equal(got, want);
    await context.close();
  });
}

test("copy to the clipboard gives the same bytes", async (t) => {
  if (!needFixture(t, CONFORMING)) return;
  if (!h.hasCli()) return t.skip(`${h.CLI} is not built`);
  const { context, page } = await viewer();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  await loadExample(page, CONFORMING);
  await setToday(page);
  await page.click("#copy-markdown");
  await page.locator(".copied").waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, h.cli(CONFORMING, PACK, "markdown"));
  await context.close();
});

test("XSS attempt: markup in a dump stays text", async (t) => {
  const files = needFixture(t, VIOLATING);
  if (!files) return;
  const { context, page } = await viewer();
  const evil = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>';
  const inspect = JSON.parse(files.find((f) => f.name === "image-inspect.json").text);
  const image = Array.isArray(inspect) ? inspect[0] : inspect;
  image.Config.User = evil;
  image.RepoTags = [`evil${evil}:1`];
  await page.check(`#pack-${PACK}`);
  await page.click("#add-paste");
  await page.fill("#dump-text-1", JSON.stringify(inspect, null, 2));
  await page.click("#add-paste");
  await page.fill("#dump-text-2", `{"broken": "${evil}" ]`);
  await page.locator(".dump-card.bad .diagnostic").first().waitFor();
  const errorText = await page.locator(".dump-card.bad .diagnostics").innerText();
  await page.locator(".dump-card.bad button.remove").click();
  await page.click("#expand-all");
  await page.waitForTimeout(200);
  const body = (await page.locator("body").innerText()) + errorText;
  assert.ok(body.includes("<script>"), "the markup is shown as text");
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator("body script, .app img").count(), 0);
  await context.close();
});

test("remember on this device is opt-in, and Forget removes it", async (t) => {
  if (!needFixture(t, CONFORMING)) return;
  const { context, page } = await viewer();
  await loadExample(page, CONFORMING);
  assert.equal(await page.evaluate(() => localStorage.length), 0, "nothing stored by default");
  await page.check("#remember");
  await page.waitForFunction(() => localStorage.getItem("clearance.review.v1") !== null);
  await page.reload();
  await page.waitForSelector(".verdict");
  assert.equal(await page.locator("#remember").isChecked(), true);
  await page.click("#forget");
  assert.equal(await page.evaluate(() => localStorage.getItem("clearance.review.v1")), null);
  await page.reload();
  await page.waitForSelector("h1");
  assert.equal(await page.locator(".verdict").count(), 0, "forgotten after reload");
  await context.close();
});

test("keyboard only: Tab to an example, Enter, Tab to a row, Space; focus is visible", async (t) => {
  if (!needFixture(t, VIOLATING)) return;
  const { context, page } = await viewer({ viewport: { width: 1440, height: 900 } });
  const target = `button[data-scenario="${VIOLATING}"]`;
  let reached = false;
  for (let i = 0; i < 60 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, target);
  }
  assert.ok(reached, "the example button is reachable with Tab");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, "none", "focus is visible");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".verdict");
  let onRow = false;
  for (let i = 0; i < 200 && !onRow; i++) {
    await page.keyboard.press("Tab");
    onRow = await page.evaluate(() => document.activeElement?.matches("li.result[data-status=fail] button.result-head") ?? false);
  }
  assert.ok(onRow, "a failed row is reachable with Tab");
  await page.keyboard.press("Space");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-expanded")), "true");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-expanded")), "false");
  // Every button and input has an accessible name.
  const unnamed = await page.evaluate(() =>
    [...document.querySelectorAll("button, input, select, textarea")].filter((e) => {
      const label = e.getAttribute("aria-label") || e.labels?.[0]?.innerText || e.innerText || e.title;
      return !label || !label.trim();
    }).length,
  );
  assert.equal(unnamed, 0);
  await context.close();
});

test("readable at 360 px and 1440 px, light and dark", async (t) => {
  if (!needFixture(t, VIOLATING)) return;
  for (const [width, scheme] of [[360, "light"], [1440, "dark"], [360, "dark"]]) {
    const { context, page } = await viewer({ viewport: { width, height: 800 }, colorScheme: scheme });
    await loadExample(page, VIOLATING);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at ${width}px (${overflow}px too wide)`);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    if (scheme === "dark") assert.notEqual(bg, "rgb(246, 247, 249)", "dark scheme applies");
    await page.locator(".verdict").first().scrollIntoViewIfNeeded();
    await shot(page, `05-${width}px-${scheme}`);
    await context.close();
  }
});

test("embed: the example host page posts dumps and receives the report", async (t) => {
  const files = needFixture(t, VIOLATING);
  if (!files) return;
  const { context, page } = await h.newPage(browser, { viewport: { width: 1200, height: 900 } });
  await page.goto(`${origin}/embed-host.html`);
  await page.waitForFunction(() => document.getElementById("host-status").textContent.startsWith("ready"));
  const reply = await page.evaluate(
    ([dumps, pack, today]) =>
      window.clearanceHost.sendCheck({ policies: [pack], dumps, today, formats: ["markdown"] }),
    [files.map((f) => ({ name: f.name, content: f.text })), PACK, h.TODAY],
  );
  assert.equal(reply.type, "clearance:report");
  assert.equal(reply.answer.type, "success", JSON.stringify(reply.answer.errors));
  assert.equal(reply.answer.report.verdict, "fail");
  if (h.hasCli()) {
    assert.deepEqual(reply.answer.report, JSON.parse(h.cli(VIOLATING, PACK, "json")));
    assert.equal(reply.rendered.markdown, h.cli(VIOLATING, PACK, "markdown"));
  }
  const frame = page.frameLocator("#viewer");
  await frame.locator(".verdict").first().waitFor();
  assert.equal(await frame.locator("h1").count(), 0, "no page chrome in embed mode");
  // A malformed message gets a failure answer, not silence or a crash.
  const bad = await page.evaluate(() => window.clearanceHost.sendCheck({ policies: "x" }));
  assert.equal(bad.answer.type, "failure");
  assert.equal(bad.answer.errors[0].code, "embed/malformed");
  await shot(page, "06-embedded");
  await context.close();
});

test("embed: allowed origins are configurable; other origins are refused and ignored", async (t) => {
  const files = needFixture(t, CONFORMING);
  if (!files) return;
  const hostOrigin = "http://127.0.0.1:" + (Number(new URL(origin).port) + 1);
  // A viewer whose index.html allows the host's origin.
  const allowing = await h.serve(h.distAllowing(`'self' ${hostOrigin}`), 2);
  origins.add(allowing);
  const host = await h.serve(h.hostPageFor(allowing), 1);
  assert.equal(host, hostOrigin);
  origins.add(host);
  const dumps = files.map((f) => ({ name: f.name, content: f.text }));
  {
    const { context, page } = await h.newPage(browser);
    await page.goto(`${host}/embed-host.html`);
    const reply = await page.evaluate(([dumps, pack]) => window.clearanceHost.sendCheck({ policies: [pack], dumps }), [dumps, PACK]);
    assert.equal(reply.answer.type, "success");
    assert.equal(reply.answer.report.verdict, "pass");
    await context.close();
  }
  // The default viewer allows only its own origin: framed by the host, it refuses and never answers.
  const refusingHost = await h.serve(h.hostPageFor(origin), 3);
  origins.add(refusingHost);
  {
    const { context, page } = await h.newPage(browser);
    await page.goto(`${refusingHost}/embed-host.html`);
    const frame = page.frameLocator("#viewer");
    await frame.locator(".refused").waitFor();
    assert.match(await frame.locator(".refused").innerText(), /may not be embedded/);
    const answered = await page.evaluate(
      ([dumps, pack]) =>
        Promise.race([
          new Promise((resolve) => {
            window.addEventListener("message", (e) => e.data?.type === "clearance:report" && resolve(true));
            document.getElementById("viewer").contentWindow.postMessage({ type: "clearance:check", id: 1, policies: [pack], dumps }, "*");
          }),
          new Promise((resolve) => setTimeout(() => resolve(false), 1500)),
        ]),
      [dumps, PACK],
    );
    assert.equal(answered, false, "a message from a non-allowed origin is ignored");
    await context.close();
  }
  // Not in embed mode, the viewer refuses to run inside a frame at all.
  {
    const { context, page } = await h.newPage(browser);
    await page.goto(`${origin}/embed-host.html`);
    await page.evaluate(() => (document.getElementById("viewer").src = "index.html"));
    await page.frameLocator("#viewer").locator(".refused").waitFor();
    await context.close();
  }
});

test("no request ever leaves the origin", () => {
  assert.ok(h.requests.length > 0);
  const outside = h.requests.filter((url) => {
    if (url.startsWith("blob:") || url.startsWith("data:")) return false;
    return ![...origins].some((o) => url.startsWith(o + "/"));
  });
  assert.deepEqual(outside, []);
  console.log(`# ${h.requests.length} requests recorded, all to ${[...origins].join(", ")}`);
});

test("no page error or console error", () => {
  assert.deepEqual(h.problems, []);
});
