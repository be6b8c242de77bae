# The `reactbin-api-prod` contract (policies/reactbin-api-prod.yaml, including its image-baseline
# requirements) written as a Rego policy, for the benchmark against regorus (benches/README.md).
#
# Input: the dumps as docker prints them, each parsed from JSON and nothing else —
#   input.image     = the first object of `docker image inspect` (absent when not given)
#   input.history   = the lines of `docker history --no-trunc --format '{{json .}}'`, newest first,
#                     each parsed as it is (absent when not given)
#   input.container = the object of `docker container inspect` (absent when not given)
# Everything clearance derives while normalising (env as name/value, ports with a default protocol,
# user → uid/gid/name/root, healthcheck durations with docker's defaults, stop signal, platform,
# history oldest first with the Dockerfile instruction of each line) is derived here, in Rego, so the
# two engines are timed on the same work: from the dumps to a status per requirement.
#
# Output: data.clearance.reactbin.results = {requirement id: status}, status one of pass, fail,
# not_applicable, error (a needed document was not given). Checks are three-valued like clearance's:
# a fact of a missing document is "unknown", all_of/any_of combine unknowns the same way, and an
# unknown result is `error`. Not modelled (the fixtures do not need it): truncated history lines
# (`docker history` without --no-trunc), podman and OCI-config shapes, waivers.
package clearance.reactbin

import rego.v1

# ───────────────────────────── three-valued helpers ─────────────────────────────
tv(true) := "pass"

tv(false) := "fail"

# Negated: `none` of the elements matched.
tvn(true) := "fail"

tvn(false) := "pass"

all3(ts) := "fail" if {
	"fail" in ts
} else := "unknown" if {
	"unknown" in ts
} else := "pass"

any3(ts) := "pass" if {
	"pass" in ts
} else := "unknown" if {
	"unknown" in ts
} else := "fail"

default has_image := false

has_image if is_object(input.image)

default has_history := false

has_history if is_array(input.history)

default has_container := false

has_container if is_object(input.container)

# A truth about image facts / history facts: unknown when the document was not given.
img(t) := "unknown" if {
	not has_image
} else := t

hist(t) := "unknown" if {
	not has_history
} else := t

it(b) := img(tv(b))

ht(b) := hist(tv(b))

htn(b) := hist(tvn(b))

status(t) := "error" if {
	t == "unknown"
} else := t

# ───────────────────────────── image facts ─────────────────────────────
config := input.image.Config if {
	is_object(input.image.Config)
} else := {}

list_or_empty(x) := x if {
	is_array(x)
} else := [x] if {
	is_string(x)
} else := []

object_or_empty(x) := x if {
	is_object(x)
} else := {}

env_entry(e) := {"name": parts[0], "value": concat("=", array.slice(parts, 1, count(parts)))} if {
	parts := split(e, "=")
}

env := [env_entry(e) | some e in list_or_empty(object.get(config, "Env", []))]

env_names := {e.name | some e in env}

port_name(k) := k if {
	contains(k, "/")
} else := concat("", [k, "/tcp"])

ports := {port_name(k) | some k, _ in object_or_empty(object.get(config, "ExposedPorts", {}))}

command := array.concat(
	list_or_empty(object.get(config, "Entrypoint", [])),
	list_or_empty(object.get(config, "Cmd", [])),
)

command_line := concat(" ", command)

workdir := object.get(config, "WorkingDir", "")

volumes := object.keys(object_or_empty(object.get(config, "Volumes", {})))

tags := list_or_empty(object.get(input.image, "RepoTags", []))

user := u if {
	u := object.get(config, "User", "")
	is_string(u)
} else := ""

user_parts := split(user, ":")

numeric(s) if regex.match(`^[0-9]+$`, s)

runs_as_root if user_parts[0] in {"", "root", "0"}

uid := 0 if user_parts[0] in {"", "root"}

uid := to_number(user_parts[0]) if numeric(user_parts[0])

gid := to_number(user_parts[1]) if numeric(user_parts[1])

user_name := user_parts[0] if {
	user_parts[0] != ""
	not numeric(user_parts[0])
}

