//! The search page of the bundled knowledge base in a real headless
//! Chromium: queries in each language, folding (Polish and Lithuanian
//! diacritics, Hebrew niqqud and final letters), prefix matching, ranking,
//! `?q=`, the keyboard, and axe-core with results shown.

use crate::support as browser;
use browser::Browser;
use serde_json::{json, Value};
use std::path::Path;

const ARROW_UP: char = '\u{E013}';
const ARROW_DOWN: char = '\u{E015}';
const ESCAPE: char = '\u{E00C}';

fn demo() -> Browser {
    Browser::on_site(Path::new(env!("CARGO_MANIFEST_DIR")))
}

/// Waits until the results shown are those of `query`; returns their paths.
fn shown(b: &Browser, query: &str) -> Vec<String> {
    b.wait_for(
        &format!(
            "return document.querySelector('#search-results').dataset.query === {};",
            json!(query)
        ),
        &format!("the results of {query:?}"),
    );
    let v = b.js(
        "return [...document.querySelectorAll('#search-results li a')].map(a => new URL(a.href).pathname);",
        vec![],
    );
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect()
}

/// Types `query` into the search field, as a user would.
fn search(b: &Browser, query: &str) -> Vec<String> {
    b.type_into("#search-q", query);
    shown(b, query)
}

fn open(b: &Browser, lang: &str) {
    b.goto(&format!("/{lang}/search/"));
    // The script marks the results with their query once the index is in.
    b.wait_for(
        "return document.querySelector('#search-results').hasAttribute('data-query');",
        "the index to load",
    );
}

fn press(b: &Browser, key: char) {
    b.rt.block_on(async {
        let e = b.c.active_element().await.unwrap();
        e.send_keys(&key.to_string()).await.unwrap();
    });
}

fn focused(b: &Browser) -> Value {
    b.js(
        "const e = document.activeElement; return e.id || (e.href ? new URL(e.href).pathname : e.tagName);",
        vec![],
    )
}

fn has(results: &[String], path: &str) -> bool {
    results.iter().any(|r| r == path)
}

