#!/usr/bin/env python3
"""Trunk post-build hook: make the viewer loadable under `connect-src 'none'`.

Trunk's output loads the wasm with fetch() from an inline <script type="module">. The viewer's CSP
forbids both (no connection of any kind; no inline script), so this hook, run in Trunk's staging dir:

  1. gzips the `*_bg.wasm` (deterministically) and writes it base64-encoded into a script module
     `<stem>_bg.wasm.js` (`export default "…"`), then deletes the .wasm;
  2. writes `boot-<hash>.js`, which imports the wasm-bindgen glue and that module, decompresses the bytes
     with the browser's DecompressionStream (no request: a Blob stream) and starts the app;
  3. replaces Trunk's inline loader script and its preload links in index.html with
     `<script type="module" src="boot-<hash>.js">`.

Scripts then come only from 'self'; `script-src 'self' 'wasm-unsafe-eval'` is all the page needs.
"""
import base64
import gzip
import hashlib
import os
import re
import sys
from pathlib import Path


def fail(msg: str) -> None:
    print(f"inline_wasm: {msg}", file=sys.stderr)
    sys.exit(1)


def main() -> None:
    staging = Path(os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else ""))
    if not staging.is_dir():
        fail("TRUNK_STAGING_DIR is not set (run through `trunk build`) or not a directory")
    index = staging / "index.html"
    html = index.read_text(encoding="utf-8")
    wasms = sorted(staging.glob("*_bg.wasm"))
    if len(wasms) != 1:
        fail(f"expected one *_bg.wasm in {staging}, found {[w.name for w in wasms]}")
    wasm = wasms[0]
    stem = wasm.name[: -len("_bg.wasm")]
    glue = staging / f"{stem}.js"
    if not glue.is_file():
        fail(f"missing the wasm-bindgen glue {glue.name}")

    raw = wasm.read_bytes()
    packed = gzip.compress(raw, compresslevel=9, mtime=0)
    module_name = f"{stem}_bg.wasm.js"
    (staging / module_name).write_text(
        "// The viewer's WebAssembly, gzip-compressed and base64-encoded (see web/build/inline_wasm.py).\n"
        f'export default "{base64.b64encode(packed).decode("ascii")}";\n',
        encoding="ascii",
    )
    wasm.unlink()

    boot = (
        "// Starts the viewer without any network request (see web/build/inline_wasm.py).\n"
        f'import init from "./{glue.name}";\n'
        f'import packed from "./{module_name}";\n'
        "const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));\n"
        'const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));\n'
        "const wasm = await new Response(stream).arrayBuffer();\n"
        "await init({ module_or_path: wasm });\n"
        'document.documentElement.dataset.ready = "1";\n'
    )
    boot_name = f"boot-{hashlib.sha256(boot.encode()).hexdigest()[:16]}.js"
    (staging / boot_name).write_text(boot, encoding="utf-8")

    # Trunk's loader: an inline module script importing the glue, plus preload/modulepreload links.
    html, n_scripts = re.subn(r"<script type=\"module\"[^>]*>(?:(?!</script>).)*?init\(.*?</script>", "", html, flags=re.S)
    if n_scripts != 1:
        fail(f"expected Trunk's one inline loader script in index.html, found {n_scripts}")
    html = re.sub(r"<link rel=\"(?:modulepreload|preload)\"[^>]*>\s*", "", html)
    html = html.replace("</head>", f'<script type="module" src="./{boot_name}"></script>\n</head>', 1)
    if "<script>" in html or re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html):
        fail("index.html still has an inline script")
    index.write_text(html, encoding="utf-8")
    print(f"inline_wasm: {wasm.name} {len(raw)} B -> {module_name} ({len(packed)} B gzip), {boot_name}")


if __name__ == "__main__":
    main()
