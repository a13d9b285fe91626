//! The subcommands: each reuses the pipeline's stages.

pub mod exchange;
mod fields;
mod init;
mod po;
mod translate;
mod xliff;
mod yaml_edit;

pub use exchange::{i18n_diff, i18n_export, i18n_import, ExFormat};
pub use init::init;
pub use translate::{i18n, translate};

use crate::diagnostics::Diagnostics;
use crate::load::article::Prepare;
use crate::load::LoadOptions;
use crate::pipeline::{print_diagnostics, run, summary};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn counts(diags: &[crate::diagnostics::Diagnostic]) -> (usize, usize) {
    let e = diags.iter().filter(|d| d.is_error()).count();
    (e, diags.len() - e)
}

fn plural(n: usize, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

pub fn build(root: &Path, output: Option<PathBuf>, base_url: Option<String>, drafts: bool) -> u8 {
    let start = Instant::now();
    let opts = LoadOptions {
        drafts,
        base_url,
        prepare: Prepare::HtmlAndWords,
        drop_bodies: true,
    };
    let out = output.unwrap_or_else(|| root.join("public"));
    let writer = match crate::write::OutputWriter::begin(root, &out) {
        Ok(w) => w,
        Err(d) => {
            eprintln!("{d}");
            return 1;
        }
    };
    let diags = Diagnostics::new();
    let sink = |path: &str, bytes: &[u8]| writer.put(path, bytes);
    let built = run(root, &opts, &diags, Some(&sink), false);
    let list = diags.into_sorted();
    print_diagnostics(&list);
    let Some(built) = built else {
        writer.abandon();
        let (e, _) = counts(&list);
        eprintln!(
            "error: build failed with {}; the previous output is untouched",
            plural(e.max(1), "error")
        );
        return 1;
    };
    let t = crate::timing::Timer::new();
    let finished = writer.finish();
    t.lap("write");
    if let Err(ds) = finished {
        print_diagnostics(&ds);
        eprintln!("error: build failed; the previous output is untouched");
        return 1;
    }
    println!(
        "{}",
        summary(
            &built.site,
            &built.output.pages(),
            start.elapsed().as_millis()
        )
    );
    exit_without_freeing(built);
    0
}

/// The process ends next: freeing a large site one allocation at a time
/// would only add tens of milliseconds on one core.
fn exit_without_freeing<T>(x: T) {
    std::mem::forget(x);
}

pub fn check(root: &Path, strict: bool) -> u8 {
    let start = Instant::now();
    let diags = Diagnostics::new();
    // Bodies are parsed (links, headings, limits are checked) but not made
    // into HTML, which cannot fail; every page's templates are rendered.
    let opts = LoadOptions {
        prepare: Prepare::Nothing,
        drop_bodies: true,
        ..LoadOptions::default()
    };
    let built = run(root, &opts, &diags, None, false);
    let list = diags.into_sorted();
    print_diagnostics(&list);
    let (e, w) = counts(&list);
    let pages: usize = built.as_ref().map_or(0, |b| b.output.metas.len());
    eprintln!(
        "check: {}, {} ({} pages checked in {} ms)",
        plural(e, "error"),
        plural(w, "warning"),
        pages,
        start.elapsed().as_millis()
    );
    exit_without_freeing(built);
    if e > 0 || (strict && w > 0) {
        1
    } else {
        0
    }
}

pub fn serve(root: &Path, bind: &str, port: u16, drafts: bool) -> u8 {
    crate::serve::serve(root, bind, port, drafts)
}
