//! Criterion benchmarks of the engine (docs/benchmarks.md records the figures and the command):
//! - `reactbin/*`: `reactbin-api-prod` on its conforming fixture: evaluation alone (inputs parsed, policy
//!   loaded), end to end from bytes, and serde_json parsing the same bytes into a `Value` (the budget's yardstick);
//! - `history/*`: histories of 1,250 … 10,000 layers end to end with `image-baseline`, against serde_json
//!   with each line's `Value` dropped at once and with the lines' `Value`s held (`benches/src/yardstick.rs`);
//! - `inspect/*`: inspect arrays of 125 … 1,000 images, the same way.
//!
//! Run: `cargo bench -p clearance-core --bench engine`.

#![expect(
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    reason = "a benchmark harness: it reads fixtures from disk and fails loudly when they are missing"
)]

use clearance_core::api::{self, CheckRequest, DumpContent, DumpInput, PolicyInput};
use clearance_core::{eval, input};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;

/// The generators `clearance-bench` uses too (scale measurements, `scripts/bench-instructions`), so
/// both measure the same inputs. Its batch helper is not used here.
#[allow(dead_code)]
#[path = "../../../benches/src/synthetic.rs"]
mod synthetic;

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn request(policy: &str, dumps: &[(&str, &str)]) -> CheckRequest {
    CheckRequest {
        policies: vec![PolicyInput::Builtin(policy.to_string())],
        dumps: dumps
            .iter()
            .map(|(name, text)| DumpInput {
                name: (*name).to_string(),
                content: DumpContent::Text((*text).to_string()),
                kind: None,
            })
            .collect(),
        waivers: None,
        today: Some("2026-11-23".to_string()),
        limits: None,
    }
}

/// The yardstick's two readings, shared with `clearance-bench`.
#[path = "../../../benches/src/yardstick.rs"]
mod yardstick;

/// Parses each dump with serde_json, each line of a JSON-lines dump dropped at once: the yardstick.
fn serde_only(dumps: &[(&str, &str)]) -> usize {
    dumps
        .iter()
        .map(|(_, text)| yardstick::streamed(text))
        .sum()
}

/// The same, each dump's values held until it is parsed whole ([`yardstick::held`]).
fn serde_held(dumps: &[(&str, &str)]) -> usize {
    dumps
        .iter()
        .map(|(_, text)| yardstick::held(text).len())
        .sum()
}

fn reactbin(c: &mut Criterion) {
    let image = fixture("tests/fixtures/reactbin-conforming/image-inspect.json");
    let history = fixture("tests/fixtures/reactbin-conforming/history.jsonl");
    let dumps = [
        ("image-inspect.json", image.as_str()),
        ("history.jsonl", history.as_str()),
    ];
    let req = request("reactbin-api-prod", &dumps);
    let policy = api::load_policy(&req.policies[0]).expect("policy loads");
    let limits = input::Limits::default();
    let docs: Vec<_> = req
        .dumps
        .iter()
        .map(|d| api::read_dump(d, &limits).expect("dump reads"))
        .collect();
    let subjects = input::subjects(&docs).expect("subjects");
    let options = eval::Options::default();
    let bytes: usize = dumps.iter().map(|(_, t)| t.len()).sum();

    let mut group = c.benchmark_group("reactbin");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("evaluate (parsed)", |b| {
        b.iter(|| {
            eval::evaluate(
                black_box(std::slice::from_ref(&policy)),
                black_box(&subjects),
                &[],
                &options,
            )
        })
    });
    group.bench_function("end to end (bytes → report)", |b| {
        b.iter(|| api::check(black_box(&req)))
    });
    group.bench_function("end to end + JSON render", |b| {
        b.iter(|| {
            let out = api::check(black_box(&req)).ok().expect("check");
            clearance_core::report::to_json(&out.report)
        })
    });
    group.bench_function("serde_json parse only", |b| {
        b.iter(|| serde_only(black_box(&dumps)))
    });
    group.bench_function("serde_json parse only (held)", |b| {
        b.iter(|| serde_held(black_box(&dumps)))
    });
    group.finish();
}

fn scale(c: &mut Criterion) {
    let mut group = c.benchmark_group("history");
    group.sample_size(10);
    for layers in [1_250, 2_500, 5_000, 10_000] {
        let text = synthetic::history(layers);
        let dumps = [("history.jsonl", text.as_str())];
        let req = request("image-baseline", &dumps);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("end to end", layers), &req, |b, req| {
            b.iter(|| api::check(black_box(req)))
        });
        group.bench_with_input(BenchmarkId::new("serde_json", layers), &dumps, |b, d| {
            b.iter(|| serde_only(black_box(d)))
        });
        group.bench_with_input(
            BenchmarkId::new("serde_json (held)", layers),
            &dumps,
            |b, d| b.iter(|| serde_held(black_box(d))),
        );
    }
    group.finish();

    let mut group = c.benchmark_group("inspect");
    group.sample_size(10);
    for images in [125, 250, 500, 1_000] {
        let text = synthetic::inspect(images);
        let dumps = [("image-inspect.json", text.as_str())];
        let req = request("image-baseline", &dumps);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(BenchmarkId::new("end to end", images), &req, |b, req| {
            b.iter(|| api::check(black_box(req)))
        });
        group.bench_with_input(BenchmarkId::new("serde_json", images), &dumps, |b, d| {
            b.iter(|| serde_only(black_box(d)))
        });
    }
    group.finish();
}

criterion_group!(benches, reactbin, scale);
criterion_main!(benches);
