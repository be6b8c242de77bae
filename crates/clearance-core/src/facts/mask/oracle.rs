//! The masker answers exactly as [`super::reference`] (the masker before it was made faster) does: the
//! same masked text (and so the same decision) for every command line, URL, name and argument list
//! of every dump under `tests/fixtures`, `tests/inputs`, `tests/hostile` and `../shared/corpus` (when
//! present), every line of `tests/secret-names/*.txt`, and lines generated from the rules' pieces.
#![expect(
    clippy::disallowed_methods,
    reason = "a test: it reads the fixtures from disk"
)]

use super::reference;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use std::path::{Path, PathBuf};

/// Every answer of the masker for `raw` equals the reference's.
fn agrees(raw: &str) -> Result<(), String> {
    let pairs = [
        (
            "command_masked",
            super::command_masked(raw),
            reference::command_masked(raw),
        ),
        (
            "url_credentials",
            super::url_credentials(raw),
            reference::url_credentials(raw),
        ),
    ];
    for (what, new, old) in pairs {
        if new != old {
            return Err(format!("{what}({raw:?}): {new:?}, reference {old:?}"));
        }
    }
    if super::is_secret_name(raw) != reference::is_secret_name(raw) {
        return Err(format!("is_secret_name({raw:?}) differs"));
    }
    Ok(())
}

fn argv_agrees(items: &[&str]) -> Result<(), String> {
    let new = super::argv(items);
    let old = reference::argv(items);
    if new == old {
        Ok(())
    } else {
        Err(format!("argv({items:?}): {new:?}, reference {old:?}"))
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Every string, object key and array of strings of a JSON value.
fn walk(value: &serde_json::Value, strings: &mut Vec<String>, lists: &mut Vec<Vec<String>>) {
    match value {
        serde_json::Value::String(s) => strings.push(s.clone()),
        serde_json::Value::Array(items) => {
            let texts: Vec<String> = items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            if !texts.is_empty() {
                lists.push(texts);
            }
            items.iter().for_each(|v| walk(v, strings, lists));
        }
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                strings.push(key.clone());
                walk(v, strings, lists);
            }
        }
        _ => {}
    }
}

/// The strings and string arrays of every file of the corpora, and every line (and word) of any file
/// that is not JSON (the secret-names lists, YAML policies).
fn corpus() -> (Vec<String>, Vec<Vec<String>>) {
    let root = repo_root();
    let mut files = Vec::new();
    for dir in [
        "tests/fixtures",
        "tests/inputs",
        "tests/hostile",
        "tests/secret-names",
    ] {
        files_under(&root.join(dir), &mut files);
    }
    let shared = root.join("../shared/corpus");
    if shared.is_dir() {
        files_under(&shared, &mut files);
    } else {
        println!("{} is absent: not compared", shared.display());
    }
    let mut strings = Vec::new();
    let mut lists = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
            walk(&value, &mut strings, &mut lists);
            continue;
        }
        for line in text.lines() {
            match serde_json::from_str::<serde_json::Value>(line) {
                Ok(value) => walk(&value, &mut strings, &mut lists),
                Err(_) => {
                    strings.push(line.to_string());
                    // the secret-names lists: `status secret the line`, and each word
                    let words: Vec<&str> = line.split_whitespace().collect();
                    strings.extend(words.iter().map(|w| w.to_string()));
                    if let Some(rest) = line.splitn(3, "  ").nth(2) {
                        strings.push(rest.trim_start().to_string());
                    }
                    lists.push(words.iter().map(|w| w.to_string()).collect());
                }
            }
        }
    }
    (strings, lists)
}

#[test]
fn the_masker_answers_as_the_reference_on_every_corpus() {
    let (strings, lists) = corpus();
    assert!(strings.len() > 1000, "only {} strings read", strings.len());
    let mut masked = 0;
    for s in &strings {
        if let Err(e) = agrees(s) {
            panic!("{e}");
        }
        masked += usize::from(super::command_masked(s).is_some());
    }
    for list in &lists {
        let items: Vec<&str> = list.iter().map(String::as_str).collect();
        if let Err(e) = argv_agrees(&items) {
            panic!("{e}");
        }
    }
    println!(
        "{} strings ({masked} masked), {} lists compared",
        strings.len(),
        lists.len()
    );
}

