//! Large `docker image inspect` arrays are read lazily by `input::subjects_lazy` (each image's facts
//! built just before it is evaluated): the subjects, and the errors, are the same as the eager path's.

use clearance_core::facts::Root;
use clearance_core::input::{self, Limits};

/// An inspect array of `n` images; image `bad` (if any) has a `User` of the wrong type.
fn images(n: usize, bad: Option<usize>) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            let user = if Some(i) == bad { "7".to_string() } else { format!("\"{}\"", 1000 + i) };
            format!(
                r#"{{"Id": "sha256:{i:064x}", "RepoTags": ["img{i}:1"], "RepoDigests": [], "Size": {i},
                    "Config": {{"User": {user}, "Env": ["A{i}=x", "DB_PASSWORD=p{i}"], "ExposedPorts": {{"{p}/tcp": {{}}}}}},
                    "RootFS": {{"Type": "layers", "Layers": ["sha256:{i:064x}"]}}}}"#,
                p = 8000 + i
            )
        })
        .collect();
    format!("[{}]", items.join(",\n"))
}

fn read(text: &str) -> input::Document {
    match input::read("images.json", text.as_bytes(), None, &Limits::default()) {
        Ok(doc) => doc,
        Err(e) => unreachable!("the generated array reads: {e}"),
    }
}

#[test]
fn lazy_subjects_are_the_eager_subjects() {
    for n in [1, 16, 17, 40] {
        let text = images(n, None);
        let eager = input::subjects(&[read(&text)]).unwrap();
        let mut docs = [read(&text)];
        let lazy: Vec<_> = input::subjects_lazy(&mut docs)
            .unwrap()
            .into_iter()
            .map(|p| p.build(&Root::ALL).unwrap())
            .collect();
        assert_eq!(lazy.len(), n);
        assert_eq!(eager, lazy, "{n} images");
    }
}

#[test]
fn raw_entries_are_kept_only_for_the_roots_asked() {
    let text = images(20, None);
    let mut docs = [read(&text)];
    for p in input::subjects_lazy(&mut docs).unwrap() {
        let s = p.build(&[Root::Container]).unwrap();
        assert!(s.raw.is_empty());
        assert!(s.root(Root::Image).unwrap().get("env").is_some());
    }
}

#[test]
fn a_bad_field_in_a_lazy_image_is_the_same_error() {
    let text = images(30, Some(25));
    let eager = input::subjects(&[read(&text)]).unwrap_err().to_string();
    let mut docs = [read(&text)];
    let lazy = input::subjects_lazy(&mut docs)
        .unwrap()
        .into_iter()
        .map(|p| p.build(&Root::ALL))
        .find_map(Result::err)
        .unwrap()
        .to_string();
    assert_eq!(eager, lazy);
    assert!(lazy.contains("/25/Config/User"), "{lazy}");
}
