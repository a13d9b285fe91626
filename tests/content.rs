//! The bundled knowledge base (the repository's own content/) is complete,
//! cross-linked, in all four languages, and written afresh rather than
//! copied from its sources.

mod common;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

const LANGS: [&str; 4] = ["en", "he", "lt", "pl"];

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(rel: &str, ext: &str) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = walkdir::WalkDir::new(repo().join(rel))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext))
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

/// (article key without language, language) → file text.
fn articles() -> BTreeMap<(String, String), String> {
    files_under("content/articles", "md")
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(repo().join("content/articles"))
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let stem = rel.trim_end_matches(".md");
            let (key, lang) = stem.rsplit_once('.').expect("a language suffix");
            (
                (key.to_string(), lang.to_string()),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

fn body(text: &str) -> &str {
    text.splitn(3, "---\n").nth(2).unwrap_or("")
}

#[test]
fn strict_check_passes_and_every_text_exists_in_every_language() {
    let r = common::run(
        &["check", "--strict", "--root", repo().to_str().unwrap()],
        repo(),
    );
    assert!(r.ok(), "{}{}", r.stdout, r.stderr);
    let r = common::run(
        &[
            "i18n",
            "--format",
            "json",
            "--root",
            repo().to_str().unwrap(),
        ],
        repo(),
    );
    assert!(r.ok(), "{}", r.stderr);
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    for lang in LANGS {
        let l = &report["languages"][lang];
        for kind in [
            "articles",
            "skill_fields",
            "checklist_strings",
            "ui_strings",
        ] {
            assert_eq!(
                l["coverage"][kind]["percent"], 100.0,
                "{lang}: {kind} fully translated: {}",
                l["coverage"][kind]
            );
        }
        assert!(
            l["outdated"].as_array().unwrap().is_empty(),
            "{lang}: {}",
            l["outdated"]
        );
    }
}

#[test]
fn skills_checklists_and_articles_are_all_there() {
    let skills = files_under("content/skills", "yaml");
    assert!(skills.len() >= 24, "at least 24 skills: {}", skills.len());
    let mut categories = BTreeSet::new();
    for p in &skills {
        let y: serde_yaml::Value =
            serde_yaml::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        categories.insert(y["category"].as_str().unwrap().to_string());
        let n = y["indicators"].as_sequence().map_or(0, |s| s.len());
        assert!(
            n >= 3,
            "{}: at least three indicators, has {n}",
            p.display()
        );
        for field in ["name", "summary", "why", "development"] {
            for lang in LANGS {
                assert!(
                    y[field][lang]
                        .as_str()
                        .is_some_and(|t| !t.trim().is_empty()),
                    "{}: {field} in {lang}",
                    p.display()
                );
            }
        }
        if y["category"] != "management-practices" {
            let q = y["interview_questions"]
                .as_sequence()
                .map_or(0, |s| s.len());
            assert!(q >= 1, "{}: interview questions", p.display());
        }
    }
    assert!(categories.len() >= 3, "{categories:?}");

    let checklists = files_under("content/checklists", "yaml");
    let ids: BTreeSet<String> = checklists
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    for id in [
        "agent-self-assessment",
        "manager-agent-assessment",
        "hiring-interview",
        "retention-health-check",
    ] {
        assert!(ids.contains(id), "checklist {id}: {ids:?}");
    }

    let arts = articles();
    let keys: BTreeSet<&String> = arts.keys().map(|(k, _)| k).collect();
    assert!(keys.len() >= 8, "at least eight articles: {}", keys.len());
    for k in &keys {
        for lang in LANGS {
            assert!(
                arts.contains_key(&((*k).clone(), lang.to_string())),
                "{k} in {lang}"
            );
        }
        let en = body(&arts[&((*k).clone(), "en".to_string())]);
        let words = en.split_whitespace().count();
        let min = if k.starts_with("about/") { 400 } else { 600 };
        assert!(words >= min, "{k}: {words} English words");
    }
}

#[test]
fn articles_are_densely_cross_linked() {
    let arts = articles();
    for ((key, lang), text) in &arts {
        let b = body(text);
        let article_links: BTreeSet<&str> = b
            .match_indices("](@/articles/")
            .map(|(i, _)| b[i + 2..].split([')', '#']).next().unwrap())
            .collect();
        assert!(
            article_links.len() >= 2,
            "{key}.{lang}: links two other articles: {article_links:?}"
        );
        assert!(
            b.contains("](checklist:"),
            "{key}.{lang}: links a checklist"
        );
        assert!(b.contains("](skill:"), "{key}.{lang}: links skills");
    }
    // The built site: every skill page lists at least one article.
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let r = common::run(
        &[
            "build",
            "--root",
            repo().to_str().unwrap(),
            "--output",
            public.to_str().unwrap(),
        ],
        repo(),
    );
    assert!(r.ok(), "{}", r.stderr);
    for p in files_under("content/skills", "yaml") {
        let id = p.file_stem().unwrap().to_string_lossy().into_owned();
        for lang in LANGS {
            let page =
                std::fs::read_to_string(public.join(format!("{lang}/skills/{id}/index.html")))
                    .unwrap();
            assert!(
                page.contains(&format!("/{lang}/articles/")),
                "{lang} skill page {id} lists an article in its language"
            );
        }
    }
}

/// A sentence as the seed fingerprints were made: NFC, lower case, runs of
/// anything but letters and digits as one space.
fn normalise(s: &str) -> String {
    let mut out = String::new();
    let mut space = true;
    for c in s.nfc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() && !is_combining_mark(c) {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

#[test]
fn no_sentence_of_the_sources_is_copied() {
    use sha2::{Digest, Sha256};
    let seeds: BTreeSet<String> =
        std::fs::read_to_string(repo().join("tests/data/seed-sentences.sha256"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(str::to_string)
            .collect();
    assert!(seeds.len() > 100, "the fingerprints are there");
    let mut copied = Vec::new();
    let mut checked = 0;
    for p in files_under("content", "md")
        .into_iter()
        .chain(files_under("content", "yaml"))
    {
        let text = std::fs::read_to_string(&p).unwrap();
        for piece in text.split(['.', '!', '?', '\n']) {
            let n = normalise(piece);
            if n.chars().count() < 30 {
                continue;
            }
            checked += 1;
            let h = Sha256::digest(n.as_bytes());
            let hex: String = h.iter().take(8).map(|b| format!("{b:02x}")).collect();
            if seeds.contains(&hex) {
                copied.push(format!("{}: {}", p.display(), piece.trim()));
            }
        }
    }
    assert!(
        checked > 1000,
        "the content's sentences were checked: {checked}"
    );
    assert!(
        copied.is_empty(),
        "sentences copied from the sources: {copied:#?}"
    );
}