#[test]
fn finds_articles_in_every_language_with_prefixes_and_folding() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    b.console_errors();
    // (language, query, an article it must find)
    let cases = [
        // A title word, then a partial word.
        ("en", "burnout", "wellbeing/service-perception-and-burnout"),
        ("en", "interv", "hiring/interviews-references-trial-periods"),
        // Polish: typed without ogonki and accents, in capitals with them,
        // and by the stem of an inflected word.
        ("pl", "umiejetnosci", "skills/customer-service-skills"),
        ("pl", "swietnego", "skills/ten-agent-qualities"),
        ("pl", "zatrzymuj", "retention/retention-tools-part-1"),
        ("pl", "ŚWIETNEGO", "skills/ten-agent-qualities"),
        (
            "pl",
            "Wypalenie",
            "wellbeing/service-perception-and-burnout",
        ),
        // Lithuanian: without carons and ogoneks, with them, and by prefix.
        ("lt", "igudziai", "skills/customer-service-skills"),
        ("lt", "Įgūdžius", "skills/team-skills-assessment"),
        ("lt", "desimt", "skills/ten-agent-qualities"),
        ("lt", "islaik", "retention/retention-tools-part-2"),
        ("lt", "perdegim", "wellbeing/service-perception-and-burnout"),
        // Hebrew: a title word, the same word with niqqud, and a word typed
        // with a final letter that the title continues (מתרגם → מתרגמים).
        ("he", "שחיקה", "wellbeing/service-perception-and-burnout"),
        ("he", "שְׁחִיקָה", "wellbeing/service-perception-and-burnout"),
        ("he", "מתרגם", "about/translating-this-knowledge-base"),
    ];
    let mut failures = Vec::new();
    let mut lang = "";
    for (l, query, article) in cases {
        if l != lang {
            open(&b, l);
            lang = l;
        }
        let want = format!("/{l}/articles/{article}/");
        let got = search(&b, query);
        if !has(&got, &want) {
            failures.push(format!("{l} {query:?}: {want} not in {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Every query word must match (AND), so a nonsense word empties the list.
    open(&b, "en");
    assert!(search(&b, "burnout qqqzzz").is_empty());
    let status = b.text("#search-status");
    assert!(
        status.contains("No results") && status.contains("qqqzzz"),
        "{status}"
    );
    open(&b, "pl");
    search(&b, "qqqzzz");
    assert!(b.text("#search-status").contains("Brak wyników"));
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

#[test]
fn query_in_the_url_ranking_highlights_and_keyboard() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    b.console_errors();
    // `?q=` runs on load (what the form's GET gives without JavaScript).
    b.goto("/en/search/?q=burnout");
    let got = shown(&b, "burnout");
    assert_eq!(
        b.js("return document.querySelector('#search-q').value;", vec![]),
        json!("burnout")
    );
    // The one article with the word in its title comes first, though others mention it.
    assert!(got.len() > 1, "{got:?}");
    assert_eq!(
        got[0],
        "/en/articles/wellbeing/service-perception-and-burnout/"
    );
    let status = b.text("#search-status");
    assert_eq!(status, format!("Results: {}", got.len()));
    // Matched words are marked, in the title and in the snippet.
    let marks = b.js(
        "return [...document.querySelectorAll('#search-results li:first-child mark')].map(m => m.textContent.toLowerCase());",
        vec![],
    );
    let marks = marks.as_array().unwrap();
    assert!(
        !marks.is_empty()
            && marks
                .iter()
                .all(|m| m.as_str().unwrap().starts_with("burnout")),
        "{marks:?}"
    );
    // Each result says what kind of page it is.
    assert_eq!(
        b.text("#search-results li:first-child .search-kind"),
        "Article"
    );

    // Typing keeps the query in the URL.
    b.type_into("#search-q", "coaching");
    let got = shown(&b, "coaching");
    assert!(!got.is_empty());
    assert_eq!(
        b.js(
            "return new URLSearchParams(location.search).get('q');",
            vec![]
        ),
        json!("coaching")
    );

    // ArrowDown moves from the field into the results, ArrowUp/Down between them, Escape back.
    b.click("#search-q");
    press(&b, ARROW_DOWN);
    assert_eq!(focused(&b), json!(got[0]));
    if got.len() > 1 {
        press(&b, ARROW_DOWN);
        assert_eq!(focused(&b), json!(got[1]));
        press(&b, ARROW_UP);
        assert_eq!(focused(&b), json!(got[0]));
    }
    press(&b, ARROW_UP);
    assert_eq!(focused(&b), json!("search-q"));
    press(&b, ARROW_DOWN);
    press(&b, ESCAPE);
    assert_eq!(focused(&b), json!("search-q"));

    // A skill name ranks its skill page with the title hits, above body hits.
    b.type_into("#search-q", "empathy");
    let got = shown(&b, "empathy");
    assert_eq!(got[0], "/en/skills/empathy/", "{got:?}");
    assert_eq!(b.console_errors(), Vec::<String>::new());
}

#[test]
fn search_page_with_results_passes_axe_left_to_right_and_right_to_left() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let b = demo();
    b.console_errors();
    for (lang, query) in [("en", "customer"), ("he", "לקוח")] {
        b.goto(&format!("/{lang}/search/?q={query}"));
        let got = shown(&b, query);
        assert!(!got.is_empty(), "{lang}: results for {query}");
        let v = b.axe();
        assert!(v.is_empty(), "{lang}: {v:#?}");
        // Escaped index text: the page shows titles as text, never as markup.
        assert_eq!(
            b.js(
                "return document.querySelectorAll('#search-results script, #search-results img').length;",
                vec![]
            ),
            json!(0)
        );
    }
    assert_eq!(b.console_errors(), Vec::<String>::new());
}
