//! clearance against regorus on the same contract (`rego/reactbin.rego` ≡ `reactbin-api-prod`, checked
//! by `tests/rego_parity.rs`), per image, native. Both engines start from the dumps' bytes.
//! - `warm/*`: the policy loaded once; each iteration evaluates one image's dumps (image inspect,
//!   history, container inspect) — what a long-lived service or a batch run pays per image;
//! - `cold/*`: each iteration loads (parses, compiles) the policy and evaluates once;
//! - `api/*`: `clearance_core::api::check` per call (packs compiled once per process), the call the npm
//!   package's `evaluate()` makes — the native side of the wasm comparison.
//!
//! Run: `cargo bench -p clearance-bench --bench compare` (scripts/bench reads the estimates).

#![expect(
    clippy::expect_used,
    reason = "a benchmark harness: it fails loudly when a fixture is missing or an engine errs"
)]

use clearance_bench::{clearance_api, clearance_cold, Clearance, DumpSet, Rego, REACTBIN_PACK};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::Duration;

fn sets() -> Vec<(&'static str, DumpSet)> {
    ["conforming", "violating"]
        .into_iter()
        .map(|name| {
            let set = DumpSet::fixture(&format!("reactbin-{name}")).expect("fixture reads");
            (name, set)
        })
        .collect()
}

fn warm(c: &mut Criterion) {
    let mut group = c.benchmark_group("warm");
    group.measurement_time(Duration::from_secs(4));
    let clearance = Clearance::new(REACTBIN_PACK).expect("pack loads");
    let mut rego = Rego::new().expect("rego loads");
    for (name, set) in sets() {
        group.bench_with_input(BenchmarkId::new("clearance", name), &set, |b, set| {
            b.iter(|| clearance.statuses(black_box(set)).expect("evaluates"))
        });
        group.bench_with_input(BenchmarkId::new("regorus", name), &set, |b, set| {
            b.iter(|| rego.statuses(black_box(set)).expect("evaluates"))
        });
    }
    group.finish();
}

fn cold(c: &mut Criterion) {
    let mut group = c.benchmark_group("cold");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(4));
    for (name, set) in sets() {
        group.bench_with_input(BenchmarkId::new("clearance", name), &set, |b, set| {
            b.iter(|| clearance_cold(REACTBIN_PACK, black_box(set)).expect("evaluates"))
        });
        group.bench_with_input(BenchmarkId::new("regorus", name), &set, |b, set| {
            b.iter(|| {
                Rego::new()
                    .expect("loads")
                    .statuses(black_box(set))
                    .expect("evaluates")
            })
        });
    }
    group.finish();
}

fn api(c: &mut Criterion) {
    let mut group = c.benchmark_group("api");
    group.measurement_time(Duration::from_secs(3));
    for (name, set) in sets() {
        group.bench_with_input(BenchmarkId::new("check", name), &set, |b, set| {
            b.iter(|| clearance_api(REACTBIN_PACK, black_box(set)).expect("evaluates"))
        });
    }
    group.finish();
}

criterion_group!(benches, warm, cold, api);
criterion_main!(benches);
