//! The floor for a build: read every Markdown file of a site and render it
//! with pulldown-cmark on all cores, nothing else. No generator can build the
//! site faster than this; `scripts/bench` prints it beside the real build.
//!
//! Usage: floor SITE_DIR

use pulldown_cmark::{html, Options, Parser};
use rayon::prelude::*;
use std::time::Instant;

fn main() {
    let root = std::env::args().nth(1).expect("usage: floor SITE_DIR");
    let t0 = Instant::now();
    let files: Vec<_> = walkdir::WalkDir::new(std::path::Path::new(&root).join("content"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let bytes: usize = files
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            let mut out = String::with_capacity(text.len() * 2);
            html::push_html(&mut out, Parser::new_ext(&text, Options::all()));
            out.len()
        })
        .sum();
    println!(
        "floor: {} files, {} bytes of HTML in {} ms",
        files.len(),
        bytes,
        t0.elapsed().as_millis()
    );
}
