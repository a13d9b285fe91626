//! Incremental rebuilds give the same bytes as a full build of the same
//! files, re-render few pages, and keep the last good site on errors.

use crate::common;
use common::Site;
use servicekb::incremental::{Rebuild, State};
use servicekb::load::article::Prepare;
use servicekb::load::LoadOptions;
use std::path::PathBuf;

/// Loaded as `serve` loads a site: bodies kept, prepared with search words.
fn state(s: &Site) -> State {
    let opts = LoadOptions {
        prepare: Prepare::HtmlAndWords,
        ..LoadOptions::default()
    };
    match State::load(s.path(), &opts) {
        Ok((st, _)) => st,
        Err(e) => panic!("sample loads: {e:?}"),
    }
}

/// Apply a change to `rel` and check the in-memory output equals a full build.
fn same_as_full(st: &mut State, rels: &[&str]) -> Rebuild {
    let paths: Vec<PathBuf> = rels.iter().map(|r| st.root.join(r)).collect();
    let r = st
        .apply(&paths)
        .unwrap_or_else(|e| panic!("rebuild failed: {e:?}"));
    let fresh = st.fresh_files().expect("full build");
    let mine = &st.out.files;
    let only_mine: Vec<_> = mine.keys().filter(|k| !fresh.contains_key(*k)).collect();
    let only_fresh: Vec<_> = fresh.keys().filter(|k| !mine.contains_key(*k)).collect();
    let differ: Vec<_> = fresh
        .keys()
        .filter(|k| mine.get(*k).is_some_and(|v| v != &fresh[*k]))
        .collect();
    assert!(
        only_mine.is_empty() && only_fresh.is_empty() && differ.is_empty(),
        "after {rels:?}: stale {only_mine:?}, missing {only_fresh:?}, differ {differ:?}"
    );
    r
}

/// Replace `from` by `to` in `rel`, rebuild, and check against a full build.
fn edit(s: &Site, st: &mut State, rel: &str, from: &str, to: &str) -> Rebuild {
    s.replace(rel, from, to);
    same_as_full(st, &[rel])
}

const WAITING: &str = "content/articles/skills/waiting.en.md";
const EMPATHY: &str = "content/articles/skills/empathy.en.md";

#[test]
fn editing_an_article_body_re_renders_few_pages() {
    let s = Site::sample();
    let mut st = state(&s);
    let total = st.out.metas.len();
    let r = edit(
        &s,
        &mut st,
        WAITING,
        "Explain the wait.",
        "Explain the wait, twice.",
    );
    assert!(!r.full);
    assert_eq!(
        r.pages, 1,
        "a body edit re-renders the article alone ({total} pages in all)"
    );
    let mut files = r.files.clone();
    files.sort();
    assert_eq!(
        files,
        [
            "en/articles/skills/waiting/index.html",
            "en/search-index.json"
        ]
    );
    // A source edit re-renders its translations too (their outdated notice).
    let r = edit(&s, &mut st, EMPATHY, "Say it.", "Say it clearly.");
    assert_eq!(r.pages, 2);
}

/// With the translation status page on, a body edit re-renders the status
/// pages only when the article is the source of a translation (the page
/// shows its hash).
#[test]
fn body_edits_re_render_translation_status_only_for_sources() {
    let s = Site::sample();
    s.write(
        "site.yaml",
        &format!("{}translation_status: true\n", common::SITE_YAML),
    );
    let mut st = state(&s);
    let r = edit(
        &s,
        &mut st,
        WAITING,
        "Explain the wait.",
        "Explain the wait, twice.",
    );
    assert!(!r.full);
    assert_eq!(r.pages, 1, "not a source: the article alone");
    let r = edit(&s, &mut st, EMPATHY, "Say it.", "Say it clearly.");
    assert!(!r.full);
    let mut files = r.files.clone();
    files.sort();
    assert!(
        files.contains(&"he/translation-status/index.html".to_string()),
        "a source: the translation's status page shows the new hash, {files:?}"
    );
}

