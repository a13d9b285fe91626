//! The translator's tools on real sites: `i18n` (table and JSON),
//! `translate` (stub, refusal, `--force`, `--update`), the translation
//! status page, and `init`.

use crate::common;
use common::{run, Site};
use serde_json::Value;

fn json_report(s: &Site, extra: &[&str]) -> Value {
    let mut args = vec!["i18n", "--format", "json"];
    args.extend_from_slice(extra);
    let r = s.run(&args);
    assert!(r.ok(), "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn body_hash(s: &Site, rel: &str) -> String {
    let text = s.read(rel);
    let body = text.splitn(3, "---\n").nth(2).unwrap();
    servicekb::hash::source_hash(body)
}

#[test]
fn i18n_json_reports_coverage_missing_and_outdated() {
    let s = Site::sample();
    let r = json_report(&s, &[]);
    assert_eq!(r["version"], 1);
    assert_eq!(r["default_language"], "en");
    let he = &r["languages"]["he"];
    assert_eq!(he["direction"], "rtl");
    // Two articles, one translated.
    assert_eq!(he["coverage"]["articles"]["present"], 1);
    assert_eq!(he["coverage"]["articles"]["total"], 2);
    assert_eq!(he["coverage"]["articles"]["percent"], 50.0);
    let missing: Vec<&str> = he["missing"]["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["source"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["content/articles/skills/waiting.en.md"]);
    // patience has no Hebrew `why`… it has none in English either; empathy's `why` is English only.
    let fields: Vec<String> = he["missing"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["id"].as_str().unwrap(),
                f["field"].as_str().unwrap()
            )
        })
        .collect();
    assert!(fields.contains(&"empathy:why".to_string()), "{fields:?}");
    assert!(he["outdated"].as_array().unwrap().is_empty());

    // Change the English source: the Hebrew version is outdated, with the new hash.
    s.replace(
        "content/articles/skills/empathy.en.md",
        "Say it.",
        "Say it, kindly.",
    );
    let r = json_report(&s, &["--lang", "he"]);
    assert!(r["languages"]["en"].is_null(), "--lang keeps one language");
    let outdated = &r["languages"]["he"]["outdated"];
    assert_eq!(outdated.as_array().unwrap().len(), 1);
    assert_eq!(outdated[0]["file"], "content/articles/skills/empathy.he.md");
    assert_eq!(
        outdated[0]["current_hash"],
        body_hash(&s, "content/articles/skills/empathy.en.md")
    );
    assert_ne!(outdated[0]["recorded_hash"], outdated[0]["current_hash"]);
}

#[test]
fn i18n_table_reads_as_a_to_do_list() {
    let s = Site::sample();
    s.replace(
        "content/articles/skills/empathy.en.md",
        "Say it.",
        "Say it again.",
    );
    let r = s.run(&["i18n"]);
    assert!(r.ok(), "{}", r.stderr);
    let he_block = r.stdout.split("\nhe").nth(1).expect("a Hebrew section");
    assert!(he_block.contains("articles 1/2 (50%)"), "{}", r.stdout);
    assert!(he_block.contains("content/articles/skills/waiting.en.md"));
    assert!(he_block.contains("content/articles/skills/empathy.he.md"));
    assert!(he_block.contains(&body_hash(&s, "content/articles/skills/empathy.en.md")));
    for line in r.stdout.lines() {
        assert!(
            line.chars().count() <= 100,
            "fits a terminal: {line:?} ({} chars)",
            line.chars().count()
        );
    }
}

