// The host side of the embed protocol (docs/embed.md), as a portal would write it.
const frame = document.getElementById("viewer");
// The viewer's origin: replies from any other origin are ignored.
const viewerOrigin = new URL(frame.src, location.href).origin;
const pending = new Map();
let nextId = 1;
let markReady;
const ready = new Promise((resolve) => (markReady = resolve));

window.addEventListener("message", (event) => {
  if (event.origin !== viewerOrigin || event.source !== frame.contentWindow) return;
  const msg = event.data;
  if (msg && msg.type === "clearance:ready") {
    document.getElementById("host-status").textContent = `ready (protocol ${msg.version})`;
    markReady();
  } else if (msg && msg.type === "clearance:report") {
    const answer = msg.answer;
    document.getElementById("host-status").textContent =
      answer.type === "success" ? `verdict: ${answer.report.verdict}` : `failed: ${answer.errors.length} error(s)`;
    document.getElementById("host-reply").textContent = JSON.stringify(msg, null, 2);
    const resolve = pending.get(msg.id);
    if (resolve) {
      pending.delete(msg.id);
      resolve(msg);
    }
  }
});

// The viewer announces itself once loaded; ask again in case that was before this script ran.
const hello = setInterval(() => frame.contentWindow.postMessage({ type: "clearance:hello" }, viewerOrigin), 250);
ready.then(() => clearInterval(hello));

/** Waits for the viewer, posts `{policies, dumps, waivers?, today?, formats?}` to the viewer; resolves with its reply. */
export async function sendCheck(request) {
  await ready;
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    frame.contentWindow.postMessage({ type: "clearance:check", id, ...request }, viewerOrigin);
  });
}
window.clearanceHost = { sendCheck };

document.getElementById("host-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const files = [...document.getElementById("host-dumps").files];
  const dumps = await Promise.all(files.map(async (f) => ({ name: f.name, content: await f.text() })));
  const policies = document.getElementById("host-packs").value.split(",").map((s) => s.trim()).filter(Boolean);
  await sendCheck({ policies, dumps });
});
