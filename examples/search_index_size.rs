//! Each language's search index against the size of its text, for the
//! README's figures:
//!
//!     cargo run --release --example search_index_size -- [SITE_DIR]

use servicekb::diagnostics::Diagnostics;
use servicekb::load::LoadOptions;
use servicekb::pipeline;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let diags = Diagnostics::new();
    let Some(built) = pipeline::run(&root, &LoadOptions::default(), &diags, None, true) else {
        pipeline::print_diagnostics(&diags.into_sorted());
        std::process::exit(1);
    };
    println!("lang  pages  index bytes  text bytes  ratio");
    for l in &built.site.config.languages {
        let file = built
            .output
            .files
            .get(&format!("{}/search-index.json", l.code))
            .cloned()
            .unwrap_or_default();
        let index = file.len();
        let pages = serde_json::from_slice::<serde_json::Value>(&file)
            .ok()
            .and_then(|v| Some(v["pages"].as_array()?.len()))
            .unwrap_or(0);
        let text = built.site.text_bytes(&l.code);
        println!(
            "{:<4}  {:>5}  {:>11}  {:>10}  {:.3}",
            l.code,
            pages,
            index,
            text,
            index as f64 / text.max(1) as f64
        );
    }
}
