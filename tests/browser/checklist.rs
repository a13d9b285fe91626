//! The checklist script in a real headless Chromium: live scores, saved
//! assessments across reloads, JSON and CSV export, JSON import (valid,
//! another checklist's, broken and hostile files), the team view with its
//! article links, storage failures, axe-core — in English and in Hebrew.

use crate::common;
use crate::support as browser;
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
    // Each article once: the empathy article (which lists both skills) goes
    // to empathy, whose only article it is; patience gets the one that links
    // to it.
    let (own, fallback) = if lang == "he" {
        ("he", "en")
    } else {
        ("en", "")
    };
    assert_eq!(
        empathy_links,
        &vec![(format!("/{own}/articles/skills/empathy/"), String::new())]
    );
    // Not translated into Hebrew: the English article, marked as such.
    assert_eq!(
        patience_links,
        &vec![(
            "/en/articles/skills/waiting/".to_string(),
            fallback.to_string()
        )]
    );
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
    assert_eq!(exported["version"], 2);
    let dana_id = b.js(
        "return document.querySelector('#cl-saved li[aria-current]').dataset.assessment;",
        vec![],
    );
    assert_eq!(exported["id"], dana_id, "the record's stable id");
    assert_eq!(
        name.matches("self-check").count(),
        1,
        "the checklist id once: {name}"
    );
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
    // Version 1 files (no id) still import.
    let mut exported = exported.clone();
    exported.as_object_mut().unwrap().remove("id");
    exported["version"] = json!(1);
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
    b.click("#cl-save-new");
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
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    assessment_flow("en");
}

/// English articles in the `skills` topic: (slug, skills, day of June 2026).
fn dated_articles(site: &Site, articles: &[(&str, &str, u32)]) {
    for (slug, skills, day) in articles {
        site.write(
            &format!("content/articles/skills/{slug}.en.md"),
            &format!("---\ntitle: Article {slug}\ndate: 2026-06-{day:02}\nskills: [{skills}]\n---\n\nText.\n"),
        );
    }
}

/// A browser on `page` of the site, with nothing saved.
fn open_with_storage_cleared(site: &Site, page: &str) -> Browser {
    let b = Browser::on_site(site.path());
    b.goto(page);
    b.js("localStorage.clear();", vec![]);
    b.reload();
    b.wait_for("return document.querySelector('#cl-saved');", "the script");
    b
}

/// A skill with more articles than its suggestions can come from: the
/// page sends the first ones only, and the team view suggests what it would
/// from the whole lists. An article both skills list, newest in empathy's
/// list but cut from patience's, still counts as shared.
#[test]
fn team_view_suggests_from_the_cut_lists_as_from_whole_ones() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let site = Site::sample();
    dated_articles(
        &site,
        &[
            ("p1", "patience", 6),
            ("p2", "patience", 5),
            ("x", "empathy, patience", 3),
            ("e1", "empathy", 2),
            ("e2", "empathy", 1),
        ],
    );
    let b = open_with_storage_cleared(&site, "/en/checklists/self-check/");
    let sent = b.js(
        "return JSON.parse(document.getElementById('checklist-data').textContent).skills
             .map(s => [s.id, s.articles.map(a => a.url)]);",
        vec![],
    );
    let url = |slug: &str| format!("/en/articles/skills/{slug}/");
    assert_eq!(
        sent,
        json!([
            ["empathy", [url("x"), url("e1"), url("e2")]],
            ["patience", [url("p1"), url("p2")]]
        ]),
        "each list up to its second article no other skill lists"
    );
    for (name, v) in [("Dana", 1), ("Avi", 2)] {
        rate(
            &b,
            &[
                ("empathy/names-feelings", v),
                ("empathy/avoids-blame", v),
                ("patience/keeps-pace", v + 1),
            ],
        );
        b.type_into("#cl-name", name);
        b.click("#cl-save");
        b.click("#cl-new");
    }
    let links = |skill: &str| -> Vec<String> {
        let rows = team_rows(&b);
        let row = rows.iter().find(|r| r.0 == skill).expect("a row per skill");
        row.2.iter().map(|(href, _)| href.clone()).collect()
    };
    assert_eq!(links("empathy"), vec![url("e1"), url("e2")], "x is shared");
    assert_eq!(links("patience"), vec![url("p1"), url("p2")]);
}

