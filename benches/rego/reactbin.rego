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
#
# Patterns are the pack's, character for character, except that a backtick is written `\x60` (a Rego
# raw string cannot hold one; regorus compiles patterns with Rust's `regex`, as clearance does). One
# check is not a pattern in the pack: IMG-010 reads clearance's masker decision (`history[].secrets`),
# approximated here by patterns (see `masked` below).
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

# `order: {first, then}` over the indexes of the lines satisfying each: some line satisfies `first`,
# some `then`, and every `then` line comes after the first `first` line.
ordered(firsts, thens) := true if {
	count(firsts) > 0
	count(thens) > 0
	min(thens) > min(firsts)
} else := false

# ───────────────────────────── container facts ─────────────────────────────
container := object_or_empty(object.get(input, "container", {}))

ctr_config := object_or_empty(object.get(container, "Config", {}))

ctr_host := object_or_empty(object.get(container, "HostConfig", {}))

ctr_state := object_or_empty(object.get(container, "State", {}))

ctr_health := ctr_state.Health.Status if is_string(ctr_state.Health.Status)

ctr_env := [env_entry(e) | some e in list_or_empty(object.get(ctr_config, "Env", []))]

ctr_env_names := {e.name | some e in ctr_env}

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

# `uid0_assigned`: a history line that gives a user UID 0 (USR-001, USR-003).
uid0_assigned(cb) if regex.match(`\b(useradd|adduser|usermod)\s([^;&|]*\s)?(--uid[= ]+|-[a-zA-Z]*u\s*)0+\b`, cb)

uid0_assigned(cb) if {
	regex.match(`/etc/passwd\b`, cb)
	passwd_uid0_entry(cb)
}

# The pack's pattern `(^|[\s'"/>])([a-qs-z_][\w.-]*|r(…)?|ro(…)?|roo(…)?|root[\w.-]+):[^:\s]*:0+:` (a
# UID-0 line for a user other than root), one alternative at a time: whole, its five Unicode `\w`
# classes compile past regorus' fixed regex size limit (100 KiB); split, it matches the same lines.
passwd_uid0_entry(cb) if regex.match(`(^|[\s'"/>])[a-qs-z_][\w.-]*:[^:\s]*:0+:`, cb)

passwd_uid0_entry(cb) if regex.match(`(^|[\s'"/>])r([a-np-z0-9_.-][\w.-]*)?:[^:\s]*:0+:`, cb)

passwd_uid0_entry(cb) if regex.match(`(^|[\s'"/>])ro([a-np-z0-9_.-][\w.-]*)?:[^:\s]*:0+:`, cb)

passwd_uid0_entry(cb) if regex.match(`(^|[\s'"/>])roo([a-su-z0-9_.-][\w.-]*)?:[^:\s]*:0+:`, cb)

passwd_uid0_entry(cb) if regex.match(`(^|[\s'"/>])root[\w.-]+:[^:\s]*:0+:`, cb)

default any_uid0_assigned := false

any_uid0_assigned if {
	some cb in created_by
	uid0_assigned(cb)
}

# ───────────────────────────── secrets (IMG-009, IMG-010) ─────────────────────────────
# A secret-looking name: IMG-009's three name patterns (clearance's masker reads names almost the same
# way, see `masker_secret_name`).
secret_name(n) if {
	regex.match(secret_name_pattern, n)
	not regex.match(reference_name_pattern, n)
	not regex.match(setting_name_pattern, n)
}

secret_name_pattern := `(?i)(passwords?|passwd|passphrase|secrets?|tokens?|credentials?)([^a-z0-9]|$)|(^|[^a-z0-9])(pwd|creds|dsn|apikey|accesskey|privatekey|secretkey)([^a-z0-9]|$)|(^|[^a-z0-9])(auth|pass|cookie|pat|keys?)$|(^|[^a-z0-9])(api|access|private|secret|signing|encryption|master|session|client|ssh)[^a-z0-9]+key([^a-z0-9]|$)|(?-i:[a-z0-9](Pwd|PWD|Creds|CREDS|Dsn|DSN|Auth|AUTH|Pass|PASS|Cookie|COOKIE|Pat|PAT|Keys?|KEYS?))$`