#[test]
fn title_skills_slug_and_date_edits_match_a_full_build() {
    let s = Site::sample();
    let mut st = state(&s);
    edit(
        &s,
        &mut st,
        WAITING,
        "title: Waiting on hold",
        "title: Holding the line",
    );
    edit(
        &s,
        &mut st,
        WAITING,
        "skills: [patience]",
        "skills: [patience, empathy]",
    );
    let r = edit(
        &s,
        &mut st,
        WAITING,
        "date: 2026-02-01",
        "date: 2026-04-01\nslug: on-hold",
    );
    assert!(
        r.files
            .contains(&"en/articles/skills/waiting/index.html".to_string()),
        "old URL removed"
    );
    assert!(st
        .out
        .files
        .contains_key("en/articles/skills/on-hold/index.html"));
}

/// What lists show of an article (its description, its place by weight
/// and date, its skills, its updated date) changes every list under
/// `serve` as a full build would.
#[test]
fn description_weight_updated_and_date_edits_match_a_full_build() {
    let s = Site::sample();
    let mut st = state(&s);
    for (from, to) in [
        (
            "title: Waiting on hold\n",
            "title: Waiting on hold\ndescription: How to hold.\n",
        ),
        (
            "description: How to hold.\n",
            "description: How to hold a call well.\n",
        ),
        ("date: 2026-02-01\n", "date: 2026-02-01\nweight: 1\n"),
        ("weight: 1\n", "weight: 9\n"),
        (
            "date: 2026-02-01\n",
            "date: 2025-01-01\nupdated: 2026-05-05\n",
        ),
        ("skills: [patience]", "skills: [empathy]"),
    ] {
        let r = edit(&s, &mut st, WAITING, from, to);
        assert!(!r.full, "{to:?}: not a full rebuild");
        assert!(r.pages > 1, "{to:?}: lists that show it are rendered again");
    }
}

#[test]
fn adding_translating_and_deleting_articles() {
    let s = Site::sample();
    let mut st = state(&s);
    s.write(
        "content/articles/skills/new.en.md",
        "---\ntitle: New one\nskills: [empathy]\n---\n\nSee [](@/articles/skills/waiting.md).\n",
    );
    same_as_full(&mut st, &["content/articles/skills/new.en.md"]);
    s.write(
        "content/articles/skills/waiting.he.md",
        "---\ntitle: המתנה\nskills: [patience]\n---\n\n## בהמתנה {#on-hold}\n\nטקסט.\n",
    );
    same_as_full(&mut st, &["content/articles/skills/waiting.he.md"]);
    std::fs::remove_file(s.path().join("content/articles/skills/new.en.md")).unwrap();
    same_as_full(&mut st, &["content/articles/skills/new.en.md"]);
    // A new topic folder changes every page's menu.
    s.write(
        "content/articles/hiring/first.md",
        "---\ntitle: First\n---\n\nHi.\n",
    );
    let r = same_as_full(&mut st, &["content/articles/hiring/first.md"]);
    assert!(r.full);
}

#[test]
fn skill_and_checklist_edits_match_a_full_build() {
    let s = Site::sample();
    let mut st = state(&s);
    s.replace(
        "content/skills/patience.yaml",
        "name: { en: Patience, he: סבלנות }",
        "name: { en: Calm patience, he: סבלנות רבה }",
    );
    same_as_full(&mut st, &["content/skills/patience.yaml"]);
    s.write("content/skills/listening.yaml", "name: { en: Listening, he: הקשבה }\nindicators:\n  - id: lets-finish\n    text: { en: Lets them finish. }\nrelated: [empathy]\n");
    same_as_full(&mut st, &["content/skills/listening.yaml"]);
    s.replace(
        "content/checklists/self-check.yaml",
        "skills: [empathy, patience]",
        "skills: [empathy, patience, listening]",
    );
    same_as_full(&mut st, &["content/checklists/self-check.yaml"]);
    s.replace(
        "content/checklists/self-check.yaml",
        "title: { en: Self check, he: בדיקה עצמית }",
        "title: { en: My check, he: הבדיקה שלי }",
    );
    same_as_full(&mut st, &["content/checklists/self-check.yaml"]);
}

#[test]
fn templates_site_yaml_and_static_files() {
    let s = Site::sample();
    let mut st = state(&s);
    s.write(
        "themes/default/templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Lost</h1>{% endblock content %}",
    );
    let r = same_as_full(&mut st, &["themes/default/templates/404.html"]);
    assert!(r.full);
    s.replace("site.yaml", "Test KB", "Test Knowledge Base");
    assert!(same_as_full(&mut st, &["site.yaml"]).full);
    s.write("static/robots.txt", "User-agent: *\n");
    let r = same_as_full(&mut st, &["static/robots.txt"]);
    assert_eq!(r.files, vec!["robots.txt".to_string()]);
    assert_eq!(r.pages, 0);
    std::fs::remove_file(s.path().join("static/robots.txt")).unwrap();
    same_as_full(&mut st, &["static/robots.txt"]);
    s.write("themes/default/static/style.css", "body { color: black }");
    let r = same_as_full(&mut st, &["themes/default/static/style.css"]);
    assert!(r.css_only(), "{:?}", r.files);
}