/// The report suggests for its three weakest skills only: an article that
/// a stronger skill of the checklist also lists counts there as the weak
/// skill's own, as it did when the page sent whole lists.
#[test]
fn report_counts_only_the_weakest_skills_articles_as_shared() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let site = Site::sample();
    for (id, indicator) in [("calm", "steady"), ("focus", "one-thing")] {
        site.write(
            &format!("content/skills/{id}.yaml"),
            &format!("name: {{ en: {id} }}\nsummary: {{ en: About {id}. }}\nindicators:\n  - id: {indicator}\n    text: {{ en: Is {id}. }}\n"),
        );
    }
    site.write(
        "content/checklists/four.yaml",
        "title: { en: Four }\naudience: manager\nscale:\n  min: 1\n  max: 3\n  labels:\n    en: [Rarely, Sometimes, Often]\nskills: [empathy, patience, calm, focus]\n",
    );
    dated_articles(
        &site,
        &[
            ("s", "empathy, focus", 9),
            ("x", "empathy, patience", 3),
            ("e1", "empathy", 2),
            ("e2", "empathy", 1),
        ],
    );
    let b = open_with_storage_cleared(&site, "/en/checklists/four/");
    // Focus strongest: the report's three weakest leave it out.
    rate(
        &b,
        &[
            ("empathy/names-feelings", 1),
            ("empathy/avoids-blame", 1),
            ("patience/keeps-pace", 2),
            ("calm/steady", 2),
            ("focus/one-thing", 3),
        ],
    );
    b.type_into("#cl-name", "Dana");
    b.click("#cl-save");
    b.js("window.print = () => {};", vec![]);
    b.click("#cl-print-report");
    let url = |slug: &str| format!("/en/articles/skills/{slug}/");
    let first = b.js(
        "return [...document.querySelectorAll('#cl-report .cl-report-weak > li')[0].querySelectorAll('a')]
             .map(a => a.getAttribute('href'));",
        vec![],
    );
    assert_eq!(
        first,
        json!([url("s"), url("e1")]),
        "s is empathy's own here"
    );
    let team = team_rows(&b);
    let empathy = team
        .iter()
        .find(|r| r.0 == "empathy")
        .expect("an empathy row");
    let links: Vec<&str> = empathy.2.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        links,
        vec![url("e1"), url("e2")],
        "s is shared with focus in the team"
    );
}

#[test]
fn checklist_in_hebrew() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    assessment_flow("he");
}

/// No horizontal scrolling: the page is no wider than the window.
fn assert_no_overflow(b: &Browser, what: &str) {
    let v = b.js(
        "const d = document.documentElement; return [d.scrollWidth, d.clientWidth];",
        vec![],
    );
    let (sw, cw) = (v[0].as_i64().unwrap(), v[1].as_i64().unwrap());
    if sw > cw {
        // The innermost elements that stick out, to say what to fix.
        let wide = b.js(
            "const w = document.documentElement.clientWidth;
             return [...document.querySelectorAll('body *')].filter(e => {
               const r = e.getBoundingClientRect();
               return (r.right > w + 1 || r.left < -1) && ![...e.children].some(c => { const q = c.getBoundingClientRect(); return q.right > w + 1 || q.left < -1; });
             }).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().left) + '..' + Math.round(e.getBoundingClientRect().right));",
            vec![],
        );
        panic!("{what}: scrollWidth {sw} > clientWidth {cw}: {wide}");
    }
}

fn visible(b: &Browser, selector: &str) -> bool {
    b.js(
        "const e = document.querySelector(arguments[0]); return !!e && !e.hidden && e.getClientRects().length > 0;",
        vec![json!(selector)],
    ) == json!(true)
}

fn answered(b: &Browser) -> usize {
    b.js(
        "return document.querySelectorAll('#checklist-form input[type=radio]:checked').length;",
        vec![],
    )
    .as_u64()
    .unwrap() as usize
}