group_name := user_parts[1] if {
	user_parts[1] != ""
	not numeric(user_parts[1])
}

healthcheck := config.Healthcheck if is_object(config.Healthcheck)

hc_test := list_or_empty(object.get(healthcheck, "Test", []))

hc_type := hc_test[0]

hc_command := concat(" ", array.slice(hc_test, 1, count(hc_test)))

# Docker's defaults apply when a field is 0 or unset (start period: 0).
or_default(v, d) := d if {
	v == null
} else := d if {
	v == 0
} else := v

second := 1000000000

hc_interval := or_default(object.get(healthcheck, "Interval", 0), 30 * second)

hc_timeout := or_default(object.get(healthcheck, "Timeout", 0), 30 * second)

hc_start_period := or_default(object.get(healthcheck, "StartPeriod", 0), 0)

hc_retries := or_default(object.get(healthcheck, "Retries", 0), 3)

signal_numbers := {"1": "SIGHUP", "2": "SIGINT", "3": "SIGQUIT", "9": "SIGKILL", "15": "SIGTERM"}

signal_name(s) := signal_numbers[format_int(s, 10)] if {
	is_number(s)
} else := signal_numbers[s] if {
	numeric(s)
} else := upper(s) if {
	startswith(upper(s), "SIG")
} else := concat("", ["SIG", upper(s)])

effective_stop_signal(c) := signal_name(c.StopSignal) if {
	is_string(c.StopSignal)
	c.StopSignal != ""
} else := signal_name(c.StopSignal) if {
	is_number(c.StopSignal)
} else := "SIGTERM"

platform := concat("/", [input.image.Os, input.image.Architecture, input.image.Variant]) if {
	is_string(input.image.Variant)
	input.image.Variant != ""
} else := concat("/", [input.image.Os, input.image.Architecture])

# ───────────────────────────── history facts ─────────────────────────────
# Oldest first, as clearance numbers them.
layers := array.reverse(input.history) if has_history

created_by := [object.get(l, "CreatedBy", "") | some l in layers]

keywords := {
	"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
	"MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
}

shell_prefix := `^(\|\d+\s+(\S+=\S*\s+)*)?(\S*/)?(sh|bash|ash|dash|zsh|ksh|mksh)\s+(-\S+\s+)*?-[a-z]*c\s+`

# The Dockerfile instruction a history line came from: BuildKit's `COPY …`, the classic builder's
# `/bin/sh -c #(nop) ADD …`, or a shell command (RUN).
instruction(cb) := kw if {
	kw := split(trim_space(cb), " ")[0]
	kw in keywords
} else := kw if {
	m := regex.find_all_string_submatch_n(concat("", [shell_prefix, `#\(nop\)\s+([A-Z]+)`]), cb, 1)
	kw := m[0][count(m[0]) - 1]
	kw in keywords
} else := "RUN" if {
	regex.match(shell_prefix, cb)
} else := ""

instructions := [instruction(cb) | some cb in created_by]

# `none: { fact: created_by, matches: P }`
default_none(p) := false if {
	some cb in created_by
	regex.match(p, cb)
} else := true

# `any: { fact: created_by, matches: P }`
any_line(p) if {
	some cb in created_by
	regex.match(p, cb)
}

default_any(p) := true if any_line(p) else := false

# ───────────────────────────── container facts ─────────────────────────────
container := object_or_empty(object.get(input, "container", {}))

ctr_config := object_or_empty(object.get(container, "Config", {}))

ctr_host := object_or_empty(object.get(container, "HostConfig", {}))

ctr_state := object_or_empty(object.get(container, "State", {}))

ctr_health := ctr_state.Health.Status if is_string(ctr_state.Health.Status)

ctr_env_names := {split(e, "=")[0] | some e in list_or_empty(object.get(ctr_config, "Env", []))}

ctr_user := u if {
	u := object.get(ctr_config, "User", "")
	is_string(u)
} else := ""

# ───────────────────────────── parameters ─────────────────────────────
required_env := {
	"JWT_SECRET_KEY", "OWNER_USERNAME", "OWNER_PASSWORD", "DATABASE_URL", "S3_ENDPOINT_URL",
	"S3_BUCKET_NAME", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_REGION",
}

