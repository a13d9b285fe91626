//! The bundled knowledge base in a real headless Chromium: no JavaScript
//! error on any page, and no critical or serious axe-core violation on each
//! kind of page, left to right and right to left.

use crate::support as browser;
use browser::Browser;
use std::path::Path;

fn demo() -> Browser {
    Browser::on_site(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// Every page's path, from the sitemap, plus the ones it leaves out.
fn all_pages(b: &Browser) -> Vec<String> {
    b.goto("/sitemap.xml");
    let v = b.js(
        "return [...document.querySelectorAll('url > loc')].map(l => new URL(l.textContent).pathname);",
        vec![],
    );
    let mut pages: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect();
    pages.push("/404.html".into());
    pages
}

#[test]
fn no_console_errors_on_any_demo_page() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    let pages = all_pages(&b);
    assert!(
        pages.len() > 100,
        "the demo site has its pages: {}",
        pages.len()
    );
    b.console_errors();
    let mut failures = Vec::new();
    for p in &pages {
        b.goto(p);
        let errors = b.console_errors();
        if !errors.is_empty() {
            failures.push(format!("{p}: {errors:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn every_kind_of_demo_page_passes_axe() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    let mut failures = Vec::new();
    for lang in ["en", "he", "lt", "pl"] {
        for p in [
            "".to_string(),
            format!("{lang}/"),
            format!("{lang}/articles/skills/ten-agent-qualities/"),
            format!("{lang}/topics/hiring/"),
            format!("{lang}/skills/"),
            format!("{lang}/skills/empathy/"),
            format!("{lang}/checklists/"),
            format!("{lang}/checklists/manager-agent-assessment/"),
            format!("{lang}/search/"),
        ] {
            b.goto(&format!("/{p}"));
            let v = b.axe();
            if !v.is_empty() {
                failures.push(format!("/{p}: {v:?}"));
            }
        }
    }
    b.goto("/404.html");
    let v = b.axe();
    if !v.is_empty() {
        failures.push(format!("/404.html: {v:?}"));
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn demo_checklist_scores_in_every_language() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    for lang in ["en", "he", "lt", "pl"] {
        b.goto(&format!("/{lang}/checklists/agent-self-assessment/"));
        b.js("localStorage.clear();", vec![]);
        b.reload();
        b.wait_for("return document.querySelector('#cl-saved');", "the script");
        // Rate the first item of each skill with the top of the scale.
        let rated = b.js(
            "let n = 0;
             for (const fs of document.querySelectorAll('fieldset[data-skill]')) {
               const radios = fs.querySelectorAll('fieldset[data-item] input[type=radio]');
               radios[radios.length - 1].click(); n++;
             }
             return n;",
            vec![],
        );
        assert_eq!(rated, serde_json::json!(10), "{lang}: ten skills");
        let scores = b.js(
            "return [...document.querySelectorAll('[data-score-for]')].map(e => e.textContent);",
            vec![],
        );
        for s in scores.as_array().unwrap() {
            let s = s.as_str().unwrap();
            // Numbers are written the language's way: 5.0, or 5,0 in Lithuanian and Polish.
            assert!(s.contains("5.0") || s.contains("5,0"), "{lang}: {s}");
        }
        let v = b.axe();
        assert!(v.is_empty(), "{lang}: after rating: {v:#?}");
    }
    assert!(b.console_errors().is_empty());
}
