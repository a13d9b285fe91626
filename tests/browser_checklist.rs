//! The checklist script in a real headless Chromium: live scores, saved
//! assessments across reloads, JSON and CSV export, JSON import (valid,
//! another checklist's, broken and hostile files), the team view with its
//! article links, storage failures, axe-core — in English and in Hebrew.

mod browser;
mod common;
use browser::Browser;
use common::Site;
use serde_json::{json, Value};

const PAGE_SETUP: &str = "
    window.__downloads = [];
    HTMLAnchorElement.prototype.click = function () {
        if (this.download) window.__downloads.push({ name: this.download, href: this.href });
    };";

fn rate(b: &Browser, answers: &[(&str, u32)]) {
    for (name, v) in answers {
        b.click(&format!("input[name=\"{name}\"][value=\"{v}\"]"));
    }
}

fn saved_names(b: &Browser) -> Vec<String> {
    b.js(
        "return [...document.querySelectorAll('#cl-saved li[data-assessment] .cl-saved-name')].map(e => e.textContent);",
        vec![],
    )
    .as_array()
    .unwrap()
    .iter()
    .map(|v| v.as_str().unwrap().to_string())
    .collect()
}

fn click_in_row(b: &Browser, name: &str, button: &str) {
    let clicked = b.js(
        "for (const li of document.querySelectorAll('#cl-saved li[data-assessment]')) {
             if (li.querySelector('.cl-saved-name').textContent === arguments[0]) {
                 li.querySelector(arguments[1]).click(); return true;
             }
         }
         return false;",
        vec![json!(name), json!(button)],
    );
    assert_eq!(clicked, json!(true), "no saved assessment named {name}");
}

/// The last download's file name and text.
fn last_download(b: &Browser) -> (String, String) {
    let d = b.js(
        "return window.__downloads[window.__downloads.length - 1] || null;",
        vec![],
    );
    assert!(!d.is_null(), "nothing was downloaded");
    let text = b.js_async(
        "const done = arguments[arguments.length - 1];
         // ignoreBOM keeps a byte-order mark in the text, so the test sees it.
         fetch(arguments[0]).then(r => r.arrayBuffer())
           .then(b => done(new TextDecoder('utf-8', { ignoreBOM: true }).decode(b)), e => done('fetch failed: ' + e));",
        vec![d["href"].clone()],
    );
    (
        d["name"].as_str().unwrap().to_string(),
        text.as_str().unwrap().to_string(),
    )
}

fn one_decimal(x: f64) -> String {
    format!("{x:.1}")
}

/// A team-view row: skill id, average text, article links as (href, hreflang).
type TeamRow = (String, String, Vec<(String, String)>);

/// The team view's rows, in table order.
fn team_rows(b: &Browser) -> Vec<TeamRow> {
    let v = b.js(
        "return [...document.querySelectorAll('#cl-team-table tbody tr')].map(tr => [
            tr.dataset.skill,
            tr.querySelector('.cl-avg').textContent,
            [...tr.querySelectorAll('.cl-articles a')].map(a => [a.getAttribute('href'), a.getAttribute('hreflang') || ''])
         ]);",
        vec![],
    );
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let links = r[2]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| {
                    (
                        l[0].as_str().unwrap().to_string(),
                        l[1].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            (
                r[0].as_str().unwrap().to_string(),
                r[1].as_str().unwrap().to_string(),
                links,
            )
        })
        .collect()
}