reference_name_pattern := `(?i)(^|[^a-z0-9])(files?|secretfile|path|dir)$|(?-i:[a-z0-9](Files?|FILES?|Path|PATH|Dir|DIR|Secretfile|SECRETFILE))$|(^|[^a-z0-9])(gpg|pgp|public|pub)([^a-z0-9]+keys?|(?-i:Keys?|KEYS?))$|^pwd$`

setting_name_pattern := `(?i)(^|[^a-z0-9])(max|min|num|count|limit|length|len|size|ttl|timeout|expiry|lifetime|dummy)([^a-z0-9]|$)|(?-i:(^|[^A-Za-z0-9])(max|min|num|count|limit|length|len|size|ttl|timeout|expiry|lifetime|dummy|Max|Min|Num|Count|Limit|Length|Len|Size|Ttl|Timeout|Expiry|Lifetime|Dummy)[A-Z]|[a-z0-9](Max|Min|Num|Count|Limit|Length|Len|Size|Ttl|Timeout|Expiry|Lifetime|Dummy)([^a-z0-9]|$))`

# The masker also takes `AUTH`, `PASS`, `COOKIE` and `PAT` as a secret part anywhere in a name
# (`AUTH_URL`); IMG-009's pattern only at its end.
masker_secret_name(n) if secret_name(n)

masker_secret_name(n) if {
	regex.match(`(?i)(^|[^a-z0-9])(auth|pass|cookie|pat)[^a-z0-9]`, n)
	not regex.match(reference_name_pattern, n)
	not regex.match(setting_name_pattern, n)
}

# `scheme://user:password@host`, or a token as the user name (`https://ghp_…@github.com`): IMG-009's
# value pattern.
url_credentials := `[[:alnum:]]://[^/?#"'\x60\x09\x0A\x0C\x0D\x20:]*:[^/?#"'\x60\x09\x0A\x0C\x0D\x20]+@|[[:alnum:]]://(ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|gldt-|xoxa-|xoxb-|xoxp-|xoxr-|xoxs-|npm_|pypi-|hf_|AKIA|ASIA)[^/?#"'\x60\x09\x0A\x0C\x0D\x20:@][^/?#"'\x60\x09\x0A\x0C\x0D\x20:]*@`

# IMG-010 checks `history[].secrets`: whether clearance's masker (crates/clearance-core/src/facts/mask.rs,
# `command_masked`) hides something in the line. The masker is a scanner, not one regex; `masked` is an
# APPROXIMATION of its rules by patterns, which must agree with it on the fixtures (the parity test
# checks nothing else). It misses or over-reads odd quoting, values that start right after another
# assignment's first character, a header value starting with `//`, and a lone auth scheme. The rules:
# 1. `NAME=value` with a secret-looking NAME (also `db.password`, `-Dapp.db-password`), after the start,
#    a blank, a quote or one of ``;&|(`=,:?``, with a non-empty value (`a==1.2` is no assignment);
masked(cb) if {
	some m in regex.find_all_string_submatch_n(`(?:^|[\s;&|("'\x60=,:?])([A-Za-z0-9_.-]+)=(?:"[^"]|'[^']|[^\s;&|)\x60"'=])`, cb, -1)
	masker_secret_name(m[1])
}

# 2. the legacy `ENV NAME value` with a secret-looking NAME;
masked(cb) if {
	some m in regex.find_all_string_submatch_n(`(?:^|[\s;&|("'\x60=,:?])ENV \s*([A-Za-z0-9_]+) \s*\S`, cb, -1)
	masker_secret_name(m[1])
}

# 3. URL credentials;
masked(cb) if regex.match(url_credentials, cb)

