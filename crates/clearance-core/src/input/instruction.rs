//! Which Dockerfile instruction made a history entry, from its `created_by` text.
//!
//! The forms seen in the wild:
//! - classic builder metadata: `/bin/sh -c #(nop)  CMD ["bash"]`, `/bin/sh -c #(nop) COPY file:… in /app`;
//! - classic builder RUN: `/bin/sh -c apt-get update`, with build arguments `|2 A=x B=y /bin/sh -c …`,
//!   or another shell after `SHELL`: `/bin/bash -o pipefail -c …`;
//! - BuildKit: `RUN /bin/sh -c pip install … # buildkit`, `COPY app/ ./app/ # buildkit`, `ENV A=b`,
//!   `RUN |1 A=x /bin/sh -c … # buildkit`;
//! - other builders (bazel, apko, ko, `Imported from -`): no instruction.

/// The instruction keyword (canonical upper case) and its text after the keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Parsed<'a> {
    pub instruction: &'static str,
    pub arguments: &'a str,
}

const KEYWORDS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Instructions that only change metadata (their history entries have no filesystem layer).
pub(crate) fn is_metadata(instruction: &str) -> bool {
    !matches!(instruction, "ADD" | "COPY" | "RUN")
}

fn keyword(word: &str) -> Option<&'static str> {
    KEYWORDS.iter().copied().find(|k| *k == word)
}

/// Splits off the first whitespace-separated word.
fn first_word(s: &str) -> (&str, &str) {
    let s = s.trim_start();
    match s.find(|c: char| c.is_ascii_whitespace()) {
        Some(i) => s.split_at(i),
        None => (s, ""),
    }
}

/// Parses `created_by`; `None` when it does not come from a Dockerfile instruction.
pub(crate) fn parse(created_by: &str) -> Option<Parsed<'_>> {
    let mut s = created_by.trim();
    if let Some(rest) = s.strip_suffix("# buildkit") {
        s = rest.trim_end();
    }
    let (word, rest) = first_word(s);
    if let Some(kw) = keyword(word) {
        let arguments = if kw == "RUN" {
            run_command(rest)
        } else {
            rest.trim()
        };
        return Some(Parsed {
            instruction: kw,
            arguments,
        });
    }
    let after_args = skip_build_args(s)?;
    let body = strip_shell(after_args)?.trim_start();
    if let Some(nop) = body.strip_prefix("#(nop)") {
        let (word, rest) = first_word(nop);
        return keyword(word).map(|kw| Parsed {
            instruction: kw,
            arguments: rest.trim(),
        });
    }
    Some(Parsed {
        instruction: "RUN",
        arguments: body.trim_end(),
    })
}

/// The command of a BuildKit `RUN` (after `|N A=b …` and `/bin/sh -c`), or the text as is (exec form).
fn run_command(rest: &str) -> &str {
    let rest = rest.trim();
    let Some(after_args) = skip_build_args(rest) else {
        return rest;
    };
    strip_shell(after_args).map_or(after_args.trim(), str::trim)
}

/// Skips a `|N A=x B=y` build-argument prefix; the text unchanged when there is none; `None` when the
/// prefix is malformed.
fn skip_build_args(s: &str) -> Option<&str> {
    let Some(rest) = s.strip_prefix('|') else {
        return Some(s);
    };
    let (count, mut rest) = first_word(rest);
    let count: usize = count.parse().ok()?;
    for _ in 0..count {
        let (word, next) = first_word(rest);
        if !word.contains('=') {
            return None;
        }
        rest = next;
    }
    Some(rest)
}

