//! load → resolve → render → write, as `build`, `check` and `serve` use it.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{load_site, LoadOptions};
use crate::model::Site;
use crate::render::{render_site, Output, Sink};
use crate::resolve::{resolve, Graph};
use crate::timing::Timer;
use std::collections::BTreeMap;
use std::path::Path;

pub struct Built {
    pub site: Site,
    pub graph: Graph,
    pub output: Output,
}

/// Everything but writing. Diagnostics (errors and warnings) go to `diags`;
/// `None` when there are errors.
/// With a `sink`, files go there as they are rendered; with `keep`, they
/// stay in memory too.
pub fn run(
    root: &Path,
    opts: &LoadOptions,
    diags: &Diagnostics,
    sink: Option<Sink>,
    keep: bool,
) -> Option<Built> {
    let t = Timer::new();
    let site = load_site(root, opts, diags)?;
    t.lap("load");
    let (graph, templates) = resolve_and_compile(&site, diags);
    t.lap("resolve, templates");
    // Render even when earlier stages failed, so template errors show too.
    let sink = if diags.has_errors() { None } else { sink };
    let rendered = render_site(&site, &graph, templates, diags, sink, keep);
    t.lap("render");
    if diags.has_errors() {
        return None;
    }
    Some(Built {
        site,
        graph,
        output: rendered?,
    })
}

/// The link graph, and the theme's templates compiled on another core
/// meanwhile (neither needs the other).
pub fn resolve_and_compile(
    site: &Site,
    diags: &Diagnostics,
) -> (Graph, Result<tera::Tera, Vec<Diagnostic>>) {
    rayon::join(
        || resolve(site, diags),
        || crate::render::templates::compile(&site.theme),
    )
}

/// `built 212 pages (en 80, he 70, pl 62) in 85 ms`
pub fn summary(site: &Site, pages: &BTreeMap<String, usize>, ms: u128) -> String {
    let total: usize = pages.values().sum();
    let per: Vec<String> = site
        .config
        .languages
        .iter()
        .map(|l| format!("{} {}", l.code, pages.get(&l.code).copied().unwrap_or(0)))
        .collect();
    format!("built {total} pages ({}) in {ms} ms", per.join(", "))
}

pub fn print_diagnostics(diags: &[Diagnostic]) {
    use std::io::Write;
    let stderr = std::io::stderr();
    let mut e = stderr.lock();
    for d in diags {
        let _ = writeln!(e, "{d}");
    }
}

/// Load and resolve only (no rendering): what `i18n` and `translate` need.
pub fn load_resolved(
    root: &Path,
    opts: &LoadOptions,
    diags: &Diagnostics,
) -> Option<(Site, Graph)> {
    let site = load_site(root, opts, diags)?;
    let graph = resolve(&site, diags);
    Some((site, graph))
}
