//! The floor for a build, as the performance issue defines it: read every
//! article body (front matter removed) and render it with pulldown-cmark
//! to its own HTML file, on all cores, with the Markdown extensions the
//! build turns on, nothing else. No generator can build
//! the site faster than this; `scripts/bench` prints it beside the real build.
//!
//! Usage: floor SITE_DIR OUT_DIR   (OUT_DIR is created; remove it between runs)

use pulldown_cmark::{html, Parser};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The text after the closing `---` of the front matter.
fn body(text: &str) -> &str {
    text.strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|i| &rest[i + 5..]))
        .unwrap_or(text)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(root), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: floor SITE_DIR OUT_DIR");
        std::process::exit(2);
    };
    let t0 = Instant::now();
    let content = Path::new(&root).join("content");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|p| Some(Path::new(&out).join(p.strip_prefix(&content).ok()?.parent()?)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).expect("cannot create the output folder");
    }
    let bytes: usize = files
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            let mut html_out = String::with_capacity(text.len() * 2);
            html::push_html(
                &mut html_out,
                Parser::new_ext(body(&text), servicekb::markdown::options()),
            );
            let rel = p.strip_prefix(&content).unwrap_or(p).with_extension("html");
            std::fs::write(Path::new(&out).join(rel), &html_out).expect("cannot write");
            html_out.len()
        })
        .sum();
    println!(
        "floor: {} files, {} bytes of HTML written in {} ms",
        files.len(),
        bytes,
        t0.elapsed().as_millis()
    );
}
