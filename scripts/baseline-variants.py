#!/usr/bin/env python3
"""Writes the image-baseline variant fixtures and case files (tests/fixtures/baseline-*/, tests/cases/baseline-*.yaml).
Each case is one `docker image inspect` array of several images plus one `docker history --no-trunc` per image;
every image is its own subject, so each must give the listed status: one variant per image.

Usage: python3 scripts/baseline-variants.py [REPO_ROOT]   (rewrites the files; prints the `cases!` lines for
crates/clearance-core/tests/cases.rs)"""
import json, hashlib, os, sys
ROOT = sys.argv[1] if len(sys.argv) > 1 else "."
SHA = '24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d'
HC_OK = {"Test": ["CMD-SHELL", "curl -fsS http://localhost:8080/health || exit 1"], "Interval": 30000000000,
         "Timeout": 5000000000, "StartPeriod": 10000000000, "Retries": 3}

def h(s, n=64):
    return hashlib.sha256(s.encode()).hexdigest()[:n]

def go_dur(ns):
    if not ns: return "0s"
    s = ns // 1000000000
    out = ""
    if s >= 3600: out += f"{s//3600}h"; s %= 3600
    if s >= 60 or out: out += f"{s//60}m"; s %= 60
    return out + f"{s}s"

def hc_line(hc):
    t = " ".join(json.dumps(x) for x in hc["Test"])
    return "HEALTHCHECK &{[%s] %s %s %s %s '\\x00'}" % (t, json.dumps(go_dur(hc.get("Interval", 0))), json.dumps(go_dur(hc.get("Timeout", 0))),
        json.dumps(go_dur(hc.get("StartPeriod", 0))), json.dumps(go_dur(hc.get("StartInterval", 0))))

def image(case, slug, hc, tags, digests):
    iid = "sha256:" + h(case + "/" + slug)
    name = f"{case}/{slug}"
    return iid, {
        "Id": iid,
        "RepoTags": tags if tags is not None else [f"{name}:1.0.0"],
        "RepoDigests": digests if digests is not None else [],
        "Parent": "", "Comment": "buildkit.dockerfile.v0", "Created": "2026-05-11T09:14:27.118204113Z",
        "DockerVersion": "", "Author": "",
        "Config": {
            "Hostname": "", "Domainname": "", "User": "10001", "AttachStdin": False, "AttachStdout": False,
            "AttachStderr": False, "ExposedPorts": {"8080/tcp": {}}, "Tty": False, "OpenStdin": False, "StdinOnce": False,
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + (["PIP_NO_CACHE_DIR=1"] if slug.startswith("pip-env") else []),
            "Cmd": ["/usr/local/bin/app"],
            **({"Healthcheck": hc} if hc else {}),
            "Image": "", "Volumes": None, "WorkingDir": "/app", "Entrypoint": None, "OnBuild": None, "Labels": None},
        "Architecture": "amd64", "Os": "linux", "Size": 48213377,
        "GraphDriver": {"Data": {"MergedDir": f"/var/lib/docker/overlay2/{h(slug+'m')}/merged",
                                  "UpperDir": f"/var/lib/docker/overlay2/{h(slug+'m')}/diff",
                                  "WorkDir": f"/var/lib/docker/overlay2/{h(slug+'m')}/work"}, "Name": "overlay2"},
        "RootFS": {"Type": "layers", "Layers": ["sha256:" + h(slug + "l1"), "sha256:" + h(slug + "l2")]},
        "Metadata": {"LastTagTime": "2026-05-11T09:14:27.20391245Z"}}

def row(cb, size="0B", iid="<missing>", t="2026-05-11T09:14:20Z", since="2 minutes ago", comment="buildkit.dockerfile.v0"):
    return {"Comment": comment, "CreatedAt": t, "CreatedBy": cb, "CreatedSince": since, "ID": iid, "Size": size}