#[test]
fn a_broken_file_keeps_the_last_good_site_and_a_fix_recovers() {
    let s = Site::sample();
    let mut st = state(&s);
    let before = st.out.files.clone();
    s.replace(
        "content/skills/patience.yaml",
        "category: self-management\n",
        "category: self-management: [broken\n",
    );
    let e = st
        .apply(&[s.path().join("content/skills/patience.yaml")])
        .unwrap_err();
    assert!(
        e.iter()
            .any(|d| d.file == "content/skills/patience.yaml" && d.line == Some(1)),
        "{e:?}"
    );
    assert_eq!(before, st.out.files, "last good output kept");
    s.replace(
        "content/articles/skills/waiting.en.md",
        "(@/articles/skills/empathy.md#name-the-feeling)",
        "(@/articles/skills/empathy.md#nope)",
    );
    assert!(st
        .apply(&[s.path().join("content/articles/skills/waiting.en.md")])
        .is_err());
    assert_eq!(before, st.out.files);
    s.replace(
        "content/skills/patience.yaml",
        "category: self-management: [broken\n",
        "category: self-management\n",
    );
    s.replace(
        "content/articles/skills/waiting.en.md",
        "#nope)",
        "#name-the-feeling)",
    );
    same_as_full(
        &mut st,
        &[
            "content/skills/patience.yaml",
            "content/articles/skills/waiting.en.md",
        ],
    );
    assert_eq!(before, st.out.files, "back to the same site");
}

#[test]
fn unrelated_paths_are_ignored() {
    let s = Site::sample();
    let mut st = state(&s);
    s.write("content/articles/skills/.waiting.en.md.swp", "x");
    s.write("notes.txt", "x");
    let r = st
        .apply(&[
            s.path().join("content/articles/skills/.waiting.en.md.swp"),
            s.path().join("notes.txt"),
            s.path().join("public/en/index.html"),
        ])
        .unwrap();
    assert_eq!(r.pages, 0);
    assert!(r.files.is_empty());
}

/// Editors that save through a temporary file and a rename (sed -i,
/// JetBrains' safe write, gedit) report the temporary file too, gone by the
/// time the change is applied: the article is rebuilt alone, not the site.
#[test]
fn a_save_through_a_temporary_file_is_a_body_edit_not_a_full_build() {
    let s = Site::sample();
    let mut st = state(&s);
    for tmp in [
        "sedAb12Cd",
        "waiting.en.md___jb_tmp___",
        ".goutputstream-XY12",
    ] {
        let tmp_rel = format!("content/articles/skills/{tmp}");
        s.write(
            &tmp_rel,
            &s.read(WAITING)
                .replace("Explain the wait", "Explain the wait calmly"),
        );
        std::fs::rename(s.path().join(&tmp_rel), s.path().join(WAITING)).unwrap();
        let r = same_as_full(&mut st, &[&tmp_rel, WAITING]);
        assert!(!r.full, "{tmp}: not a full rebuild");
        assert!(
            r.pages > 0 && r.pages < st.out.metas.len() / 2,
            "{tmp}: {} pages",
            r.pages
        );
        s.replace(WAITING, "Explain the wait calmly", "Explain the wait");
        same_as_full(&mut st, &[WAITING]);
    }
    // A folder of articles that goes away is still a full build.
    std::fs::create_dir_all(s.path().join("content/articles/extra")).unwrap();
    s.write(
        "content/articles/extra/more.en.md",
        "---\ntitle: More\n---\n\nText.\n",
    );
    let r = same_as_full(&mut st, &["content/articles/extra"]);
    assert!(r.full);
    std::fs::rename(
        s.path().join("content/articles/extra"),
        s.path().join("elsewhere"),
    )
    .unwrap();
    let r = same_as_full(&mut st, &["content/articles/extra"]);
    assert!(r.full, "a vanished folder of articles");
    assert!(!st.out.files.keys().any(|k| k.contains("articles/extra")));
}