# 4. a secret long option with a value (`--password=pw`, `--token t0k`; not `--password-stdin`,
#    `--password-file`, `--recv-keys`, docker build's `--secret`);
masked(cb) if {
	some m in regex.find_all_string_submatch_n(`(?:^|[\s;&|)\x60])--([^\s;&|)\x60=]+)(?:=[^\s;&|)\x60]|[ \t]+(?:"[^"]|'[^']|[^-\s;&|)\x60"']))`, cb, -1)
	secret_option(m[1])
}

# 5. `-p value` on a `login` command;
masked(cb) if {
	regex.match(`(^|[\s;&|])login($|[\s;&|])`, cb)
	regex.match(`(^|[\s;&|)\x60])-p[ \t]+("[^"]|'[^']|[^-\s;&|)\x60"'])`, cb)
}

# 6. the password of `-u user:password` (`-uuser:pw`, `--user`, `--proxy-user`, `-U`) on a `curl` command;
masked(cb) if {
	regex.match(`(^|[\s;&|])([^\s;&|]*/)?curl($|[\s;&|])`, cb)
	regex.match(`(^|[\s;&|)\x60])(-u[^\s;&|)\x60:]*:|(-u|-U|--user|--proxy-user)(=[^\s;&|)\x60:]*:|[ \t]+"[^":]*:|[ \t]+'[^':]*:|[ \t]+([^-\s;&|)\x60"'][^\s;&|)\x60:]*)?:))[^\s;&|)\x60"']`, cb)
}

# 7. the credentials of an `Authorization:` / `Proxy-Authorization:` header (after a scheme such as
#    `Bearer`) or of a header with a secret-looking name (`PRIVATE-TOKEN: …`).
masked(cb) if {
	some m in regex.find_all_string_submatch_n(`(?:^|[ \t"'])([A-Za-z0-9_-]+):(?:[ \t]*(?i:bearer|basic|token|bot|digest|negotiate|ntlm) [ \t]*|[ \t]*)[^\s;&|)\x60"'<>]`, cb, -1)
	secret_header(m[1])
}

secret_option(name) if {
	lower(name) != "secret"
	not regex.match(`(?i)(^|[^a-z0-9])(stdin|files?|path|dir|env|keys)$`, name)
	masker_secret_name(name)
}

secret_header(name) if lower(name) in {"authorization", "proxy-authorization"}

secret_header(name) if masker_secret_name(name)

# ───────────────────────────── image-baseline requirements ─────────────────────────────
default bad_027 := false

bad_027 if {
	some cb in created_by
	regex.match(`\b(usermod|useradd|adduser)\b[^;&|]*\s(-[a-zA-Z]*u\s*|--uid[= ]\s*)0+(\s|$|[;&|)"'])`, cb)
}

bad_027 if {
	some cb in created_by
	regex.match(`/etc/passwd`, cb)
	regex.match(`(^|[\s'"/>])([a-qs-z_][a-z0-9_.-]*|r([a-np-z0-9_.-][a-z0-9_.-]*)?|ro([a-np-z0-9_.-][a-z0-9_.-]*)?|roo([a-su-z0-9_.-][a-z0-9_.-]*)?|root[a-z0-9_.-]+):[^:\s]*:0+:|\bsed\b[^;&|]*/:0+:`, cb)
}

truth["IMG-027"] := htn(bad_027)

default bad_005 := false

bad_005 if {
	some cb in created_by
	regex.match(`\b(apt-get|apt|apk|yum|dnf|microdnf|zypper)\s+((-o|--option)\s+\S+\s+|-\S+\s+)*update\b`, cb)
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
	not regex.match(`^(/bin/sh -c #\(nop\) )?ADD\s+(--\S+\s+)*--checksum=sha256:[0-9a-fA-F]{64}\s`, cb)
}

truth["IMG-007"] := htn(bad_007)

