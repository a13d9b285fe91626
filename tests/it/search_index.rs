//! The search indexes of the bundled knowledge base: each stays under half
//! the size of its language's text, and holds every page of its language.

use servicekb::diagnostics::Diagnostics;
use servicekb::load::LoadOptions;
use servicekb::pipeline;
use servicekb::search_index::fold;
use std::path::Path;

#[test]
fn each_index_is_under_half_its_languages_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let diags = Diagnostics::new();
    let built = pipeline::run(root, &LoadOptions::default(), &diags, None, true)
        .expect("the bundled site builds");
    let mut ratios = Vec::new();
    for l in &built.site.config.languages {
        let file = &built.output.files[&format!("{}/search-index.json", l.code)];
        let index: serde_json::Value = serde_json::from_slice(file).unwrap();
        let pages = index["pages"].as_array().unwrap();
        let articles = built
            .site
            .articles
            .iter()
            .filter(|a| a.lang == l.code)
            .count();
        let skills = built
            .site
            .skills
            .values()
            .filter(|s| s.name.contains_key(&l.code))
            .count();
        assert!(
            articles > 0 && skills > 0,
            "{}: the demo has content",
            l.code
        );
        assert!(
            pages.len() >= articles + skills,
            "{}: every page is in",
            l.code
        );
        // Words are whole, so the file can be searched as text.
        let words = index["words"].as_str().unwrap();
        for a in built.site.articles.iter().filter(|a| a.lang == l.code) {
            for w in a.fm.title.split(|c: char| !c.is_alphanumeric()) {
                let w = fold(w);
                assert!(w.len() < 2 || words.contains(&w), "{}: {w}", l.code);
            }
        }
        let ratio = file.len() as f64 / built.site.text_bytes(&l.code) as f64;
        ratios.push(format!("{} {ratio:.3}", l.code));
        assert!(ratio < 0.5, "{}: index/text = {ratio:.3}", l.code);
    }
    println!("index/text: {}", ratios.join(", "));
}