sensitive_volume_pattern := `^/($|(bin|boot|dev|etc|lib|lib64|proc|root|run|sbin|sys|usr|var/run|var/lib/docker)(/|$))`

# ───────────────────────────── image-baseline requirements ─────────────────────────────
default bad_005 := false

bad_005 if {
	some cb in created_by
	regex.match(`\b(apt-get|apt|apk|yum|dnf|microdnf|zypper)\s+(-\S+\s+)*update\b`, cb)
	not regex.match(`\b(install|add|upgrade|dist-upgrade|full-upgrade)\b`, cb)
}

truth["IMG-005"] := htn(bad_005)

default bad_006 := false

bad_006 if {
	some i, cb in created_by
	instructions[i] == "ADD"
	not regex.match(`(?i)\b(https?|ftp)://`, cb)
	not regex.match(`\.(tar|tgz|tbz2?|txz|tar\.(gz|bz2|xz|zst))(\s|$)`, cb)
	not regex.match(`^/bin/sh -c #\(nop\) ADD (file|dir|multi):[0-9a-f]+ in / *$`, cb)
}

truth["IMG-006"] := htn(bad_006)

default bad_007 := false

bad_007 if {
	some i, cb in created_by
	instructions[i] == "ADD"
	regex.match(`(?i)\b(https?|ftp)://|\bgit@`, cb)
}

truth["IMG-007"] := htn(bad_007)

truth["IMG-008"] := ht(default_none(`(?i)\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(\S*/)?(ba|z|da|k)?sh\b|\b(ba|z)?sh\s+(-\S+\s+)*"?\$\((curl|wget)\b|\b(ba|z)?sh\s+<\(\s*(curl|wget)\b`))

default bad_009 := false

bad_009 if {
	some e in env
	regex.match(`(?i)(PASSW(OR)?D|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|_KEY$|^KEY$)`, e.name)
	not regex.match(`(?i)(_FILE|SECRETFILE|_PATH|_DIR|GPG_?KEYS?|PUBLIC_?KEY|_KEYSERVER|_KEYRING)$`, e.name)
	e.value != ""
	not regex.match(`^/run/secrets/`, e.value)
}

truth["IMG-009"] := img(tvn(bad_009))

truth["IMG-010"] := ht(default_none(`(?i)\b[a-z0-9_]*(passw(or)?d|passphrase|secret|token|api_?key|access_?key|private_?key)[a-z0-9_]*\s*=\s*["']?[^\s"'$]|--(password|passwd|token|secret)[= ]+[^\s$-]|://[^/\s:@]+:[^/\s@$]+@`))

default bad_011 := false

bad_011 if {
	some i, cb in created_by
	instructions[i] in {"COPY", "ADD"}
	regex.match(`(?i)(^|[\s/])(id_rsa|id_dsa|id_ecdsa|id_ed25519|[^\s/]+\.(p12|pfx)|[^\s/]*private[^\s/]*\.(key|pem)|tls\.key|server\.key|\.npmrc|\.pypirc|\.netrc|\.htpasswd|\.env|credentials?|credentials?\.json)(\s|$)`, cb)
}

truth["IMG-011"] := htn(bad_011)

truth["IMG-012"] := ht(default_none(`\bsudo\b`))

default bad_013 := false

bad_013 if {
	some v in volumes
	regex.match(sensitive_volume_pattern, v)
}

truth["IMG-013"] := img(tvn(bad_013))

truth["IMG-014"] := ht(default_none(`\b(apt-get|apt|aptitude|apk)\s+(-\S+\s+)*(upgrade|dist-upgrade|full-upgrade)\b`))

default bad_015 := false

bad_015 if {
	some cb in created_by
	regex.match(`\bapk\s+(-\S+\s+)*add\b`, cb)
	not regex.match(`--no-cache|/var/cache/apk`, cb)
}

truth["IMG-015"] := htn(bad_015)

default bad_016 := false