# The pack's pattern `(?i)PIPED|SUBSTITUTED|DOT_SOURCED`, one alternative at a time, and with the two `\w`
# of a `NAME=value` before the interpreter ASCII (`(?-u:\w)`): whole, or with Unicode `\w`, it compiles
# past regorus' fixed regex size limit (100 KiB). Shell variable names are ASCII, so it matches the same
# lines.
runs_download(cb) if regex.match(`(?i)\b(curl|wget)\b([^|;&]|&[^&\s|;])*(\|\s*(\S*/)?(tee|cat|gunzip|zcat|gzip|xz|unxz|bzip2|bunzip2|base64|sed|tr)\b([^|;&]|&[^&\s|;])*)*\|\s*((?-u:\w)+=\S*\s+)*((\S*/)?(sudo|env)(\s+(-\S+|(?-u:\w)+=\S*))*\s+)*(\S*/)?((ba|da|z|k|a)?sh|python[0-9.]*|perl|ruby|node(js)?)(\s+-[a-zA-Z&&[^cemEp]]*)*(\s+-[a-zA-Z&&[^cemEp]]*s[a-zA-Z&&[^cemEp]]*(\s|$)|\s+--?(\s|$)|\s*(#|$|[;&|)"'\x60]))`, cb)

runs_download(cb) if regex.match(`(?i)(\b((ba|da|z|k|a)?sh|python[0-9.]*|perl|ruby|node(js)?)|\beval|\bsource)\s+(-\S+\s+)*["']?(\$\(|\x60|<\()\s*(curl|wget)\b`, cb)

runs_download(cb) if regex.match(`(?i)(^|[\s;&|(])\.\s+<\(\s*(curl|wget)\b`, cb)

default bad_008 := false

bad_008 if {
	some cb in created_by
	runs_download(cb)
}

truth["IMG-008"] := htn(bad_008)

default bad_009 := false

bad_009 if {
	some e in env
	secret_name(e.name)
	e.value != ""
	not regex.match(`^/run/secrets/`, e.value)
}

bad_009 if {
	some e in env
	regex.match(url_credentials, e.value)
}

truth["IMG-009"] := img(tvn(bad_009))

# `none: { fact: secrets, equals: true }`, with the masker approximated by `masked` (above).
default bad_010 := false

bad_010 if {
	some cb in created_by
	masked(cb)
}

truth["IMG-010"] := htn(bad_010)

default bad_011 := false

bad_011 if {
	some i, cb in created_by
	instructions[i] in {"COPY", "ADD"}
	regex.match(`(?i)(^|[\s/])(id_rsa|id_dsa|id_ecdsa|id_ed25519|[^\s/]+\.(p12|pfx)|[^\s/]*private[^\s/]*\.(key|pem)|tls\.key|server\.key|\.npmrc|\.pypirc|\.netrc|\.htpasswd|\.env|credentials?|credentials?\.json)(\s|$)`, cb)
}

truth["IMG-011"] := htn(bad_011)

truth["IMG-012"] := ht(default_none(`\b(apt-get|apt|aptitude|apk|yum|dnf|microdnf|zypper)\s[^;&|]*\b(install|add)\s[^;&|]*\b(sudo|doas|opendoas)\b|(^RUN\s+(\[\s*)?"?|[;&|(\x60]\s*|\s-c\s+["']?)(sudo|doas)\s|/etc/sudoers|\bNOPASSWD\b|\bvisudo\b|/etc/doas\.conf|\b(usermod|useradd|gpasswd)\b[^;&|]*\s(-[a-zA-Z]*G\s*|--groups[= ]|-a\s+)\S*\b(sudo|wheel)\b|\badduser\s+\S+\s+(sudo|wheel)(\s|$)`))

default bad_013 := false

bad_013 if {
	some v in volumes
	regex.match(sensitive_volume_pattern, v)
}

truth["IMG-013"] := img(tvn(bad_013))

truth["IMG-014"] := ht(default_none(`\b(apt-get|apt|aptitude|apk)\s+((-o|--option)\s+\S+\s+|-\S+\s+)*(upgrade|dist-upgrade|full-upgrade)\b`))

default bad_015 := false

bad_015 if {
	some cb in created_by
	regex.match(`\bapk\s+(-\S+\s+)*add\b`, cb)
	not regex.match(`--no-cache\b|\brm\s[^;&|]*/var/cache/apk|\bapk\s+cache\s+clean\b`, cb)
}

truth["IMG-015"] := htn(bad_015)