/// Strips a shell prefix (`/bin/sh -c`, `sh -c`, `/bin/bash -o pipefail -c`, `/bin/ash -eux -c`,
/// `cmd /S /C`, `powershell -Command`) and returns the command; `None` when there is none.
fn strip_shell(s: &str) -> Option<&str> {
    let (program, mut rest) = first_word(s);
    let name = program.rsplit(['/', '\\']).next().unwrap_or(program);
    let name = name.strip_suffix(".exe").unwrap_or(name);
    let windows = ["cmd", "powershell", "pwsh"]
        .iter()
        .any(|w| name.eq_ignore_ascii_case(w));
    if !windows
        && !matches!(
            name,
            "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh"
        )
    {
        return None;
    }
    loop {
        let (word, next) = first_word(rest);
        if word.is_empty() {
            return None;
        }
        if windows {
            if word.eq_ignore_ascii_case("/c") || word.eq_ignore_ascii_case("-command") {
                return Some(next);
            }
            if !word.starts_with(['/', '-']) {
                return None;
            }
        } else {
            let flags = word.strip_prefix('-')?;
            if !flags.starts_with('-') && flags.ends_with('c') {
                return Some(next);
            }
            if word == "-o" || word == "+o" {
                rest = first_word(next).1;
                continue;
            }
        }
        rest = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Option<(&'static str, &str)> {
        parse(s).map(|p| (p.instruction, p.arguments))
    }

    #[test]
    fn classic_builder() {
        assert_eq!(
            p("/bin/sh -c #(nop)  CMD [\"bash\"]"),
            Some(("CMD", "[\"bash\"]"))
        );
        assert_eq!(
            p("/bin/sh -c #(nop) COPY file:4a1136b54136 in /usr/local/tomcat/webapps/ "),
            Some(("COPY", "file:4a1136b54136 in /usr/local/tomcat/webapps/"))
        );
        assert_eq!(
            p("/bin/sh -c #(nop) ADD file:fe64057fbb83 in / "),
            Some(("ADD", "file:fe64057fbb83 in /"))
        );
        assert_eq!(
            p("/bin/sh -c #(nop)  ENV LANG=C.UTF-8"),
            Some(("ENV", "LANG=C.UTF-8"))
        );
        assert_eq!(
            p("/bin/sh -c #(nop) WORKDIR /usr/local/tomcat"),
            Some(("WORKDIR", "/usr/local/tomcat"))
        );
        assert_eq!(
            p("/bin/sh -c #(nop)  EXPOSE 8080"),
            Some(("EXPOSE", "8080"))
        );
        assert_eq!(
            p("/bin/sh -c #(nop)  ARG RELEASE"),
            Some(("ARG", "RELEASE"))
        );
        assert_eq!(
            p("/bin/sh -c apt-get update"),
            Some(("RUN", "apt-get update"))
        );
        assert_eq!(
            p("|2 ARG1=x ARG2=y /bin/sh -c pip install -r req.txt"),
            Some(("RUN", "pip install -r req.txt"))
        );
        assert_eq!(
            p("/bin/bash -o pipefail -c curl -fsSL x | sh"),
            Some(("RUN", "curl -fsSL x | sh"))
        );
        assert_eq!(
            p("/bin/ash -eux -c apk add curl"),
            Some(("RUN", "apk add curl"))
        );
        assert_eq!(p("cmd /S /C dir"), Some(("RUN", "dir")));
    }

    #[test]
    fn buildkit() {
        assert_eq!(
            p("RUN /bin/sh -c pip install --no-cache-dir -r requirements.txt # buildkit"),
            Some(("RUN", "pip install --no-cache-dir -r requirements.txt"))
        );
        assert_eq!(
            p("COPY app/ ./app/ # buildkit"),
            Some(("COPY", "app/ ./app/"))
        );
        assert_eq!(
            p("COPY --from=builder /app/.venv /app/.venv # buildkit"),
            Some(("COPY", "--from=builder /app/.venv /app/.venv"))
        );
        assert_eq!(p("ENV A=b"), Some(("ENV", "A=b")));
        assert_eq!(p("USER 1001:1001"), Some(("USER", "1001:1001")));
        assert_eq!(
            p("CMD [\"uvicorn\" \"app.main:app\"]"),
            Some(("CMD", "[\"uvicorn\" \"app.main:app\"]"))
        );
        assert_eq!(
            p("RUN |1 VERSION=1.2 /bin/sh -c make install # buildkit"),
            Some(("RUN", "make install"))
        );
        assert_eq!(
            p("RUN /bin/sh -c echo \"hello\" # buildkit"),
            Some(("RUN", "echo \"hello\""))
        );
        assert_eq!(p("WORKDIR /app"), Some(("WORKDIR", "/app")));
    }

    #[test]
    fn other_builders() {
        assert_eq!(p("bazel build ..."), None);
        assert_eq!(p("apko"), None);
        assert_eq!(p(""), None);
        assert_eq!(p("/bin/sh -c #(nop) frobnicate"), None);
        assert_eq!(p("|x A=b /bin/sh -c y"), None);
        assert_eq!(p("/bin/sh"), None);
        assert_eq!(p("run make"), None);
    }

    #[test]
    fn truncated_lines_keep_their_instruction() {
        assert_eq!(
            p("/bin/sh -c apt-get update && apt-get install"),
            Some(("RUN", "apt-get update && apt-get install"))
        );
        assert_eq!(
            p("/bin/sh -c #(nop)  CMD [\"nginx\" \"-g\" \"daem"),
            Some(("CMD", "[\"nginx\" \"-g\" \"daem"))
        );
    }
}