bad_016 if {
	some cb in created_by
	regex.match(`\bapt(-get)?\s+(-\S+\s+)*install\b`, cb)
	not regex.match(`/var/lib/apt/lists`, cb)
}

truth["IMG-016"] := htn(bad_016)

default bad_017 := false

bad_017 if {
	some cb in created_by
	regex.match(`\bpip3?\s+(-\S+\s+)*install\b`, cb)
	not regex.match(`--no-cache|PIP_NO_CACHE_DIR`, cb)
}

truth["IMG-017"] := any3([it("PIP_NO_CACHE_DIR" in env_names), htn(bad_017)])

default bad_018 := false

bad_018 if {
	some cb in created_by
	regex.match(`\bnpm\s+(-\S+\s+)*(ci|install|i)\b`, cb)
	not regex.match(`npm cache clean|--cache[= ]+/tmp`, cb)
}

truth["IMG-018"] := htn(bad_018)

truth["IMG-020"] := it(not_in("22/tcp", ports))

not_in(x, s) := false if x in s else := true

truth["IMG-021"] := ht(default_none(`\b(openssh-server|dropbear)\b|\bsshd\b`))

truth["IMG-022"] := ht(default_none(`\bchmod\s+(-\S+\s+)*(0?777|[246]777|(a|o|ugo)\+[rx]*w[rx]*)\s+"?[^"$\s-]`))

truth["IMG-023"] := ht(default_none(`\bchmod\s+(-\S+\s+)*((u|a|ug|uo|ugo)?\+[rwx]*s[rwx]*|[4-7][0-7]{3})(\s|$)`))

truth["IMG-024"] := ht(default_none(`^(/bin/sh -c #\(nop\) )?COPY\s+(--\S+\s+)*\.\s+\S+\s*(# buildkit)?$`))

default hc_runs_curl := false

hc_runs_curl if regex.match(`\bcurl\b`, hc_command)

img_025 := "not_applicable" if {
	has_image
	not hc_runs_curl
} else := it(regex.match(`\bcurl\b.*(\s-[a-zA-Z]*f|\s--fail\b)`, hc_command))

truth["IMG-025"] := img_025

default bad_026 := false

bad_026 if {
	some cb in created_by
	regex.match(`\bapt(-get)?\s+(-\S+\s+)*install\b`, cb)
	not regex.match(`--no-install-recommends|APT::Install-Recommends=(false|0)`, cb)
}

truth["IMG-026"] := htn(bad_026)

# ───────────────────────────── network ─────────────────────────────
truth["NET-001"] := it("8000/tcp" in ports)

truth["NET-002"] := it(net_002)

default net_002 := false

net_002 if {
	regex.match(`(^|\s)--host(\s+|=)0\.0\.0\.0(\s|$)`, command_line)
	regex.match(`(^|\s)--port(\s+|=)8000(\s|$)`, command_line)
}

truth["NET-003"] := it(count(ports - {"8000/tcp"}) == 0)

# ───────────────────────────── health check ─────────────────────────────
default health_001 := false

health_001 if {
	hc_type in {"CMD", "CMD-SHELL"}
	regex.match(`(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):8000/api/v1/health\b`, hc_command)
	regex.match(`\bcurl\b.*\s-[a-zA-Z]*f|\bcurl\b.*--fail\b|\bwget\b|urlopen`, hc_command)
}

truth["HEALTH-001"] := it(health_001)

# An absent fact (no HEALTHCHECK) equals nothing: false unless the value exists and is equal.
default health_002 := false

health_002 if hc_interval == 30 * second

default health_003 := false

health_003 if hc_timeout == 5 * second

default health_004 := false

health_004 if hc_start_period == 10 * second

default health_005 := false

health_005 if hc_retries == 3

truth["HEALTH-002"] := it(health_002)

truth["HEALTH-003"] := it(health_003)

truth["HEALTH-004"] := it(health_004)

truth["HEALTH-005"] := it(health_005)

# ───────────────────────────── environment ─────────────────────────────
truth["ENV-001"] := it(count(env_names & required_env) == 0)