fn assessment_flow(lang: &str) {
    let site = Site::sample();
    let b = Browser::on_site(site.path());
    let page = format!("/{lang}/checklists/self-check/");
    b.goto(&page);
    b.js("localStorage.clear();", vec![]);
    b.reload();
    b.wait_for("return document.querySelector('#cl-saved');", "the script");
    assert_eq!(
        b.js("return document.documentElement.dir;", vec![]),
        json!(if lang == "he" { "rtl" } else { "ltr" })
    );

    let v = b.axe();
    assert!(v.is_empty(), "{lang}: accessibility before rating: {v:#?}");

    // Live scores: unanswered items do not count as zero.
    let not_answered = b.text("[data-score-for=\"empathy\"]");
    rate(
        &b,
        &[
            ("empathy/names-feelings", 3),
            ("empathy/avoids-blame", 2),
            ("patience/keeps-pace", 1),
        ],
    );
    let empathy = b.text("[data-score-for=\"empathy\"]");
    assert_ne!(empathy, not_answered);
    assert!(empathy.contains("2.5"), "{lang}: empathy score: {empathy}");
    assert!(empathy.contains("2") && empathy.contains('3'), "{empathy}");
    let patience = b.text("[data-score-for=\"patience\"]");
    assert!(
        patience.contains("1.0"),
        "{lang}: patience score: {patience}"
    );
    let total = b.text("[data-score-total]");
    assert!(total.contains("2.0"), "{lang}: total (3+2+1)/3: {total}");
    // The scale's localized label goes with the score.
    let label = if lang == "he" {
        "לעיתים רחוקות"
    } else {
        "Rarely"
    };
    assert!(patience.contains(label), "{patience}");
    // The radar chart: one axis per skill, a polygon for the scores, a table for screen readers.
    assert_eq!(
        b.js(
            "return document.querySelectorAll('#checklist-results .cl-chart-box svg .axis').length;",
            vec![]
        ),
        json!(2)
    );
    assert_eq!(
        b.js(
            "return document.querySelector('#checklist-results .cl-chart-box td[data-skill=empathy]').textContent;",
            vec![]
        ),
        json!("2.5 / 3")
    );
    if lang == "he" {
        // Mirrored: the second axis points left in RTL (right in LTR).
        let x = b.js("return parseFloat(document.querySelectorAll('.cl-chart-box svg .axis')[1].getAttribute('points').split(' ')[1]);", vec![]);
        assert!(
            x.as_f64().unwrap().abs() < 1.0,
            "two axes: up and down, {x}"
        );
    }

    let v = b.axe();
    assert!(v.is_empty(), "{lang}: accessibility after rating: {v:#?}");

    // Save two named assessments; a name with HTML stays text.
    let dana = "Dana <b>Levi</b>";
    b.type_into("#cl-name", dana);
    b.click("#cl-save");
    b.click("#cl-new");
    assert_eq!(b.text("[data-score-total]"), not_answered);
    rate(
        &b,
        &[
            ("empathy/names-feelings", 3),
            ("empathy/avoids-blame", 3),
            ("empathy/thanks-caller", 2),
            ("patience/keeps-pace", 2),
        ],
    );
    b.type_into("#cl-name", "Avi");
    b.click("#cl-save");
    assert_eq!(saved_names(&b), vec![dana.to_string(), "Avi".to_string()]);

    b.reload();
    b.wait_for("return document.querySelector('#cl-saved');", "the script");
    assert_eq!(
        saved_names(&b),
        vec![dana.to_string(), "Avi".to_string()],
        "{lang}: both assessments survive a reload"
    );
    assert_eq!(
        b.js(
            "return document.querySelectorAll('#cl-saved b, #cl-team b').length;",
            vec![]
        ),
        json!(0)
    );
    // The form itself comes back as it was left.
    assert_eq!(
        b.js(
            "return document.querySelector('input[name=\"patience/keeps-pace\"]:checked').value;",
            vec![]
        ),
        json!("2")
    );

    // Team view: averages, weakest first, each skill linked to its articles.
    let dana_empathy = (3.0 + 2.0) / 2.0;
    let avi_empathy = (3.0 + 3.0 + 2.0) / 3.0;
    let rows = team_rows(&b);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].0, "patience", "weakest first: {rows:?}");
    assert!(
        rows[0].1.contains(&one_decimal((1.0 + 2.0) / 2.0)),
        "{rows:?}"
    );
    assert!(
        rows[1]
            .1
            .contains(&one_decimal((dana_empathy + avi_empathy) / 2.0)),
        "{rows:?}"
    );
    let empathy_links = &rows[1].2;
    let patience_links = &rows[0].2;
    // Patience: the article that lists it and the one that links to it.
    let (own, fallback) = if lang == "he" {
        ("he", "en")
    } else {
        ("en", "")
    };
    assert_eq!(
        empathy_links,
        &vec![(format!("/{own}/articles/skills/empathy/"), String::new())]
    );
    assert_eq!(patience_links.len(), 2, "{patience_links:?}");
    assert!(patience_links.contains(&(format!("/{own}/articles/skills/empathy/"), String::new())));
    // Not translated into Hebrew: the English article, marked as such.
    assert!(patience_links.contains(&(
        "/en/articles/skills/waiting/".to_string(),
        fallback.to_string()
    )));
    // Leaving one person out changes the averages.
    b.js(
        "document.querySelector('#cl-team input[type=checkbox]').click();",
        vec![],
    );
    let rows = team_rows(&b);
    let patience_row = rows.iter().find(|r| r.0 == "patience").unwrap();
    assert!(patience_row.1.contains("2.0"), "Avi alone: {rows:?}");

    // Export JSON and CSV of the first assessment.
    b.js(PAGE_SETUP, vec![]);
    click_in_row(&b, dana, ".cl-open");
    b.click("#cl-export-json");
    let (name, text) = last_download(&b);
    assert!(
        name.ends_with(".json") && name.starts_with("self-check-"),
        "{name}"
    );
    let exported: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(exported["format"], "servicekb-assessment");
    assert_eq!(exported["version"], 1);
    assert_eq!(exported["checklist"], "self-check");
    assert_eq!(exported["language"], lang);
    assert_eq!(exported["name"], dana);
    assert_eq!(exported["scale"]["min"], 1);
    assert_eq!(exported["scale"]["max"], 3);
    assert_eq!(exported["scale"]["labels"][0], label);
    assert_eq!(
        exported["answers"],
        json!({"empathy/names-feelings": 3, "empathy/avoids-blame": 2, "patience/keeps-pace": 1})
    );
    assert_eq!(exported["scores"]["skills"]["empathy"].as_f64(), Some(2.5));
    assert_eq!(exported["scores"]["total"].as_f64(), Some(2.0));

    b.click("#cl-export-csv");
    let (name, csv) = last_download(&b);
    assert!(name.ends_with(".csv"), "{name}");
    assert!(
        csv.starts_with('\u{feff}'),
        "a BOM, so spreadsheets read UTF-8"
    );
    assert!(csv.contains("\"Dana <b>Levi</b>\""), "{csv}");
    let item_row = csv
        .lines()
        .find(|l| l.ends_with("\"empathy\",\"avoids-blame\""))
        .unwrap_or_else(|| panic!("a row per item: {csv}"));
    assert!(item_row.contains("\"2\""), "{item_row}");
    if lang == "he" {
        assert!(csv.contains("לא מאשים"), "the item's Hebrew text: {csv}");
    }
    let unanswered = csv.lines().find(|l| l.contains("thanks-caller")).unwrap();
    assert!(
        unanswered.contains(",\"\",\"\","),
        "unanswered stays empty: {unanswered}"
    );

    // Import: one good file, one for another checklist, a broken one, a
    // hostile one with wrong types, one too big, and HTML in a name.
    let dir = tempfile::tempdir().unwrap();
    let mut good = exported.clone();
    good["name"] = json!("Imported One");
    let mut other = exported.clone();
    other["checklist"] = json!("another-checklist");
    let mut html_name = exported.clone();
    html_name["name"] = json!("<img src=x onerror=\"window.__pwned=1\">");
    let mut wrong_types = exported.clone();
    wrong_types["answers"] = json!({"empathy/names-feelings": "3<script>"});
    let files = [
        ("good.json", good.to_string()),
        ("other.json", other.to_string()),
        ("broken.json", "{\"format\": \"servicekb-ass".to_string()),
        ("hostile.json", wrong_types.to_string()),
        ("html.json", html_name.to_string()),
        (
            "huge.json",
            format!("{{\"x\": \"{}\"}}", "a".repeat(2 * 1024 * 1024)),
        ),
    ];
    let paths: Vec<std::path::PathBuf> = files
        .iter()
        .map(|(n, text)| {
            let p = dir.path().join(n);
            std::fs::write(&p, text).unwrap();
            p
        })
        .collect();
    let refs: Vec<&std::path::Path> = paths.iter().map(|p| p.as_path()).collect();
    b.upload("#cl-import", &refs);
    let alert = b
        .wait_for(
            "const a = document.querySelector('.cl-alert'); return a && !a.hidden && a.textContent;",
            "the import report",
        )
        .as_str()
        .unwrap()
        .to_string();
    for refused in ["other.json", "broken.json", "hostile.json", "huge.json"] {
        assert!(
            alert.contains(refused),
            "{lang}: {refused} refused: {alert}"
        );
    }
    assert!(alert.contains("another-checklist"), "{alert}");
    assert!(
        !alert.contains("good.json") && !alert.contains("html.json"),
        "{alert}"
    );
    let names = saved_names(&b);
    assert!(names.contains(&"Imported One".to_string()), "{names:?}");
    assert!(names.contains(&"<img src=x onerror=\"window.__pwned=1\">".to_string()));
    assert_eq!(
        b.js("return [document.querySelectorAll('#cl-saved img, #cl-team img, .cl-alert img').length, window.__pwned || 0];", vec![]),
        json!([0, 0]),
        "imported text never becomes HTML"
    );
    assert_eq!(team_rows(&b).len(), 2);

    // Rename and delete, then reload: the changes are kept.
    click_in_row(&b, "Avi", ".cl-rename");
    b.type_into(".cl-rename-input", "Avi Cohen");
    b.click(".cl-rename-ok");
    click_in_row(&b, "Imported One", ".cl-delete");
    assert!(
        saved_names(&b).contains(&"Imported One".to_string()),
        "delete asks first"
    );
    click_in_row(&b, "Imported One", ".cl-delete");
    b.reload();
    b.wait_for("return document.querySelector('#cl-saved');", "the script");
    let names = saved_names(&b);
    assert!(names.contains(&"Avi Cohen".to_string()), "{names:?}");
    assert!(!names.contains(&"Imported One".to_string()), "{names:?}");
    assert!(!names.contains(&"Avi".to_string()), "{names:?}");

    // Storage that refuses to write (private mode, quota) is told, not swallowed.
    b.js(
        "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };",
        vec![],
    );
    b.type_into("#cl-name", "Noa");
    b.click("#cl-save");
    let alert = b.text(".cl-alert");
    assert!(
        alert.contains("JSON"),
        "{lang}: the storage error tells what to do: {alert}"
    );

    let errors = b.console_errors();
    assert!(errors.is_empty(), "{lang}: console errors: {errors:#?}");
}

#[test]
fn checklist_in_english() {
    assessment_flow("en");
}

#[test]
fn checklist_in_hebrew() {
    assessment_flow("he");
}