/// The flows that could lose or double a manager's data: another name typed
/// over an open record, unsaved answers and New or Open, empty saves and
/// exports, and files imported twice; at a phone's and a desktop's width.
fn data_safety(lang: &str, width: u32) {
    let site = Site::sample();
    let b = Browser::on_site(site.path());
    b.resize(width, 900);
    let page = format!("/{lang}/checklists/self-check/");
    b.goto(&page);
    b.js("localStorage.clear();", vec![]);
    b.reload();
    b.wait_for("return document.querySelector('#cl-saved');", "the script");
    b.js(PAGE_SETUP, vec![]);
    let total = b
        .js(
            "return JSON.parse(document.getElementById('checklist-data').textContent).items.length;",
            vec![],
        )
        .as_u64()
        .unwrap();

    // The page says where the data lives.
    assert!(visible(&b, "#cl-privacy"));
    // An empty assessment is neither saved nor exported.
    b.type_into("#cl-name", "Empty");
    b.click("#cl-save");
    assert!(visible(&b, ".cl-alert"), "{lang}: empty save refused");
    assert!(saved_names(&b).is_empty());
    b.click("#cl-export-json");
    assert!(visible(&b, ".cl-alert"), "{lang}: empty export refused");
    assert_eq!(b.js("return window.__downloads.length;", vec![]), json!(0));

    // The sticky bar counts the answers and saves.
    rate(
        &b,
        &[("empathy/names-feelings", 3), ("patience/keeps-pace", 2)],
    );
    let bar = b.text("#cl-bar-count");
    assert!(
        bar.contains('2') && bar.contains(&total.to_string()),
        "{lang}: {bar}"
    );
    assert_eq!(
        b.js(
            "return getComputedStyle(document.getElementById('cl-bar')).position;",
            vec![]
        ),
        json!("sticky")
    );
    b.type_into("#cl-name", "Dana");
    b.click("#cl-bar-save");
    assert_eq!(saved_names(&b), vec!["Dana".to_string()]);
    // Saved with items left: it says how many are answered.
    let status = b.text(".cl-status");
    assert!(
        status.contains('2') && status.contains(&total.to_string()),
        "{lang}: {status}"
    );
    // Unanswered skills are gaps in the chart and "not answered" in its table.
    b.click("#cl-new");
    rate(&b, &[("empathy/names-feelings", 3)]);
    let na = b.text("#checklist-results .cl-chart-box td[data-skill=patience]");
    assert!(!na.contains('/') && !na.is_empty(), "{lang}: {na}");
    assert_eq!(
        b.js(
            "return document.querySelectorAll('#checklist-results .cl-chart-box polygon.series').length;",
            vec![]
        ),
        json!(0),
        "{lang}: no closed shape through an unanswered skill"
    );
    // New with unsaved answers asks first; keeping them keeps them.
    b.click("#cl-new");
    assert!(visible(&b, "#cl-ask"), "{lang}: New asks");
    assert_eq!(answered(&b), 1);
    b.click("#cl-ask-keep");
    assert_eq!(answered(&b), 1, "{lang}: kept");
    // Open with unsaved answers asks too; discarding opens.
    click_in_row(&b, "Dana", ".cl-open");
    assert!(visible(&b, "#cl-ask"), "{lang}: Open asks");
    assert_eq!(answered(&b), 1);
    b.click("#cl-ask-discard");
    assert_eq!(answered(&b), 2, "{lang}: Dana's answers");

    // Another name over Dana's open record: Save does not rename it.
    b.type_into("#cl-name", "Avi");
    b.click("#cl-save");
    assert!(visible(&b, "#cl-ask"), "{lang}: a changed name asks");
    assert_eq!(saved_names(&b), vec!["Dana".to_string()]);
    b.click("#cl-ask-save-new");
    assert_eq!(saved_names(&b), vec!["Dana".to_string(), "Avi".to_string()]);
    // Renaming is a choice of its own.
    click_in_row(&b, "Dana", ".cl-open");
    b.type_into("#cl-name", "Dana Levi");
    b.click("#cl-save");
    b.click("#cl-ask-rename");
    assert_eq!(
        saved_names(&b),
        vec!["Dana Levi".to_string(), "Avi".to_string()]
    );

    // Export: the id goes with it; the same file imported back is known.
    b.click("#cl-export-json");
    let (fname, text) = last_download(&b);
    assert_eq!(fname.matches("self-check").count(), 1, "{fname}");
    let status = b.text(".cl-status");
    assert!(
        status.contains(&total.to_string()),
        "{lang}: partial export says so: {status}"
    );
    let exported: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(exported["version"], 2);
    assert!(exported["id"].is_string());
    let mut v1_same = exported.clone();
    v1_same.as_object_mut().unwrap().remove("id");
    v1_same["version"] = json!(1);
    let mut noa = v1_same.clone();
    noa["name"] = json!("Noa");
    let dir = tempfile::tempdir().unwrap();
    let write = |n: &str, v: &Value| {
        let p = dir.path().join(n);
        std::fs::write(&p, v.to_string()).unwrap();
        p
    };
    let (p1, p2, p3) = (
        write("same-id.json", &exported),
        write("same-person.json", &v1_same),
        write("noa.json", &noa),
    );
    b.upload("#cl-import", &[&p1, &p2, &p3]);
    b.wait_for(
        "return document.querySelectorAll('#cl-saved li[data-assessment]').length === 3;",
        "the import",
    );
    b.js(
        "document.querySelector('.cl-status').textContent = '';",
        vec![],
    );
    b.upload("#cl-import", &[&p3]);
    b.wait_for(
        "return document.querySelector('.cl-status').textContent.includes('Noa');",
        "the second import",
    );
    assert_eq!(
        saved_names(&b),
        vec![
            "Dana Levi".to_string(),
            "Avi".to_string(),
            "Noa".to_string()
        ],
        "{lang}: nothing imported twice"
    );
    assert!(
        b.text("#cl-team-link").contains('3'),
        "{lang}: the team link counts"
    );
    let people = b.js(
        "return Math.max(...[...document.querySelectorAll('#cl-team-table .cl-n')].map(e => +e.textContent));",
        vec![],
    );
    assert_eq!(people, json!(3));
    // The comparison shows a person, not an empty assessment.
    let cmp = b.js(
        "const s = document.getElementById('cl-compare'); return s.options[s.selectedIndex].textContent;",
        vec![],
    );
    assert!(cmp.as_str().unwrap().starts_with("Dana Levi"), "{cmp}");
    // The team in one CSV.
    b.click("#cl-export-team-csv");
    let (tname, tcsv) = last_download(&b);
    assert!(tname.ends_with(".csv"));
    for n in ["Dana Levi", "Avi", "Noa"] {
        assert!(tcsv.contains(n), "{tcsv}");
    }

    // A reload keeps all of it.
    b.reload();
    b.wait_for("return document.querySelector('#cl-saved');", "the script");
    assert_eq!(saved_names(&b).len(), 3);

    // The chart's labels: at least 12 px on a phone, inside the chart.
    b.resize(360, 900);
    let small = b.js(
        "const out = [];
         for (const svg of document.querySelectorAll('svg.radar')) {
           const box = svg.getBoundingClientRect();
           for (const t of svg.querySelectorAll('text.label')) {
             const r = t.getBoundingClientRect();
             const px = parseFloat(getComputedStyle(t).fontSize) * box.width / svg.viewBox.baseVal.width;
             if (px < 12 || r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
               out.push(t.textContent + ' ' + px.toFixed(1));
           }
         }
         return out;",
        vec![],
    );
    assert_eq!(small, json!([]), "{lang}: chart labels");
    for w in [320, 390] {
        b.resize(w, 900);
        assert_no_overflow(&b, &format!("{lang} at {w} px"));
    }
    b.resize(width, 900);
    let v = b.axe_moderate();
    assert!(v.is_empty(), "{lang} at {width}: {v:#?}");
    let errors = b.console_errors();
    assert!(errors.is_empty(), "{lang}: console errors: {errors:#?}");
}

#[test]
fn data_safety_en_phone() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    data_safety("en", 390);
}