optional_defaults := {
	"ENV-002": ["JWT_EXPIRY_SECONDS", "86400"],
	"ENV-003": ["MAX_UPLOAD_BYTES", "52428800"],
	"ENV-004": ["LOGIN_MAX_FAILURES", "5"],
	"ENV-005": ["LOGIN_WINDOW_SECONDS", "300"],
	"ENV-006": ["LOGIN_COOLDOWN_SECONDS", "900"],
	"ENV-007": ["LOGIN_TRUSTED_PROXY_IPS", ""],
}

env_is(name, value) if {
	some e in env
	e.name == name
	e.value == value
}

default_env_is(name, value) := true if env_is(name, value) else := false

# `when: { fact: image.env, contains: NAME }`, then the entry has the documented value.
optional(name, value) := "unknown" if {
	not has_image
} else := "not_applicable" if {
	not name in env_names
} else := tv(default_env_is(name, value))

truth[id] := optional(nv[0], nv[1]) if some id, nv in optional_defaults

truth["ENV-008"] := it(not_in("API_BASE_URL", env_names))

# ───────────────────────────── signals and process ─────────────────────────────
truth["SIG-001"] := it(effective_stop_signal(config) == "SIGTERM")

truth["RUN-001"] := it(regex.match(`^(/app/\.venv/bin/)?uvicorn\s+app\.main:app(\s|$)`, command_line))

truth["RUN-002"] := it(regex.match(`(^|\s)--timeout-graceful-shutdown(\s+|=)30(\s|$)`, command_line))

truth["RUN-003"] := it(run_003)

default run_003 := false

run_003 if {
	not regex.match(`^(/bin/)?(ba|da)?sh\s+-c\s`, command_line)
	not regex.match(`(^|\s)--reload(\s|$)`, command_line)
}

# ───────────────────────────── process identity ─────────────────────────────
default is_root := false

is_root if runs_as_root

truth["USR-001"] := it(is_root == false)

default uid_1001 := false

uid_1001 if uid == 1001

default gid_1001 := false

gid_1001 if gid == 1001

default named_appuser := false

named_appuser if user_name == "appuser"

default no_group := false

no_group if {
	not group_name
	not gid
}

default group_appgroup := false

group_appgroup if group_name == "appgroup"

truth["USR-002"] := it(any_true([named_appuser, uid_1001]))

any_true(bs) := true if true in bs else := false

truth["USR-003"] := any3([
	it(uid_1001),
	all3([it(named_appuser), ht(default_any(`\b(useradd|adduser)\s[^;&|]*(--uid[= ]|-u\s*)1001\b[^;&|]*\sappuser\b`))]),
])

truth["USR-004"] := any3([
	it(gid_1001),
	all3([
		it(named_appuser), it(no_group),
		ht(default_any(`\b(useradd|adduser)\s[^;&|]*(--gid[= ]|-g\s*)1001\b[^;&|]*\sappuser\b`)),
	]),
	all3([
		it(group_appgroup),
		ht(default_any(`\b(groupadd|addgroup)\s[^;&|]*(--gid[= ]|-g\s*)1001\b[^;&|]*\sappgroup\b`)),
	]),
])

# ───────────────────────────── filesystem ─────────────────────────────
truth["FS-001"] := it(workdir == "/app")

default venv_on_path := false

venv_on_path if {
	some e in env
	e.name == "PATH"
	regex.match(`^/app/\.venv/bin/?(:|$)`, e.value)
}

truth["FS-002"] := it(venv_on_path)

truth["FS-003"] := it(count(volumes) == 0)

truth["FS-004"] := ht(default_any(`COPY\s.*\s(\./app/?|/app/app/?)\s*(# buildkit)?$`))

# ───────────────────────────── build ─────────────────────────────
truth["BLD-001"] := ht(default_none(`(?i)\bpytest\b|\balembic\b|requirements[-_](dev|test)\w*\.txt|--(group|extra)[= ]+(dev|test)\b|--all-(groups|extras)\b|--with[= ]+(dev|test)\b|\[(dev|test|tests)\]|(^|[\s/])tests?/|\sin\s+\S*tests?/?\s*$|(^|[\s/])\.git(/|\s|$)|(^|[\s/])\.env(\s|$)`))