default bad_016 := false

bad_016 if {
	some cb in created_by
	regex.match(`\bapt(-get)?\s+((-o|--option)\s+\S+\s+|-\S+\s+)*install\b`, cb)
	not regex.match(`\brm\s[^;&|]*/var/lib/apt/lists`, cb)
}

truth["IMG-016"] := htn(bad_016)

pip_install_cached(cb) if {
	regex.match(`\bpip[0-9.]*\s+(-\S+\s+)*install\b`, cb)
	not regex.match(`--no-cache|PIP_NO_CACHE_DIR`, cb)
}

default bad_017 := false

bad_017 if {
	some cb in created_by
	pip_install_cached(cb)
}

pip_no_cache_env_at := [i | some i, cb in created_by; instructions[i] == "ENV"; regex.match(`\bPIP_NO_CACHE_DIR=`, cb)]

pip_install_cached_at := [i | some i, cb in created_by; pip_install_cached(cb)]

# No pip install keeps its cache; or PIP_NO_CACHE_DIR is in the environment and set (by an ENV layer)
# before the first pip install that keeps its cache.
truth["IMG-017"] := any3([
	htn(bad_017),
	all3([it("PIP_NO_CACHE_DIR" in env_names), ht(ordered(pip_no_cache_env_at, pip_install_cached_at))]),
])

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

truth["IMG-022"] := ht(default_none(`\bchmod\s+(-\S+\s+)*([0246]?[0-7]{2}[2367]|([^\s,]*,)*[ugo]*[oa][ugoa]*[+=][rwxXst]*w[rwxXst]*(,\S*)?)\s+"?[^"$\s-]|^(/bin/sh -c #\(nop\) )?(COPY|ADD)\s+(--\S+\s+)*--chmod=([0246]?[0-7]{2}[2367]|([^\s,]*,)*[ugo]*[oa][ugoa]*[+=][rwxXst]*w[rwxXst]*(,\S*)?)\s`))

truth["IMG-023"] := ht(default_none(`\b(chmod\s+(-\S+\s+)*|install(\s[^;&|]*)?\s(-m\s*|--mode[= ]))(0?[246][0-7]{3}|([^\s,]*,)*[ugoa]*[+=][rwxXt]*s[rwxXst]*(,\S*)?)(\s|$)|^(/bin/sh -c #\(nop\) )?(COPY|ADD)\s+(--\S+\s+)*--chmod=(0?[246][0-7]{3}|([^\s,]*,)*[ugoa]*[+=][rwxXt]*s[rwxXst]*(,\S*)?)\s`))

truth["IMG-024"] := ht(default_none(`^(/bin/sh -c #\(nop\) )?COPY\s+(--\S+\s+)*\./?\s+\S+\s*(# buildkit)?$`))

# `when: { fact: image.healthcheck.type, one_of: [CMD, CMD-SHELL] }`: the failure is not swallowed
# (`|| exit 0`, `|| true`, `; echo …`), and a curl probe fails on an HTTP error.
default img_025_check := false

img_025_check if {
	not regex.match(`(\|\||;)\s*(((/usr)?/bin/)?(true|:)|exit\s+0|echo\b[^|;&]*|printf\b[^|;&]*)\s*$`, hc_command)
	curl_fails_or_no_curl
}

curl_fails_or_no_curl if not regex.match(`\bcurl\b`, hc_command)

curl_fails_or_no_curl if regex.match(`\bcurl\b.*(\s-[a-zA-Z]*f|\s--fail(-with-body)?(\s|=|$))`, hc_command)

img_025 := "unknown" if {
	not has_image
} else := "not_applicable" if {
	not hc_type in {"CMD", "CMD-SHELL"}
} else := tv(img_025_check)

truth["IMG-025"] := img_025

default bad_026 := false