#[test]
fn translate_writes_a_stub_that_is_not_outdated_and_refuses_to_overwrite() {
    let s = Site::sample();
    let r = s.run(&[
        "translate",
        "content/articles/skills/waiting.en.md",
        "--to",
        "he",
    ]);
    assert!(r.ok(), "{}", r.stderr);
    let stub_rel = "content/articles/skills/waiting.he.md";
    assert!(r.stdout.contains(stub_rel), "prints the path: {}", r.stdout);
    let stub = s.read(stub_rel);
    let hash = body_hash(&s, "content/articles/skills/waiting.en.md");
    assert!(stub.contains("source: en"), "{stub}");
    assert!(stub.contains(&format!("source_hash: \"{hash}\"")), "{stub}");
    assert!(
        stub.contains("Explain the wait."),
        "the source text below: {stub}"
    );
    assert!(!stub.contains("draft: true"));
    // The fresh stub is not outdated, and the site builds with it.
    let rep = json_report(&s, &["--lang", "he"]);
    assert!(rep["languages"]["he"]["outdated"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(rep["languages"]["he"]["coverage"]["articles"]["present"], 2);
    let check = s.check();
    assert!(check.ok(), "{}", check.stderr);
    assert!(!check.stderr.contains("waiting.he.md"), "{}", check.stderr);

    // A second run refuses and leaves the file alone.
    s.write(
        stub_rel,
        &stub.replace("Explain the wait.", "הסבירו את ההמתנה."),
    );
    let again = s.run(&[
        "translate",
        "content/articles/skills/waiting.en.md",
        "--to",
        "he",
    ]);
    assert!(!again.ok());
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert!(s.read(stub_rel).contains("הסבירו את ההמתנה."));

    // --force overwrites.
    let forced = s.run(&[
        "translate",
        "content/articles/skills/waiting.en.md",
        "--to",
        "he",
        "--force",
    ]);
    assert!(forced.ok(), "{}", forced.stderr);
    assert!(s.read(stub_rel).contains("Explain the wait."));

    // Unknown language and missing file are plain errors.
    let bad = s.run(&[
        "translate",
        "content/articles/skills/waiting.en.md",
        "--to",
        "fr",
    ]);
    assert!(!bad.ok() && bad.stderr.contains("fr"), "{}", bad.stderr);
    let gone = s.run(&["translate", "content/articles/nope.en.md", "--to", "he"]);
    assert!(
        !gone.ok() && gone.stderr.contains("nope.en.md"),
        "{}",
        gone.stderr
    );
}

#[test]
fn translate_update_keeps_the_translation_and_shows_what_changed() {
    let s = Site::sample();
    s.replace(
        "content/articles/skills/empathy.en.md",
        "Say it.",
        "Say it, then pause.",
    );
    let r = s.run(&[
        "translate",
        "content/articles/skills/empathy.en.md",
        "--to",
        "he",
        "--update",
    ]);
    assert!(r.ok(), "{}", r.stderr);
    let he = s.read("content/articles/skills/empathy.he.md");
    assert!(
        he.contains("אמרו זאת."),
        "the old translation is kept: {he}"
    );
    assert!(
        he.contains("Say it, then pause."),
        "the new source text is shown: {he}"
    );
    let hash = body_hash(&s, "content/articles/skills/empathy.en.md");
    assert!(he.contains(&hash), "tells the hash to set: {he}");
}

#[test]
fn translation_status_page_is_off_by_default_and_lists_the_work() {
    let s = Site::sample();
    assert!(s.build().ok());
    assert!(!s.exists("public/he/translation-status/index.html"));

    s.write(
        "site.yaml",
        &format!("{}translation_status: true\n", common::SITE_YAML),
    );
    s.replace(
        "content/articles/skills/empathy.en.md",
        "Say it.",
        "Say it warmly.",
    );
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    let page = s.page("/he/translation-status/");
    assert!(page.contains("lang=\"he\" dir=\"rtl\""));
    assert!(page.contains("noindex"));
    // Outdated: the Hebrew empathy article, with the source's current hash.
    assert!(
        page.contains("content/articles/skills/empathy.he.md"),
        "{page}"
    );
    assert!(page.contains(&body_hash(&s, "content/articles/skills/empathy.en.md")));
    // With the command that shows what changed, word by word.
    assert!(page.contains("servicekb i18n diff content/articles/skills/empathy.en.md --to he"));
    // Missing: the waiting article, with the command that starts it.
    assert!(page.contains("servicekb translate content/articles/skills/waiting.en.md --to he"));
    // The coverage table.
    assert!(page.contains("1 / 2"), "{page}");
    // Linked from every page's footer; not in the sitemap.
    assert!(s.page("/he/").contains("/he/translation-status/"));
    assert!(!s.read("public/sitemap.xml").contains("translation-status"));
}

#[test]
fn init_site_builds_and_passes_strict_check() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("my-kb");
    let r = run(&["init", target.to_str().unwrap()], dir.path());
    assert!(r.ok(), "{}", r.stderr);
    for f in [
        "site.yaml",
        "content/skills",
        "content/checklists",
        "content/articles",
    ] {
        assert!(target.join(f).exists(), "init writes {f}");
    }
    // The YAML teaches the format with comments.
    let site_yaml = std::fs::read_to_string(target.join("site.yaml")).unwrap();
    assert!(
        site_yaml
            .lines()
            .filter(|l| l.trim_start().starts_with('#'))
            .count()
            >= 3
    );
    let root = target.to_str().unwrap();
    let check = run(&["check", "--strict", "--root", root], dir.path());
    assert!(check.ok(), "{}{}", check.stdout, check.stderr);
    let build = run(&["build", "--root", root], dir.path());
    assert!(build.ok(), "{}", build.stderr);
    assert!(target.join("public/index.html").exists());
    // Two languages, one skill, one article, one checklist.
    let langs: Vec<_> = std::fs::read_dir(target.join("public"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("checklists").is_dir())
        .collect();
    assert_eq!(langs.len(), 2);
    // init refuses a folder that already holds a site.
    let again = run(&["init", root], dir.path());
    assert!(!again.ok(), "{}", again.stdout);
    assert_eq!(
        site_yaml,
        std::fs::read_to_string(target.join("site.yaml")).unwrap()
    );
}

/// A site whose only language has no UI strings in the theme builds, and
/// the warning says which language its menus are shown in: the theme's own
/// English, as the default language has none to give.
#[test]
fn a_language_without_ui_strings_is_told_where_its_menus_come_from() {
    let s = Site::empty();
    s.write(
        "site.yaml",
        "title: Wissensbasis\nbase_url: https://kb.example.org\ndefault_language: de\nlanguages:\n  - { code: de, name: Deutsch }\n",
    );
    s.write(
        "content/articles/guide/zuhoeren.md",
        "---\ntitle: Zuhören\n---\n\nGut zuhören.\n",
    );
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    assert!(
        r.stderr.contains("the theme has no UI strings for `de`: menus and labels are shown in English, the theme's own (add i18n/de.yaml)"),
        "{}",
        r.stderr
    );
    assert!(s
        .page("/de/articles/guide/zuhoeren/")
        .contains("Skip to content"));
    // When the default language is one the theme has strings for, the
    // warning names it.
    s.replace("site.yaml", "default_language: de", "default_language: en");
    s.replace(
        "site.yaml",
        "  - { code: de, name: Deutsch }\n",
        "  - { code: de, name: Deutsch }\n  - { code: en, name: English }\n",
    );
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("menus and labels are shown in the default language (`en`)"),
        "{}",
        r.stderr
    );
}