/// Pieces the rules look at, and some they must not trip on, besides the prescreen's
/// ([`super::prescreen::PIECES`]): other spellings, option and header forms, unicode.
const MORE_PIECES: &[&str] = &[
    "  ",
    "\t",
    "-U",
    "--user",
    "--proxy-user",
    "--password",
    "--password=",
    "--token",
    "--api-key",
    "--password-stdin",
    "--secret",
    "--max-tokens",
    "/usr/bin/curl",
    "(",
    ")",
    "`",
    "\\",
    "//",
    ",",
    "<",
    ">",
    "#",
    "\n",
    "ENV",
    "Passwords",
    "passwd",
    "tokens",
    "secretfile",
    "authorization",
    "Proxy-Authorization:",
    "Basic",
    "bearer ",
    "glpat-x",
    "AKIA1",
    "hf_",
    "Keys",
    "API",
    "private",
    "public",
    "gpg",
    "min",
    "ttl",
    "path",
    "dir",
    "stdin",
    "Creds",
    "credential",
    "PATH",
    "PWD",
    "é",
    "ü",
    "ß",
    "€",
    "😀",
    "İ",
    "K",
    "ſ",
    "dbPassword",
    "authToken",
    "A",
    "a",
    "1",
    "0",
];

/// The piece `i` of both lists.
fn piece(i: usize) -> &'static str {
    let pieces = super::prescreen::PIECES;
    pieces
        .get(i)
        .or_else(|| MORE_PIECES.get(i.checked_sub(pieces.len())?))
        .copied()
        .unwrap_or_default()
}

const PIECE_COUNT: usize = super::prescreen::PIECES.len() + MORE_PIECES.len();

fn line_of(picks: &[usize]) -> String {
    picks.iter().map(|&i| piece(i)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8192))]

    #[test]
    fn lines_of_the_rules_pieces(picks in proptest::collection::vec(0..PIECE_COUNT, 0..14)) {
        let line = line_of(&picks);
        prop_assert!(agrees(&line).is_ok(), "{}", agrees(&line).err().unwrap_or_default());
    }

    #[test]
    fn argument_lists_of_the_rules_pieces(
        lists in proptest::collection::vec(proptest::collection::vec(0..PIECE_COUNT, 0..3), 0..7)
    ) {
        let items: Vec<String> = lists.iter().map(|picks| line_of(picks)).collect();
        let items: Vec<&str> = items.iter().map(String::as_str).collect();
        prop_assert!(argv_agrees(&items).is_ok(), "{}", argv_agrees(&items).err().unwrap_or_default());
    }

    #[test]
    fn any_text(line in "[ -~\t\né😀]{0,40}") {
        prop_assert!(agrees(&line).is_ok(), "{}", agrees(&line).err().unwrap_or_default());
    }
}

/// Pieces spliced into the corpus's strings, at any place (a char boundary).
#[test]
fn corpus_strings_with_pieces_spliced_in() {
    let (strings, _) = corpus();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = (
        0..strings.len(),
        proptest::collection::vec((0..PIECE_COUNT, 0usize..1000), 1..4),
    );
    for _ in 0..20_000 {
        let (index, splices) = strategy
            .new_tree(&mut runner)
            .map(|t| t.current())
            .unwrap_or_default();
        let mut line = strings.get(index).cloned().unwrap_or_default();
        for (pick, at) in splices {
            let bounds: Vec<usize> = (0..=line.len())
                .filter(|&i| line.is_char_boundary(i))
                .collect();
            let at = bounds[at % bounds.len()];
            line.insert_str(at, piece(pick));
        }
        if let Err(e) = agrees(&line) {
            panic!("{e}");
        }
    }
}