default bad_bld_002 := false

bad_bld_002 if {
	some cb in created_by
	regex.match(`\buv\s+sync\b`, cb)
	not regex.match(`\buv\s+sync\b[^;&|]*\s--no-dev\b`, cb)
}

truth["BLD-002"] := htn(bad_bld_002)

deps_at := [i | some i, cb in created_by; regex.match(`COPY\s.*/app/\.venv\b|\buv\s+sync\b|\bpip3?\s+(-\S+\s+)*install\b`, cb)]

source_at := [i | some i, cb in created_by; regex.match(`^(/bin/sh -c #\(nop\) )?COPY\s.*\s(\.|\./|/app/?|\./app/?|/app/app/?)\s*(# buildkit)?$`, cb)]

# `order: {first, then}`: the first dependency layer comes before every source layer.
default bld_003 := false

bld_003 if {
	count(deps_at) > 0
	count(source_at) > 0
	min(source_at) > min(deps_at)
}

truth["BLD-003"] := ht(bld_003)

default bad_bld_004 := false

bad_bld_004 if {
	some cb in created_by
	regex.match(`\b(apt-get|apt|apk)\s+(-\S+\s+)*(install|add)\b[^;&|]*\s(gcc|g\+\+|make|build-essential|build-base|git|vim|nano|strace|gdb|procps|net-tools|telnet)(\s|$)`, cb)
	not regex.match(`\b(apt-get\s+(-\S+\s+)*(purge|remove)|apk\s+del)\b`, cb)
}

truth["BLD-004"] := htn(bad_bld_004)

# ───────────────────────────── base image, tags, secrets ─────────────────────────────
default python_312 := false

python_312 if {
	some e in env
	e.name == "PYTHON_VERSION"
	regex.match(`^3\.12\.\d+$`, e.value)
}

truth["BASE-001"] := it(python_312)

truth["BASE-002"] := ht(default_any(`\bENV\s+(.*\s)?PYTHON_VERSION[= ]3\.12\.\d+(\s|$)`))

truth["BASE-003"] := ht(default_any(`--no-install-recommends\s+ca-certificates\s+netbase\s+tzdata\b`))

default linux_amd64 := false

linux_amd64 if platform == "linux/amd64"

truth["PLAT-001"] := it(linux_amd64)

default sha_tag := false

sha_tag if {
	some t in tags
	regex.match(`:(git-)?[0-9a-f]{7,40}$`, t)
}

truth["TAG-001"] := it(sha_tag)

truth["SEC-001"] := ht(default_none(`(?i)password|secret_key|api_key|token`))

# ───────────────────────────── running container (optional dump) ─────────────────────────────
container_req(b) := "not_applicable" if {
	not has_container
} else := tv(b)

truth["CTR-001"] := container_req(object.get(ctr_host, "Privileged", false) == false)

truth["CTR-002"] := container_req(ctr_user_root == false)

default ctr_user_root := false

ctr_user_root if split(ctr_user, ":")[0] in {"", "root", "0"}

default ctr_003 := false

ctr_003 if {
	object.get(ctr_host, "ReadonlyRootfs", false) == true
	not ctr_unhealthy
}

ctr_unhealthy if regex.match(`^unhealthy$`, ctr_health)

truth["CTR-003"] := container_req(ctr_003)

truth["CTR-004"] := container_req(count(required_env - ctr_env_names) == 0)

default ctr_005 := false

ctr_005 if ctr_config.StopTimeout >= 30

truth["CTR-005"] := container_req(ctr_005)

truth["CTR-006"] := container_req(effective_stop_signal(ctr_config) == "SIGTERM")

default ctr_healthy := false

ctr_healthy if ctr_health == "healthy"

ctr_007 := "not_applicable" if {
	has_container
	object.get(ctr_state, "Status", "") != "running"
} else := container_req(ctr_healthy)

truth["CTR-007"] := ctr_007

# ───────────────────────────── result ─────────────────────────────
results := {id: status(t) | some id, t in truth}