bad_026 if {
	some cb in created_by
	regex.match(`\bapt(-get)?\s+((-o|--option)\s+\S+\s+|-\S+\s+)*install\b`, cb)
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
	regex.match(`\bcurl\b.*\s-[a-zA-Z]*f|\bcurl\b.*\s--fail(-with-body)?(\s|$)|\bwget\b|urlopen`, hc_command)
	not regex.match(`(\|\||;)\s*(exit\s+0+|true|:)\s*$`, hc_command)
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

# Not root by USER, and (when the history is given) no layer gives a user UID 0.
usr_001_history := "pass" if {
	not has_history
} else := tvn(any_uid0_assigned)

truth["USR-001"] := all3([it(is_root == false), usr_001_history])

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

# A layer that gives appuser a UID other than 1001, or any user UID 0.
default appuser_uid_changed := false

appuser_uid_changed if {
	some cb in created_by
	uid0_assigned(cb)
}

appuser_uid_changed if {
	some cb in created_by
	regex.match(`\b(useradd|adduser|usermod)\s([^;&|]*\s)?(--uid[= ]+|-[a-zA-Z]*u\s*)\d+\b[^;&|]*\sappuser\b`, cb)
	not regex.match(`\b(useradd|adduser|usermod)\s([^;&|]*\s)?(--uid[= ]+|-[a-zA-Z]*u\s*)1001\b[^;&|]*\sappuser\b`, cb)
}

truth["USR-003"] := any3([
	it(uid_1001),
	all3([
		it(named_appuser),
		ht(default_any(`\b(useradd|adduser)\s[^;&|]*(--uid[= ]|-u\s*)1001\b[^;&|]*\sappuser\b`)),
		htn(appuser_uid_changed),
	]),
])

# USER 1001 without a group: the history creates the user with UID 1001 and primary group 1001 (by
# number, or appgroup created with GID 1001) in one line.
default uid_1001_created_with_gid_1001 := false

uid_1001_created_with_gid_1001 if {
	some cb in created_by
	regex.match(`\b(useradd|adduser)\s[^;&|]*(--uid[= ]+|-u\s*)1001\b`, cb)
	primary_group_1001(cb)
}

primary_group_1001(cb) if regex.match(`\b(useradd|adduser)\s[^;&|]*(--gid[= ]+|-g\s*)1001\b`, cb)

primary_group_1001(cb) if {
	regex.match(`\b(useradd|adduser)\s[^;&|]*(--gid[= ]+|-g\s*)appgroup\b`, cb)
	regex.match(`\b(groupadd|addgroup)\s[^;&|]*(--gid[= ]+|-g\s*)1001\b[^;&|]*\sappgroup\b`, cb)
}

truth["USR-004"] := any3([
	it(gid_1001),
	all3([
		it(named_appuser), it(no_group),
		any3([
			ht(default_any(`\b(useradd|adduser)\s[^;&|]*(--gid[= ]+|-g\s*)1001\b[^;&|]*\sappuser\b`)),
			all3([
				ht(default_any(`\b(useradd|adduser)\s[^;&|]*(--gid[= ]+|-g\s*)appgroup\b[^;&|]*\sappuser\b`)),
				ht(default_any(`\b(groupadd|addgroup)\s[^;&|]*(--gid[= ]+|-g\s*)1001\b[^;&|]*\sappgroup\b`)),
			]),
		]),
	]),
	all3([it(uid_1001), it(no_group), ht(uid_1001_created_with_gid_1001)]),
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
default bad_bld_001 := false

# The pack's first pattern `(?i)A|B|…`, its alternatives in four patterns, and the `[\w-]` of the extras in
# `[dev,test]` ASCII (`(?-u:[\w-])`): whole, or that alternative with Unicode `\w`, it compiles past
# regorus' fixed regex size limit (100 KiB). Extra names are ASCII (PEP 685), so it matches the same lines.
bld_001_dev_patterns := [
	`(?i)\bpytest\b|\balembic\b|requirements[-_/](dev|develop|development|test|tests|testing)\w*\.(txt|in)`,
	`(?i)\b(dev|test|tests)[-_]requirements\w*\.(txt|in)|--(only-)?(group|extra)[= ]+(dev|test)\b|--all-(groups|extras)\b|--with[= ]+(dev|test)\b`,
	`(?i)\[((?-u:[\w-])*,)*\s*(dev|develop|development|test|tests|testing)\s*(,(?-u:[\w-])*)*\]`,
	`(?i)(^|[\s/])tests?/|\sin\s+\S*tests?/?\s*$|(^|[\s/])\.git(/|\s|$)|(^|[\s/])\.env(\s|$)`,
]

bad_bld_001 if {
	some cb in created_by
	some p in bld_001_dev_patterns
	regex.match(p, cb)
}

bad_bld_001 if {
	some cb in created_by
	regex.match(`^(/bin/sh -c #\(nop\) )?(COPY|ADD)\s.*(\s|/)tests?(\s|/|$)`, cb)
}

bad_bld_001 if {
	some cb in created_by
	regex.match(`^(/bin/sh -c #\(nop\) )?(COPY|ADD)\s.*(\s|/)\.env\.[\w.-]+(\s|$)`, cb)
	not regex.match(`(\s|/)\.env\.(example|sample|template|dist)(\s|$)`, cb)
}

truth["BLD-001"] := htn(bad_bld_001)

# A `uv sync` command none of whose words is `--no-dev` or starts with `--only-group` (spelled out letter
# by letter in the pack: no look-around in the `regex` crate).
truth["BLD-002"] := ht(default_none(`\buv\s+sync\b(?:\s+(?:[^;&|\s\-][^;&|\s]*|\-(?:|[^;&|\s\-][^;&|\s]*|\-(?:|[^;&|\sno][^;&|\s]*|n(?:|[^;&|\so][^;&|\s]*|o(?:|[^;&|\s\-][^;&|\s]*|\-(?:|[^;&|\sd][^;&|\s]*|d(?:|[^;&|\se][^;&|\s]*|e(?:|[^;&|\sv][^;&|\s]*|v(?:[^;&|\s]+))))))|o(?:|[^;&|\sn][^;&|\s]*|n(?:|[^;&|\sl][^;&|\s]*|l(?:|[^;&|\sy][^;&|\s]*|y(?:|[^;&|\s\-][^;&|\s]*|\-(?:|[^;&|\sg][^;&|\s]*|g(?:|[^;&|\sr][^;&|\s]*|r(?:|[^;&|\so][^;&|\s]*|o(?:|[^;&|\su][^;&|\s]*|u(?:|[^;&|\sp][^;&|\s]*)))))))))))))*\s*(?:$|[;&|])`))

deps_at := [i | some i, cb in created_by; regex.match(`COPY\s.*/app/\.venv\b|\buv\s+(pip\s+)?sync\b|\bpip3?\s+(-\S+\s+)*install\b[^;&|]*\s(-r|--requirement\b)|\bpoetry\s+install\b|\bpipenv\s+(install|sync)\b`, cb)]

# A source copy; copying only the dependency manifests (`COPY pyproject.toml uv.lock ./`) is part of the
# dependency layer, not the source.
source_at := [i |
	some i, cb in created_by
	regex.match(`^(/bin/sh -c #\(nop\) )?COPY\s.*\s(\.|\./|/app/?|\./app/?|/app/app/?)\s*(# buildkit)?$`, cb)
	not regex.match(`^(/bin/sh -c #\(nop\) )?COPY\s+(--\S+\s+)*((\./)?(pyproject\.toml|uv\.lock|poetry\.lock|Pipfile(\.lock)?|requirements[\w./-]*\.(txt|in))\s+)+\S+\s*(# buildkit)?$`, cb)
]

# The first dependency layer comes before every source layer.
truth["BLD-003"] := ht(ordered(deps_at, source_at))

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
	regex.match(`:(git-)?[0-9]*[a-f][0-9a-f]*$`, t)
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

# Every required variable is set, and none to the empty string.
default ctr_004 := false

ctr_004 if {
	count(required_env - ctr_env_names) == 0
	not ctr_required_env_empty
}

ctr_required_env_empty if {
	some e in ctr_env
	e.name in required_env
	e.value == ""
}

truth["CTR-004"] := container_req(ctr_004)

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
