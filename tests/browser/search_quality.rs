//! Search quality on the bundled knowledge base, with the real search
//! script in headless Chromium: 30 queries per language a manager would
//! type (tests/data/search-queries/<lang>.txt), each with the page a reader
//! expects. In each language the expected page must be found for at least
//! 90 % of them, and be in the first three results for at least 80 %.

use crate::support as browser;
use browser::Browser;
use serde_json::json;
use std::path::Path;

fn queries(lang: &str) -> Vec<(String, String)> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/search-queries")
        .join(format!("{lang}.txt"));
    let text = std::fs::read_to_string(&file).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (q, page) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("{}: no tab in {l:?}", file.display()));
            (q.trim().to_string(), format!("/{lang}/{}", page.trim()))
        })
        .collect()
}

#[test]
fn managers_queries_find_the_expected_page() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = Browser::on_site(Path::new(env!("CARGO_MANIFEST_DIR")));
    let mut report = Vec::new();
    let mut failed = Vec::new();
    for lang in ["en", "he", "lt", "pl"] {
        let qs = queries(lang);
        assert!(qs.len() >= 30, "{lang}: 30 queries at least");
        b.goto(&format!("/{lang}/search/"));
        b.wait_for(
            "return document.querySelector('#search-results').hasAttribute('data-query');",
            "the index to load",
        );
        let (mut found, mut top3) = (0, 0);
        for (q, expected) in &qs {
            // The field's `search` event runs the search at once.
            let got = b.js(
                "const i = document.querySelector('#search-q');
                 i.value = arguments[0];
                 i.dispatchEvent(new Event('search'));
                 return [...document.querySelectorAll('#search-results li a')].map(a => new URL(a.href).pathname);",
                vec![json!(q)],
            );
            let got: Vec<String> = got
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    percent_encoding::percent_decode_str(p.as_str().unwrap())
                        .decode_utf8_lossy()
                        .into_owned()
                })
                .collect();
            match got.iter().position(|p| p == expected) {
                Some(i) => {
                    found += 1;
                    if i < 3 {
                        top3 += 1;
                    } else {
                        failed.push(format!("{lang} {q:?}: {expected} at {}", i + 1));
                    }
                }
                None => failed.push(format!(
                    "{lang} {q:?}: {expected} not found ({} results: {:?})",
                    got.len(),
                    got.iter().take(3).collect::<Vec<_>>()
                )),
            }
        }
        let n = qs.len() as f64;
        let (recall, top) = (found as f64 / n, top3 as f64 / n);
        report.push(format!(
            "{lang}: found {found}/{} ({:.0} %), top three {top3}/{} ({:.0} %)",
            qs.len(),
            recall * 100.0,
            qs.len(),
            top * 100.0
        ));
        assert!(
            recall >= 0.9 && top >= 0.8,
            "{lang}: recall {recall:.2}, top three {top:.2}\n{}\n{}",
            report.join("\n"),
            failed.join("\n")
        );
    }
    println!("{}\nmisses:\n{}", report.join("\n"), failed.join("\n"));
}
