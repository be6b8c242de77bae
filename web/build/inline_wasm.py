#!/usr/bin/env python3
"""Trunk post-build hook: make the viewer loadable under `connect-src 'none'`.

Trunk's output loads the wasm with fetch() from an inline <script type="module">. The viewer's CSP
forbids both (no connection of any kind; no inline script), so this hook, run in Trunk's staging dir:

  1. compresses the `*_bg.wasm` with LZMA (a quarter smaller than gzip, which keeps dist/ within its
     budget) and writes it base64-encoded into a script module `<stem>_bg.wasm.js`
     (`export const size = N; export const data = "…"`), then deletes the .wasm;
  2. copies the LZMA decoder (web/build/lzma.js) as `lzma-<hash>.js` and writes `boot-<hash>.js`, which
     imports the wasm-bindgen glue, the decoder and the module, decodes the bytes and starts the app;
  3. replaces Trunk's inline loader script and its preload links in index.html with
     `<script type="module" src="boot-<hash>.js">`.

Scripts then come only from 'self'; `script-src 'self' 'wasm-unsafe-eval'` is all the page needs.
"""
import base64
import lzma
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
    packed = lzma.compress(raw, format=lzma.FORMAT_ALONE, preset=9 | lzma.PRESET_EXTREME)
    module_name = f"{stem}_bg.wasm.js"
    (staging / module_name).write_text(
        "// The viewer's WebAssembly, LZMA-compressed and base64-encoded (see web/build/inline_wasm.py).\n"
        f"export const size = {len(raw)};\n"
        f'export const data = "{base64.b64encode(packed).decode("ascii")}";\n',
        encoding="ascii",
    )
    wasm.unlink()

    decoder = (Path(__file__).parent / "lzma.js").read_text(encoding="utf-8")
    decoder_name = f"lzma-{hashlib.sha256(decoder.encode()).hexdigest()[:16]}.js"
    (staging / decoder_name).write_text(decoder, encoding="utf-8")

    boot = (
        "// Starts the viewer without any network request (see web/build/inline_wasm.py).\n"
        f'import init from "./{glue.name}";\n'
        f'import {{ decodeLzma }} from "./{decoder_name}";\n'
        f'import {{ size, data }} from "./{module_name}";\n'
        "const packed = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));\n"
        "await init({ module_or_path: decodeLzma(packed, size) });\n"
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
    print(f"inline_wasm: {wasm.name} {len(raw)} B -> {module_name} ({len(packed)} B lzma), {boot_name}")


if __name__ == "__main__":
    main()