#[test]
fn data_safety_en_desktop() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    data_safety("en", 1280);
}

#[test]
fn data_safety_he_phone() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    data_safety("he", 390);
}

#[test]
fn data_safety_he_desktop() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    data_safety("he", 1280);
}

/// Polish and Lithuanian spreadsheets expect semicolons and decimal commas:
/// checked on the project's own site, which has both languages.
#[test]
fn csv_in_polish_and_lithuanian() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let b = Browser::on_site(root);
    for lang in ["pl", "lt", "en"] {
        b.goto(&format!("/{lang}/checklists/agent-self-assessment/"));
        b.js("localStorage.clear();", vec![]);
        b.reload();
        b.wait_for("return document.querySelector('#cl-saved');", "the script");
        b.js(PAGE_SETUP, vec![]);
        // Two answers in the first skill, 1 and 2: an average of 1.5.
        b.js(
            "const f = [...document.querySelectorAll('#checklist-form fieldset.checklist-skill')][0]
                 .querySelectorAll('fieldset.checklist-item');
             f[0].querySelector('input[value=\"1\"]').click();
             f[1].querySelector('input[value=\"2\"]').click();",
            vec![],
        );
        b.click("#cl-export-csv");
        let (_, csv) = last_download(&b);
        let avg = if lang == "en" { "\"1.50\"" } else { "\"1,50\"" };
        let sep = if lang == "en" { "\",\"" } else { "\";\"" };
        assert!(csv.contains(avg), "{lang}: decimal mark: {csv}");
        assert!(csv.contains(sep), "{lang}: separator: {csv}");
        b.type_into("#cl-name", "Dana");
        b.click("#cl-save");
        b.click("#cl-export-team-csv");
        let (_, team) = last_download(&b);
        assert!(
            team.contains("\"Dana\"") && team.contains(avg),
            "{lang}: {team}"
        );
        let errors = b.console_errors();
        assert!(errors.is_empty(), "{lang}: console errors: {errors:#?}");
    }
}

/* ---------- progress over time, self vs team lead, the printed report ---------- */

const MANAGER: &str = "manager-agent-assessment";
const SELF: &str = "agent-self-assessment";

/// The project's own site (four languages, the self-assessment and the
/// team lead's checklist), with `checklist` open in `lang` on empty storage.
fn open_clean(b: &Browser, lang: &str, checklist: &str, width: u32) {
    b.resize(width, 900);
    b.goto(&format!("/{lang}/checklists/{checklist}/"));
    b.js("localStorage.clear();", vec![]);
    b.reload();
    b.wait_for("return document.querySelector('#cl-saved');", "the script");
    b.js(PAGE_SETUP, vec![]);
}

/// Rates every item of the form: the i-th gets `values[i % len]`.
fn rate_all(b: &Browser, values: &[u32]) {
    b.js(
        "const D = JSON.parse(document.getElementById('checklist-data').textContent);
         D.items.forEach((it, i) => document.querySelector(
             'input[name=\"' + CSS.escape(it.key) + '\"][value=\"' + arguments[0][i % arguments[0].length] + '\"]').click());",
        vec![json!(values)],
    );
}

fn set_date(b: &Browser, iso: &str) {
    b.js(
        "const d = document.getElementById('cl-date'); d.value = arguments[0]; d.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(iso)],
    );
}

/// The assessments this browser keeps for `checklist`.
fn stored(b: &Browser, checklist: &str) -> Vec<Value> {
    let v = b.js(
        "const r = localStorage.getItem('servicekb.assessments.' + arguments[0]); return r ? JSON.parse(r).items : [];",
        vec![json!(checklist)],
    );
    v.as_array().unwrap().clone()
}

fn mean(v: impl Iterator<Item = f64>) -> Option<f64> {
    let (n, s) = v.fold((0, 0.0), |(n, s), x| (n + 1, s + x));
    (n > 0).then(|| s / n as f64)
}

/// A record's mean over the items whose key starts with `prefix` ("" for all).
fn record_mean(rec: &Value, prefix: &str) -> Option<f64> {
    mean(
        rec["answers"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(_, v)| v.as_f64().unwrap()),
    )
}

/// One decimal in the page's language, with the sign the page shows for a change.
fn change_text(d: f64, lang: &str) -> String {
    let v = (d * 10.0).round() / 10.0;
    let n = format!("{:.1}", v.abs());
    let n = if lang == "lt" || lang == "pl" {
        n.replace('.', ",")
    } else {
        n
    };
    if v > 0.0 {
        format!("+{n}")
    } else if v < 0.0 {
        format!("\u{2212}{n}")
    } else {
        n
    }
}

