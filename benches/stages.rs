//! The build's stages on the bundled knowledge base and on a generated
//! corpus: load, resolve, render (in memory), and all three.
//! `cargo bench --bench stages`; the corpus size is `BENCH_PAGES_PER_LANG`
//! (default 250 per language, about 1,000 pages).

use criterion::{criterion_group, criterion_main, Criterion};
use servicekb::diagnostics::Diagnostics;
use servicekb::load::{load_site, LoadOptions};
use servicekb::pipeline::resolve_and_compile;
use servicekb::render::render_site;
use servicekb::render::templates::compile;
use servicekb::resolve::resolve;
use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> (tempfile::TempDir, PathBuf) {
    let n: usize = std::env::var("BENCH_PAGES_PER_LANG")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(250);
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let ok = Command::new(env!("CARGO"))
        .args([
            "run",
            "--release",
            "--quiet",
            "--example",
            "gen_corpus",
            "--",
        ])
        .arg(&site)
        .args([n.to_string(), "42".to_string()])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs")
        .success();
    assert!(ok, "the corpus generator runs");
    (dir, site)
}

fn stages(c: &mut Criterion, name: &str, root: &Path) {
    // As `build` loads (bodies kept, since each stage runs many times).
    let opts = LoadOptions {
        prepare: servicekb::load::article::Prepare::HtmlAndWords,
        ..LoadOptions::default()
    };
    let mut g = c.benchmark_group(name);
    g.sample_size(10);
    g.bench_function("load", |b| {
        b.iter(|| load_site(root, &opts, &Diagnostics::new()).unwrap())
    });
    let diags = Diagnostics::new();
    let site = load_site(root, &opts, &diags).unwrap();
    g.bench_function("resolve", |b| {
        b.iter(|| resolve(&site, &Diagnostics::new()))
    });
    let graph = resolve(&site, &diags);
    g.bench_function("render", |b| {
        b.iter(|| {
            let templates = compile(&site.theme);
            render_site(&site, &graph, templates, &Diagnostics::new(), None, true).unwrap()
        })
    });
    g.bench_function("load+resolve+render", |b| {
        b.iter(|| {
            let d = Diagnostics::new();
            let site = load_site(root, &opts, &d).unwrap();
            let (graph, templates) = resolve_and_compile(&site, &d);
            render_site(&site, &graph, templates, &d, None, true).unwrap()
        })
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    stages(c, "bundled", Path::new(env!("CARGO_MANIFEST_DIR")));
    let (_keep, site) = corpus();
    stages(c, "corpus", &site);
}

criterion_group!(all, benches);
criterion_main!(all);