def history(iid, lines, hc):
    # newest first; `lines` are given oldest first
    rows = [row("/bin/sh -c #(nop) ADD file:" + h("base") + " in / ", "7.8MB", t="2026-02-14T01:23:45Z", since="3 months ago", comment=""),
            row('/bin/sh -c #(nop)  CMD ["/bin/sh"]', t="2026-02-14T01:23:46Z", since="3 months ago", comment="")]
    for k, cb in enumerate(lines):
        instr = cb.split()[0]
        size = "0B" if instr in ("ENV", "USER", "ARG", "WORKDIR", "CMD", "EXPOSE") else "1.2MB"
        rows.append(row(cb, size, t=f"2026-05-11T09:14:{10+k:02d}Z"))
    if hc: rows.append(row(hc_line(hc), t="2026-05-11T09:14:25Z"))
    rows.append(row("USER 10001", t="2026-05-11T09:14:26Z"))
    rows.append(row('CMD ["/usr/local/bin/app"]', t="2026-05-11T09:14:27Z"))
    rows[-1]["ID"] = iid
    return list(reversed(rows))

def run(cmd): return f"RUN /bin/sh -c {cmd} # buildkit"

def write_case(case, description, comment, variants, expect, with_history=True):
    """variants: list of (slug, lines(oldest first) or None, healthcheck, tags, digests)"""
    d = os.path.join(ROOT, "tests/fixtures", case)
    os.makedirs(d, exist_ok=True)
    imgs, dumps = [], [f"tests/fixtures/{case}/image-inspect.json"]
    for slug, lines, hc, tags, digests in variants:
        iid, img = image(case, slug, hc, tags, digests)
        imgs.append(img)
        if with_history:
            p = f"tests/fixtures/{case}/history-{slug}.jsonl"
            with open(os.path.join(ROOT, p), "w") as f:
                for r in history(iid, lines or [], hc):
                    f.write(json.dumps(r, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n")
            dumps.append(p)
    with open(os.path.join(d, "image-inspect.json"), "w") as f:
        f.write(json.dumps(imgs, indent=4).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n")
    with open(os.path.join(ROOT, "tests/cases", case + ".yaml"), "w") as f:
        f.write("".join("# " + l + "\n" for l in comment.strip().split("\n")))
        f.write("# Every image is its own subject, so each must give the statuses below (one variant per image).\n")
        f.write("# Generated by scripts/baseline-variants.py; edit the script, not the files.\n")
        f.write(f"description: {json.dumps(description)}\npolicies: [image-baseline]\ndumps:\n")
        for p in dumps: f.write(f"  - {p}\n")
        f.write("complete: false\nexpect:\n")
        for k, v in expect.items(): f.write(f"  {k}: {v}\n")
    return case

def hist(case, desc, comment, expect, items):
    return write_case(case, desc, comment, [(s, l, HC_OK, None, None) for s, l in items], expect)

CASES = []
U = "https://get.example.com/install.sh"
CASES.append(hist("baseline-pipe-to-shell", "IMG-008 fails every way of running a download as code",
 "curl/wget piped into sh, bash, dash, zsh, ash, ksh, python, perl, ruby, node (also through sudo -E,\n/usr/bin/env, tee, gunzip, base64 -d, with `&` in the URL, `-s` arguments) and substituted with eval, source, `.`, sh -c, bash <(…).",
 {"IMG-008": "fail"}, [
  ("poetry", [run("curl -sSL https://install.python-poetry.org | python3 -")]),
  ("sudo-e", [run("curl -fsSL https://deb.nodesource.com/setup_20.x | sudo -E bash -")]),
  ("ampersand", [run(f'curl -fsSL "https://get.example.com/install?v=1&arch=amd64" | sh')]),
  ("env-sh", [run(f"curl -fsSL {U} | /usr/bin/env sh")]),
  ("tee", [run(f"curl -fsSL {U} | tee /tmp/install.sh | sh")]),
  ("gunzip", [run(f"curl -fsSL {U}.gz | gunzip | sh")]),
  ("base64", [run(f"wget -qO- {U}.b64 | base64 -d | bash -s -- --yes")]),
  ("eval", [run(f'eval "$(curl -fsSL {U})"')]),
  ("source", [f"RUN /bin/bash -c source <(curl -fsSL {U}) # buildkit"]),
  ("dot", [f"RUN /bin/bash -c . <(curl -fsSL {U}) # buildkit"]),
  ("wget-sh", [run(f"wget -qO- {U} | sh")]),
  ("wget-python", [run("wget -qO- https://bootstrap.pypa.io/get-pip.py | python")]),
  ("dash", [run(f"curl -fsSL {U} | dash")]),
  ("zsh", [run(f"curl -fsSL {U} | zsh")]),
  ("ash", [run(f"wget -qO- {U} | ash")]),
  ("ksh", [run(f"curl -fsSL {U} | ksh")]),
  ("perl", [run("curl -L https://cpanmin.us | perl - App::cpanminus")]),
  ("ruby", [run("curl -fsSL https://get.example.com/install.rb | ruby")]),
  ("node", [run("curl -fsSL https://get.example.com/install.js | node")]),
  ("bash-s", [run(f"curl -fsSL {U} | bash -s -- --version 1.2.0")]),
  ("sh-s-arg", [run(f"curl -fsSL {U} | sh -s v1.2.0")]),
  ("sh-c-subst", [run(f'sh -c "$(curl -fsSL {U})"')]),
  ("bash-procsubst", [f"RUN /bin/bash -c bash <(curl -fsSL {U}) # buildkit"]),
  ("classic", [f"/bin/sh -c curl -fsSL {U} | bash"]),
 ]))
CASES.append(hist("baseline-pipe-to-shell-ok", "IMG-008 passes downloads that are only read as data or verified before running",
 "A download parsed by `python3 -c`, `python3 -m json.tool`, `node -e`, unpacked by tar, hashed, or saved,\nverified with sha256sum and then run.",
 {"IMG-008": "pass"}, [
  ("python-c", [run("""curl -fsSL https://api.github.com/repos/astral-sh/uv/releases/latest | python3 -c "import sys, json; print(json.load(sys.stdin)['tag_name'])" > /tmp/version""")]),
  ("json-tool", [run("curl -fsSL https://api.example.com/v1/meta | python3 -m json.tool")]),
  ("node-e", [run("""curl -fsSL https://registry.npmjs.org/pnpm | node -e "process.stdin.pipe(process.stdout)" > /tmp/pnpm.json""")]),
  ("tar", [run("curl -fsSL https://example.com/tool-1.2.0-linux-amd64.tar.gz | tar -xz -C /usr/local/bin tool")]),
  ("shasum", [run("curl -fsSL https://example.com/tool.tar.gz | sha256sum")]),
  ("verified", [run(f'curl -fsSLo /tmp/install.sh {U} && echo "{SHA}  /tmp/install.sh" | sha256sum -c - && sh /tmp/install.sh && rm /tmp/install.sh')]),
 ]))
CASES.append(hist("baseline-uid0", "IMG-027 fails every way of giving a named user UID 0 (IMG-001 passes: USER is 10001)",
 "usermod/useradd -u 0 / --uid 0 with -o / --non-unique, and /etc/passwd edits writing a UID-0 entry.",
 {"IMG-001": "pass", "IMG-027": "fail"}, [
  ("usermod-o-u0", [run("usermod -o -u 0 appuser")]),
  ("usermod-u0-o", [run("usermod -u 0 -o appuser")]),
  ("useradd-o-u0", [run("useradd -o -u 0 -g 0 -M -s /bin/sh ops")]),
  ("useradd-long", [run("useradd --non-unique --uid 0 --no-create-home ops")]),
  ("usermod-uid-eq", [run("usermod --uid=0 --non-unique appuser")]),
  ("passwd-echo", [run("echo 'ops:x:0:0:ops:/home/ops:/bin/sh' >> /etc/passwd")]),
  ("passwd-sed-name", [run("sed -i 's/^appuser:x:1000:/appuser:x:0:/' /etc/passwd")]),
  ("passwd-sed-ids", [run("sed -i 's/:1000:1000:/:0:0:/' /etc/passwd")]),
 ]))
CASES.append(hist("baseline-uid0-ok", "IMG-027 passes users created with their own UID and edits of root's own line",
 "useradd/adduser with non-zero UIDs, usermod -u 1000, and sed on root's shell in /etc/passwd.",
 {"IMG-027": "pass"}, [
  ("useradd", [run("groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid 10001 --no-create-home app")]),
  ("adduser", [run("addgroup -g 1000 app && adduser -D -u 1000 -G app app")]),
  ("usermod", [run("usermod -u 1000 node && groupmod -g 1000 node")]),
  ("root-shell", [run("sed -i 's#^root:x:0:0:root:/root:/bin/ash#root:x:0:0:root:/root:/sbin/nologin#' /etc/passwd")]),
  ("gid0", [run("useradd -u 1001 -g 0 -M app")]),
 ]))
CASES.append(hist("baseline-sudo", "IMG-012 fails sudoers rules, doas, sudo group membership, installing and using sudo",
 "Writes to /etc/sudoers and /etc/sudoers.d, NOPASSWD, /etc/doas.conf, apk add doas, apt-get install sudo,\nsudo used in a RUN, usermod -aG sudo, adduser appuser sudo.",
 {"IMG-012": "fail"}, [
  ("sudoers", [run('echo "appuser ALL=(ALL) NOPASSWD:ALL" >> /etc/sudoers')]),
  ("sudoers-d", [run('echo "appuser ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/appuser && chmod 0440 /etc/sudoers.d/appuser')]),
  ("doas-add", [run("apk add --no-cache doas")]),
  ("doas-conf", [run("echo 'permit nopass appuser as root' > /etc/doas.conf")]),
  ("apt-sudo", [run("apt-get update && apt-get install -y --no-install-recommends sudo && rm -rf /var/lib/apt/lists/*")]),
  ("use", [run("sudo apt-get update")]),
  ("group", [run("usermod -aG sudo appuser")]),
  ("adduser-group", [run("adduser appuser sudo")]),
 ]))
CASES.append(hist("baseline-sudo-ok", "IMG-012 passes removing sudo",
 "apt-get purge / remove and apk del of sudo (and doas).",
 {"IMG-012": "pass"}, [
  ("purge", [run("apt-get purge -y --auto-remove sudo && rm -rf /var/lib/apt/lists/*")]),
  ("remove", [run("apt-get remove -y sudo")]),
  ("apk-del", [run("apk del sudo")]),
  ("apk-del-both", [run("apk del --purge sudo doas")]),
 ]))
CASES.append(hist("baseline-world-writable", "IMG-022 fails every mode that gives others write",
 "Numeric modes with 2, 3, 6 or 7 as the other digit (also with -R, a leading 0 or a setgid digit), symbolic\no+w / go+w / o=rwx / a=rwx / u+x,o+w, and COPY --chmod=777.",
 {"IMG-022": "fail"}, [
  ("r666", [run("chmod -R 666 /app/data")]),
  ("m757", [run("chmod 757 /app")]),
  ("m0777", [run("chmod 0777 /app")]),
  ("m2777", [run("chmod 2777 /srv/shared")]),
  ("m662", [run("chmod 662 /app/app.log")]),
  ("gow", [run("chmod -R go+w /app")]),
  ("oeq", [run("chmod -R o=rwx /app")]),
  ("aeq", [run("chmod a=rwx /srv/www")]),
  ("list", [run("chmod u+x,o+w /app/run.sh")]),
  ("copy-chmod", ["COPY --chmod=777 app/ ./app/ # buildkit"]),
 ]))
CASES.append(hist("baseline-setuid", "IMG-023 fails every way of setting the setuid or setgid bit",
 "chmod 4755/04755/2755/6755/-R 4755, u+s/g+s/+s/ug+s/u=rwxs, install -m 4755 / -m 2755, COPY --chmod=4755.",
 {"IMG-023": "fail"}, [
  ("m4755", [run("chmod 4755 /usr/local/bin/helper")]),
  ("m04755", [run("chmod 04755 /usr/local/bin/helper")]),
  ("m2755", [run("chmod 2755 /usr/local/bin/helper")]),
  ("m6755", [run("chmod 6755 /usr/local/bin/helper")]),
  ("r4755", [run("chmod -R 4755 /usr/local/bin")]),
  ("us", [run("chmod u+s /usr/local/bin/helper")]),
  ("gs", [run("chmod g+s /usr/local/bin/helper")]),
  ("s", [run("chmod +s /usr/local/bin/helper")]),
  ("ugs", [run("chmod ug+s /usr/local/bin/helper")]),
  ("ueq", [run("chmod u=rwxs,go=rx /usr/local/bin/helper")]),
  ("install", [run("install -m 4755 helper /usr/local/bin/helper")]),
  ("install-opts", [run("install -D -o root -g root -m2755 helper /usr/local/bin/helper")]),
  ("copy-chmod", ["COPY --chmod=4755 helper /usr/local/bin/helper # buildkit"]),
 ]))
CASES.append(hist("baseline-permissions-ok", "IMG-022 and IMG-023 pass ordinary, group-only and sticky modes",
 "755, 0755, 644, 775, g+w, o-w, u-s, 1777 (sticky), install -m 0755, COPY --chmod=755, and chmod 777 on a\nshell-variable temporary directory.",
 {"IMG-022": "pass", "IMG-023": "pass"}, [
  ("m755", [run("chmod 755 /app")]),
  ("m0755", [run("chmod 0755 /usr/local/bin/app")]),
  ("m644", [run("chmod -R 644 /app/static")]),
  ("m775", [run("chmod 775 /app/data")]),
  ("gw", [run("chmod -R g+w /app/data")]),
  ("ow-remove", [run("chmod -R o-w,u-s /app")]),
  ("sticky", [run("chmod 1777 /tmp/app")]),
  ("install", [run("install -m 0755 app /usr/local/bin/app")]),
  ("copy-chmod", ["COPY --chmod=755 app /usr/local/bin/app # buildkit"]),
  ("tempdir", [run('tempDir="$(mktemp -d)" && chmod 777 "$tempDir" && rm -rf "$tempDir"')]),
 ]))
CASES.append(hist("baseline-copy-context", "IMG-024 fails copying the whole build context",
 "COPY . ., COPY ./ ./, COPY ./ /app/, COPY --chown=… . /app.",
 {"IMG-024": "fail"}, [
  ("dot", ["COPY . . # buildkit"]),
  ("dotslash", ["COPY ./ ./ # buildkit"]),
  ("dotslash-app", ["COPY ./ /app/ # buildkit"]),
  ("chown", ["COPY --chown=app:app . /app # buildkit"]),
 ]))
CASES.append(hist("baseline-copy-context-ok", "IMG-024 passes copies by name",
 "COPY ./app ./app, COPY ./pyproject.toml ./, COPY ./src/ /app/src/.",
 {"IMG-024": "pass"}, [
  ("app", ["COPY ./app ./app # buildkit"]),
  ("file", ["COPY ./pyproject.toml ./ # buildkit"]),
  ("src", ["COPY ./src/ /app/src/ # buildkit"]),
 ]))
CASES.append(hist("baseline-apt-options", "IMG-016 and IMG-026 fail apt installs with an option and its value before the verb",
 "apt-get -o Acquire::Retries=3 install, apt-get --option Dpkg::Options::=--force-confold install, apt -o … install,\nwithout removing the lists or --no-install-recommends.",
 {"IMG-016": "fail", "IMG-026": "fail"}, [
  ("o", [run("apt-get update && apt-get -o Acquire::Retries=3 install -y curl")]),
  ("option", [run("apt-get update && apt-get --option Dpkg::Options::=--force-confold install -y curl")]),
  ("apt-o", [run("apt-get update && apt -o APT::Get::Assume-Yes=true install curl")]),
 ]))
CASES.append(hist("baseline-package-cache-mentioned", "IMG-015 and IMG-016 fail installs that only mention the cache path",
 "apk add with `ls /var/cache/apk`, apt-get install with `ls /var/lib/apt/lists` or `du -sh /var/lib/apt/lists`:\nthe path is named, nothing is removed.",
 {"IMG-015": "fail", "IMG-016": "fail"}, [
  ("ls", [run("apk add curl && ls /var/cache/apk && apt-get update && apt-get install -y --no-install-recommends curl && ls /var/lib/apt/lists")]),
  ("du", [run("apk add curl && du -sh /var/cache/apk && apt-get update && apt-get install -y --no-install-recommends curl && du -sh /var/lib/apt/lists")]),
 ]))
CASES.append(hist("baseline-package-cache-removed", "IMG-015 and IMG-016 pass installs that remove the cache in the same layer",
 "apk add --no-cache, rm -rf /var/cache/apk/*, apk cache clean; rm -rf /var/lib/apt/lists/* (also among other paths).",
 {"IMG-015": "pass", "IMG-016": "pass"}, [
  ("no-cache", [run("apk add --no-cache curl && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*")]),
  ("rm", [run("apk add curl && rm -rf /var/cache/apk/* && apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /tmp/* /var/lib/apt/lists/*")]),
  ("cache-clean", [run("apk add curl && apk cache clean && apt-get update && apt-get install -y --no-install-recommends curl && apt-get clean && rm -rf /var/lib/apt/lists/*")]),
 ]))
CASES.append(hist("baseline-pip-cache", "IMG-017 fails pip installs that keep the cache, including when PIP_NO_CACHE_DIR is set only later",
 "pip install followed by ENV PIP_NO_CACHE_DIR=1 in a later layer (the image env has it), pip3.12 install,\npython -m pip install, uv pip install.",
 {"IMG-017": "fail"}, [
  ("pip-env-late", [run("pip install -r requirements.txt"), "ENV PIP_NO_CACHE_DIR=1"]),
  ("pip312", [run("pip3.12 install -r requirements.txt")]),
  ("python-m", [run("python -m pip install -r requirements.txt")]),
  ("uv", [run("uv pip install --system -r requirements.txt")]),
 ]))
CASES.append(hist("baseline-pip-cache-ok", "IMG-017 passes pip installs without a cache",
 "ENV PIP_NO_CACHE_DIR=1 before pip install, --no-cache-dir, PIP_NO_CACHE_DIR on the line or as a build argument,\nuv --no-cache.",
 {"IMG-017": "pass"}, [
  ("pip-env-early", ["ENV PIP_NO_CACHE_DIR=1", run("pip install -r requirements.txt")]),
  ("no-cache-dir", [run("pip install --no-cache-dir -r requirements.txt")]),
  ("inline", [run("PIP_NO_CACHE_DIR=1 pip3.12 install -r requirements.txt")]),
  ("arg", ["RUN |1 PIP_NO_CACHE_DIR=1 /bin/sh -c python -m pip install -r requirements.txt # buildkit"]),
  ("uv", [run("uv pip install --system --no-cache -r requirements.txt")]),
 ]))
CASES.append(hist("baseline-add-checksum", "IMG-007 passes ADD of a URL verified with --checksum",
 "ADD --checksum=sha256:<64 hex> https://… (what IMG-007's remediation recommends).",
 {"IMG-007": "pass"}, [
  ("checksum", [f"ADD --checksum=sha256:{SHA} https://example.com/tool-1.2.0.tar.gz /tmp/ # buildkit"]),
  ("checksum-chown", [f"ADD --chown=10001:10001 --checksum=sha256:{SHA} https://example.com/tool /usr/local/bin/tool # buildkit"]),
 ]))

def hc(cmd, interval=30, timeout=5, start=10, retries=3, form="CMD-SHELL"):
    d = {"Test": [form] + (cmd if isinstance(cmd, list) else [cmd])}
    if interval is not None: d["Interval"] = interval * 1000000000
    if timeout is not None: d["Timeout"] = timeout * 1000000000
    if start is not None: d["StartPeriod"] = start * 1000000000
    if retries is not None: d["Retries"] = retries
    return d
C = "curl -fsS http://localhost:8080/health"
def hcase(case, desc, comment, expect, items):
    return write_case(case, desc, comment, [(s, [], x, None, None) for s, x in items], expect)
CASES.append(hcase("baseline-probe-cannot-fail", "IMG-025 fails health probes that cannot report failure",
 "Probes ending in || exit 0, || true, ; true, ; exit 0, || :, || echo, also in an exec-form sh -c, and curl\nwith --fail-early (not --fail).",
 {"IMG-025": "fail"}, [
  ("exit0", hc(f"{C} || exit 0")),
  ("or-true", hc(f"{C} || true")),
  ("semi-true", hc(f"{C}; true")),
  ("semi-exit0", hc(f"{C}; exit 0")),
  ("colon", hc(f"{C} || :")),
  ("echo", hc(f"{C} || echo unhealthy")),
  ("python", hc("""python -c "import urllib.request; urllib.request.urlopen('http://localhost:8080/health')" || exit 0""")),
  ("exec-sh", hc(["/bin/sh", "-c", "wget -q --spider http://localhost:8080/health || true"], form="CMD")),
  ("fail-early", hc("curl --fail-early -sS http://localhost:8080/health")),
 ]))
CASES.append(hcase("baseline-probe-ok", "IMG-025 passes probes that can fail",
 "curl -f / --fail / --fail-with-body, || exit 1, pg_isready, wget --spider.",
 {"IMG-025": "pass"}, [
  ("exit1", hc(f"{C} || exit 1")),
  ("fail", hc("curl --fail --silent http://localhost:8080/health")),
  ("fail-with-body", hc("curl --fail-with-body -sS http://localhost:8080/health")),
  ("pg", hc(["pg_isready", "-U", "postgres"], form="CMD")),
  ("wget", hc("wget -q --spider http://localhost:8080/health || exit 1")),
 ]))
CASES.append(hcase("baseline-health-timings", "IMG-003 fails health checks beyond its upper bounds",
 "Start period 5h or 6m, 1000 or 11 retries, interval 10m.",
 {"IMG-003": "fail"}, [
  ("start-5h", hc(C + " || exit 1", start=5 * 3600)),
  ("start-6m", hc(C + " || exit 1", start=360)),
  ("retries-1000", hc(C + " || exit 1", retries=1000)),
  ("retries-11", hc(C + " || exit 1", retries=11)),
  ("interval-10m", hc(C + " || exit 1", interval=600)),
 ]))
CASES.append(hcase("baseline-health-timeout", "IMG-004 fails health check timeouts over 30s",
 "Timeouts of 31s, 45s (with a 10s interval) and 2m.",
 {"IMG-004": "fail"}, [
  ("t31", hc(C + " || exit 1", timeout=31)),
  ("t45-i10", hc(C + " || exit 1", interval=10, timeout=45)),
  ("t2m", hc(C + " || exit 1", interval=300, timeout=120)),
 ]))
CASES.append(hcase("baseline-health-bounds-ok", "IMG-003 and IMG-004 pass docker's defaults, a timeout equal to the interval, and the bounds themselves",
 "A HEALTHCHECK with no options (docker's 30s/30s/0s/3), 5s/5s, 30s/30s explicit, start period 5m, 10 retries,\ninterval 5m.",
 {"IMG-003": "pass", "IMG-004": "pass"}, [
  ("defaults", hc(C + " || exit 1", interval=None, timeout=None, start=None, retries=None)),
  ("i5-t5", hc(C + " || exit 1", interval=5, timeout=5)),
  ("i30-t30", hc(C + " || exit 1", interval=30, timeout=30)),
  ("start-5m", hc(C + " || exit 1", start=300)),
  ("retries-10", hc(C + " || exit 1", retries=10)),
  ("interval-5m", hc(C + " || exit 1", interval=300, timeout=30)),
 ]))
D = "@sha256:" + h("digest")
CASES.append(write_case("baseline-tags-pinned", "IMG-019 passes a non-latest tag, or a digest without tags",
 "RepoTags [] with a RepoDigest (pulled by digest), and a version tag.",
 [("digest-only", [], HC_OK, [], ["registry.example.com/app" + D]),
  ("version", [], HC_OK, ["registry.example.com/app:1.4.2", "registry.example.com/app:latest"], ["registry.example.com/app" + D])],
 {"IMG-019": "pass"}))
CASES.append(write_case("baseline-tags-unpinned", "IMG-019 fails only latest, with or without a digest, and no tag and no digest",
 "RepoTags [\"app:latest\"] with a RepoDigest, RepoTags [] without RepoDigests.",
 [("latest-digest", [], HC_OK, ["registry.example.com/app:latest"], ["registry.example.com/app" + D]),
  ("nothing", [], HC_OK, [], [])],
 {"IMG-019": "fail"}))
print("\n".join(c.replace("-", "_") + "," for c in CASES))