fn decimal(x: f64, lang: &str) -> String {
    let s = format!("{x:.1}");
    if lang == "lt" || lang == "pl" {
        s.replace('.', ",")
    } else {
        s
    }
}

fn upload_json(b: &Browser, dir: &std::path::Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    b.js(
        "document.querySelector('.cl-status').textContent = ''; document.querySelector('.cl-alert').textContent = '';",
        vec![],
    );
    b.upload("#cl-import", &[&p]);
    b.wait_for(
        "return document.querySelector('.cl-status').textContent || document.querySelector('.cl-alert').textContent;",
        "the import's report",
    );
}

fn check_page(b: &Browser, what: &str, width: u32) {
    for w in [320, 390] {
        b.resize(w, 900);
        assert_no_overflow(b, &format!("{what} at {w} px"));
    }
    b.resize(width, 900);
    let v = b.axe_moderate();
    assert!(v.is_empty(), "{what} at {width}: {v:#?}");
    let errors = b.console_errors();
    assert!(errors.is_empty(), "{what}: console errors: {errors:#?}");
}

/// A team lead assesses Dana in January and again in April ("Save" over
/// the open January assessment asks, and keeps it), and Avi once: the
/// trend, the team view counting each person once, the team CSV, files
/// imported back (nothing doubled, a deleted assessment restored) and the
/// one-page printed report.
fn progress_flow(lang: &str, width: u32) {
    let b = Browser::on_site(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    open_clean(&b, lang, MANAGER, width);
    let shot = |sel: &str, what: &str| b.screenshot_of(sel, &format!("{what}-{lang}-{width}"));

    rate_all(&b, &[1, 2]);
    b.type_into("#cl-name", "Dana Levi");
    set_date(&b, "2025-01-15");
    b.click("#cl-save");
    assert_eq!(stored(&b, MANAGER).len(), 1);
    // One assessment: the trend says how the next one is kept.
    assert!(visible(&b, "#cl-trend .cl-hint"), "{lang}: one assessment");
    assert!(visible(&b, "#cl-save-hint"));

    // The next quarter, over the open January assessment: Save asks.
    set_date(&b, "2025-04-15");
    rate_all(&b, &[3, 4, 4]);
    b.click("#cl-save");
    assert!(visible(&b, "#cl-ask-redate"), "{lang}: a new date asks");
    assert_eq!(
        stored(&b, MANAGER).len(),
        1,
        "nothing saved before the answer"
    );
    b.click("#cl-ask-save-new");
    let recs = stored(&b, MANAGER);
    assert_eq!(recs.len(), 2, "{lang}: January is kept: {recs:?}");
    let jan = recs.iter().find(|r| r["date"] == "2025-01-15").unwrap();
    let apr = recs.iter().find(|r| r["date"] == "2025-04-15").unwrap();
    assert!(
        jan["answers"]
            .as_object()
            .unwrap()
            .values()
            .all(|v| v == 1 || v == 2),
        "{lang}: January's answers unchanged"
    );
    let (m1, m2) = (record_mean(jan, "").unwrap(), record_mean(apr, "").unwrap());

    // The trend: both dates, the overall change, a line of two points.
    let overall = b.js(
        "const r = document.querySelector('#cl-trend-table tbody tr'); return [...r.cells].map(c => c.textContent);",
        vec![],
    );
    let cells: Vec<&str> = overall
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        cells.len(),
        4,
        "{lang}: skill, two dates, change: {cells:?}"
    );
    assert!(cells[1].contains(&decimal(m1, lang)), "{cells:?}");
    assert!(cells[2].contains(&decimal(m2, lang)), "{cells:?}");
    assert_eq!(cells[3], change_text(m2 - m1, lang), "{lang}: {cells:?}");
    let skill_rows = b.js(
        "return document.querySelectorAll('#cl-trend-table tbody tr').length;",
        vec![],
    );
    let skills = b
        .js(
            "return JSON.parse(document.getElementById('checklist-data').textContent).skills.length;",
            vec![],
        )
        .as_u64()
        .unwrap();
    assert_eq!(skill_rows, json!(skills + 1), "overall and every skill");
    let xs = b.js(
        "return [...document.querySelectorAll('#cl-trend svg.cl-line circle')].map(c => +c.getAttribute('cx'));",
        vec![],
    );
    let xs: Vec<f64> = xs
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(xs.len(), 2, "{lang}: {xs:?}");
    if lang == "he" {
        assert!(xs[0] > xs[1], "time runs right to left in Hebrew: {xs:?}");
    } else {
        assert!(xs[0] < xs[1], "{xs:?}");
    }
    assert_eq!(
        b.js(
            "return document.querySelectorAll('#cl-trend svg.cl-line title, #cl-trend table caption').length;",
            vec![]
        ),
        json!(2),
        "the chart is named, its table captioned"
    );
    check_page(&b, &format!("{lang}: the trend"), width);
    shot("#cl-trend", "trend");
    shot(".cl-chart-box svg", "radar");
    // Sixteen skills' labels: none on another, none under 12 px at this width.
    let clash = b.js(
        "const svg = document.querySelector('.cl-chart-box svg.radar'), box = svg.getBoundingClientRect();
         const r = [...svg.querySelectorAll('text.label')].map(t => [t.textContent, t.getBoundingClientRect(), parseFloat(getComputedStyle(t).fontSize) * box.width / svg.viewBox.baseVal.width]);
         const out = [];
         r.forEach(([a, p, px], i) => {
           if (px < 12) out.push(a + ' ' + px.toFixed(1) + ' px');
           r.slice(i + 1).forEach(([b, q]) => {
             if (Math.min(p.right, q.right) - Math.max(p.left, q.left) > 1 && Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 1) out.push(a + ' / ' + b);
           });
         });
         return out;",
        vec![],
    );
    assert_eq!(clash, json!([]), "{lang} at {width}: radar labels");

    // Avi, once.
    b.click("#cl-new");
    rate_all(&b, &[2]);
    b.type_into("#cl-name", "Avi");
    set_date(&b, "2025-04-10");
    b.click("#cl-save");
    let recs = stored(&b, MANAGER);
    assert_eq!(recs.len(), 3);
    let avi = recs.iter().find(|r| r["name"] == "Avi").unwrap().clone();

    // The team view counts Dana once, with April's answers.
    let people = b.js(
        "return Math.max(...[...document.querySelectorAll('#cl-team-table .cl-n')].map(e => +e.textContent));",
        vec![],
    );
    assert_eq!(people, json!(2), "{lang}: Dana counts once");
    for (skill, _, _) in team_rows(&b) {
        let want = mean(
            [apr, &avi]
                .iter()
                .filter_map(|r| record_mean(r, &format!("{skill}/"))),
        );
        let got = b.text(&format!(
            "#cl-team-table tr[data-skill=\"{skill}\"] .cl-avg"
        ));
        if let Some(w) = want {
            assert!(
                got.starts_with(&decimal(w, lang)),
                "{lang}: {skill}: {got}, want {w}"
            );
        }
    }
    let rows = b.js(
        "return [...document.querySelectorAll('#cl-people-table tbody tr')].map(r => [r.querySelector('th').textContent, r.querySelector('.cl-change').textContent, r.querySelectorAll('svg.cl-sparkline').length]);",
        vec![],
    );
    assert_eq!(
        rows,
        json!([
            ["Dana Levi", change_text(m2 - m1, lang), 1],
            ["Avi", "–", 0]
        ]),
        "{lang}: people"
    );
    check_page(&b, &format!("{lang}: the team view"), width);
    shot("#cl-people-table", "team-people");

    // Files come back: the same one is not doubled; a deleted one is restored.
    click_in_row(&b, "Dana Levi", ".cl-open");
    b.click("#cl-export-json");
    let (_, jan_file) = last_download(&b);
    let jan_file_v: Value = serde_json::from_str(&jan_file).unwrap();
    assert_eq!(jan_file_v["date"], "2025-01-15");
    let dir = tempfile::tempdir().unwrap();
    upload_json(&b, dir.path(), "jan.json", &jan_file);
    assert_eq!(stored(&b, MANAGER).len(), 3, "{lang}: not imported twice");
    assert!(b.text(".cl-status").contains("Dana Levi"));
    click_in_row(&b, "Dana Levi", ".cl-delete");
    click_in_row(&b, "Dana Levi", ".cl-delete");
    let recs = stored(&b, MANAGER);
    assert_eq!(recs.len(), 2);
    assert!(
        recs.iter().all(|r| r["date"] != "2025-01-15"),
        "January deleted"
    );
    upload_json(&b, dir.path(), "jan.json", &jan_file);
    let recs = stored(&b, MANAGER);
    assert_eq!(recs.len(), 3, "{lang}: January restored");
    assert_eq!(
        recs.iter().find(|r| r["date"] == "2025-01-15").unwrap()["answers"],
        jan["answers"]
    );

    // The team in one file: every assessment a row, person by person.
    b.click("#cl-export-team-csv");
    let (_, csv) = last_download(&b);
    let lines: Vec<&str> = csv.trim_end().lines().collect();
    assert_eq!(lines.len(), 4, "{lang}: a header and three rows: {csv}");
    let sep = if lang == "lt" { ";" } else { "," };
    assert!(
        lines[1].starts_with(&format!("\"Dana Levi\"{sep}\"2025-01-15\"")),
        "{csv}"
    );
    assert!(
        lines[2].starts_with(&format!("\"Dana Levi\"{sep}\"2025-04-15\"")),
        "{csv}"
    );
    assert!(lines[3].starts_with("\"Avi\""), "{csv}");
    let change = format!("{:.2}", m2 - m1);
    let change = if lang == "lt" {
        change.replace('.', ",")
    } else {
        change
    };
    assert!(
        lines[2].ends_with(&format!("\"{change}\"")),
        "the change since January: {}",
        lines[2]
    );

    // The printed report: April's assessment opened, printed on one page.
    let april = b.js(
        "return [...document.querySelectorAll('#cl-saved li[data-assessment]')].findIndex(li => li.querySelector('.cl-saved-date').textContent === '2025-04-15');",
        vec![],
    );
    b.js(
        "document.querySelectorAll('#cl-saved li[data-assessment]')[arguments[0]].querySelector('.cl-open').click();",
        vec![april],
    );
    // The form still held deleted January's answers: Open asks first.
    if visible(&b, "#cl-ask") {
        b.click("#cl-ask-discard");
    }
    assert_eq!(
        b.js("return document.getElementById('cl-date').value;", vec![]),
        json!("2025-04-15")
    );
    b.js(
        "window.__printed = null;
         window.print = () => { window.__printed = document.documentElement.classList.contains('cl-print-report'); };",
        vec![],
    );
    b.click("#cl-print-report");
    assert_eq!(
        b.js("return window.__printed;", vec![]),
        json!(true),
        "printed in report mode"
    );
    b.wait_for(
        "return !document.documentElement.classList.contains('cl-print-report');",
        "the page back to normal",
    );
    assert!(!visible(&b, "#cl-report"), "the report is for paper only");
    b.js(
        "document.documentElement.classList.add('cl-print-report');",
        vec![],
    );
    b.print_media(true);
    b.resize(794, 1123);
    assert!(visible(&b, "#cl-report"));
    assert!(!visible(&b, "#checklist-form"), "the report alone");
    assert!(!visible(&b, "#cl-team"));
    let report = b.text("#cl-report");
    assert!(report.contains("Dana Levi"), "{report}");
    assert_eq!(
        b.js(
            "return [document.querySelectorAll('#cl-report .cl-report-weak > li').length,
                     document.querySelectorAll('#cl-report svg.radar').length,
                     document.querySelectorAll('#cl-report svg.cl-line circle').length,
                     document.querySelectorAll('#cl-report .cl-report-weak a').length > 0];",
            vec![]
        ),
        json!([3, 1, 2, true]),
        "{lang}: three weakest skills with reading, the radar, the trend"
    );
    shot("#cl-report", "report");
    let height = b.js("return document.documentElement.scrollHeight;", vec![]);
    eprintln!("{lang} {width}: the report is {height} px high");
    let pdf = b.pdf_a4();
    std::fs::write(dir.path().join("report.pdf"), &pdf).unwrap();
    if let Ok(d) = std::env::var("CHECKLIST_SCREENSHOTS") {
        std::fs::write(
            std::path::Path::new(&d).join(format!("report-{lang}-{width}.pdf")),
            &pdf,
        )
        .unwrap();
    }
    assert_eq!(
        browser::pdf_pages(&pdf),
        1,
        "{lang}: the report on one A4 page"
    );
    // The whole checklist printed (Ctrl+P): the person's name is filled in.
    b.js(
        "document.documentElement.classList.remove('cl-print-report');",
        vec![],
    );
    assert!(visible(&b, "#checklist-form"));
    assert!(!visible(&b, "#cl-report"));
    let line = b.text(".person-line");
    assert!(
        line.contains("Dana Levi") && !line.contains("___"),
        "{lang}: {line}"
    );
    b.print_media(false);
    check_page(&b, &format!("{lang}: after printing"), width);
}

#[test]
fn progress_en_phone() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    progress_flow("en", 390);
}

#[test]
fn progress_en_desktop() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    progress_flow("en", 1280);
}

#[test]
fn progress_he_phone() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    progress_flow("he", 390);
}

#[test]
fn progress_he_desktop() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    progress_flow("he", 1280);
}

/// The team lead assesses Dana; Dana assesses herself on her own browser and
/// imports the team lead's file: the two compare on their shared skills and
/// items, biggest difference first, on their own scales; the file is kept
/// with its own checklist (not counted in the self-assessments), not twice,
/// and a file that does not fit that checklist is refused, named by title.
fn self_vs_manager(lang: &str, width: u32) {
    let b = Browser::on_site(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
    let shot = |sel: &str, what: &str| b.screenshot_of(sel, &format!("{what}-{lang}-{width}"));
    // Clicked by script: on a phone the sticky bar covers the top row.
    let rate_keys = |pairs: &[(&str, u32)]| {
        for (k, v) in pairs {
            b.js(
                "document.querySelector('input[name=\"' + arguments[0] + '\"][value=\"' + arguments[1] + '\"]').click();",
                vec![json!(k), json!(v.to_string())],
            );
        }
    };
    open_clean(&b, lang, MANAGER, width);
    // The team lead: scale 1 to 4.
    rate_keys(&[
        ("patience/lets-customer-finish", 1),
        ("listening/summarises-request", 4),
        ("empathy/names-the-feeling", 2),
        ("thoroughness/covers-every-issue", 3),
        ("courtesy/asks-before-hold", 4),
    ]);
    b.type_into("#cl-name", "Dana Levi");
    set_date(&b, "2025-03-01");
    b.click("#cl-save");
    b.click("#cl-export-json");
    let (_, manager_file) = last_download(&b);
    let titles = b.js(
        "return JSON.parse(document.getElementById('checklist-data').textContent).titles;",
        vec![],
    );
    let manager_title = titles[MANAGER].as_str().unwrap().to_string();
    let self_title = titles[SELF].as_str().unwrap().to_string();

    // Dana, on her own browser: scale 1 to 5.
    open_clean(&b, lang, SELF, width);
    rate_keys(&[
        ("patience/lets-customer-finish", 5),
        ("listening/summarises-request", 2),
        ("empathy/names-the-feeling", 3),
        ("thoroughness/covers-every-issue", 3),
    ]);
    b.type_into("#cl-name", "dana  levi"); // the same person, typed otherwise
    b.click("#cl-save");
    b.wait_for(
        "return document.querySelector('#cl-versus .cl-versus-none');",
        "the hint to import",
    );
    assert!(b.text("#cl-versus").contains(&manager_title), "{lang}");

    let dir = tempfile::tempdir().unwrap();
    upload_json(&b, dir.path(), "team-lead.json", &manager_file);
    let status = b.text(".cl-status");
    assert!(
        status.contains(&manager_title) && !status.contains(MANAGER),
        "{lang}: named by title: {status}"
    );
    assert!(!visible(&b, ".cl-alert"), "{lang}");
    assert_eq!(stored(&b, MANAGER).len(), 1);
    assert_eq!(
        stored(&b, SELF).len(),
        1,
        "{lang}: not among the self-assessments"
    );
    assert!(b.text("#cl-team-link").contains('1'));

    // Side by side, biggest difference first: patience 100% vs 0%, listening
    // 25% vs 100%, empathy 50% vs 33%, thoroughness 50% vs 67%.
    let table = format!("#cl-versus-skills-{MANAGER}");
    let rows = b.js(
        "return [...document.querySelectorAll(arguments[0] + ' tbody tr')].map(r => [r.dataset.key, r.querySelector('.cl-diff').textContent]);",
        vec![json!(table)],
    );
    let rows = rows.as_array().unwrap();
    assert_eq!(rows[0], json!(["patience", "+100"]), "{lang}: {rows:?}");
    assert_eq!(
        rows[1],
        json!(["listening", "\u{2212}75"]),
        "{lang}: {rows:?}"
    );
    let mid: Vec<&Value> = rows[2..4].iter().map(|r| &r[1]).collect();
    assert!(
        mid.contains(&&json!("+17")) && mid.contains(&&json!("\u{2212}17")),
        "{rows:?}"
    );
    // Courtesy is not in the self-assessment; skills answered on one side only come last.
    assert!(rows.iter().all(|r| r[0] != "courtesy"), "{rows:?}");
    assert!(rows[4..].iter().all(|r| r[1] == "–"), "{rows:?}");
    let heads = b.js(
        "return [...document.querySelectorAll(arguments[0] + ' thead th')].map(h => h.textContent);",
        vec![json!(table)],
    );
    assert_eq!(heads[1], json!(self_title));
    assert_eq!(heads[2], json!(manager_title));
    let first_item = b.js(
        "return document.querySelector(arguments[0] + ' tbody tr').dataset.key;",
        vec![json!(format!("#cl-versus-items-{MANAGER}"))],
    );
    assert_eq!(first_item, json!("patience/lets-customer-finish"));
    check_page(&b, &format!("{lang}: self vs team lead"), width);
    shot("#cl-versus", "versus");

    // The same file again: known, not doubled. A file the team lead's
    // checklist cannot hold (5 on its 1-4 scale) is refused, by title.
    upload_json(&b, dir.path(), "team-lead.json", &manager_file);
    assert_eq!(stored(&b, MANAGER).len(), 1, "{lang}: not imported twice");
    let mut bad: Value = serde_json::from_str(&manager_file).unwrap();
    bad["answers"]["patience/lets-customer-finish"] = json!(5);
    bad["id"] = json!("another-id-1234");
    upload_json(&b, dir.path(), "bad.json", &bad.to_string());
    let alert = b.text(".cl-alert");
    assert!(
        alert.contains("bad.json") && alert.contains(&manager_title) && !alert.contains(MANAGER),
        "{lang}: {alert}"
    );
    assert_eq!(stored(&b, MANAGER).len(), 1);

    // On the team lead's page (same browser): the record is there once, and
    // compares with Dana's self-assessment the other way round.
    b.goto(&format!("/{lang}/checklists/{MANAGER}/"));
    b.wait_for("return document.querySelector('#cl-saved');", "the script");
    assert_eq!(saved_names(&b), vec!["Dana Levi".to_string()]);
    click_in_row(&b, "Dana Levi", ".cl-open");
    let back = b.js(
        "return [...document.querySelectorAll(arguments[0] + ' tbody tr')].map(r => [r.dataset.key, r.querySelector('.cl-diff').textContent]).slice(0, 2);",
        vec![json!(format!("#cl-versus-skills-{SELF}"))],
    );
    assert_eq!(
        back,
        json!([["patience", "\u{2212}100"], ["listening", "+75"]]),
        "{lang}"
    );
    check_page(&b, &format!("{lang}: team lead vs self"), width);
}

#[test]
fn self_vs_manager_en_phone() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    self_vs_manager("en", 390);
}

#[test]
fn self_vs_manager_en_desktop() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    self_vs_manager("en", 1280);
}

#[test]
fn self_vs_manager_he_phone() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    self_vs_manager("he", 390);
}

#[test]
fn self_vs_manager_he_desktop() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    self_vs_manager("he", 1280);
}

#[test]
fn self_vs_manager_lt_phone() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    self_vs_manager("lt", 390);
}

#[test]
fn progress_lt_desktop() {
    if crate::skip(crate::CHROMIUM) {
        return;
    }
    progress_flow("lt", 1280);
}
