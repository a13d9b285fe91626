//! Properties over generated small sites (few cases, so the suite stays
//! quick): an incremental rebuild gives the bytes of a full build; every
//! internal link of the output resolves; pages and ids are unique; a fresh
//! `translate` stub is never reported outdated.

use crate::common;
use common::{Site, CHECKLIST, EMPATHY, PATIENCE, SITE_YAML};
use proptest::prelude::*;
use servicekb::diagnostics::Diagnostics;
use servicekb::incremental::State;
use servicekb::load::LoadOptions;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

/// Heading texts: repeats, scripts, and texts that slugify to nothing.
const HEADINGS: &[&str] = &[
    "Name the feeling",
    "Name the feeling",
    "שלום עולם",
    "Ärger & Ruhe",
    "Step 1",
    "!!",
    "main",
    "1.2",
];

#[derive(Debug, Clone)]
enum Block {
    Heading(usize, Option<u8>),
    Text(String),
    /// A link to article `n` (modulo the count), optionally to its section.
    ArticleLink(usize, Option<u8>),
    SkillLink(bool),
    ChecklistLink,
    List(u8),
    Quote,
    Table,
    Html,
    Footnote(u8),
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        (0..HEADINGS.len(), proptest::option::of(0u8..3)).prop_map(|(h, id)| Block::Heading(h, id)),
        "[a-zA-Z ,.]{1,40}".prop_map(Block::Text),
        (0usize..4, proptest::option::of(0u8..3)).prop_map(|(n, s)| Block::ArticleLink(n, s)),
        any::<bool>().prop_map(Block::SkillLink),
        Just(Block::ChecklistLink),
        (1u8..4).prop_map(Block::List),
        Just(Block::Quote),
        Just(Block::Table),
        Just(Block::Html),
        (0u8..3).prop_map(Block::Footnote),
    ]
}

#[derive(Debug, Clone)]
struct Art {
    slug: Option<&'static str>,
    blocks: Vec<Block>,
}

fn art() -> impl Strategy<Value = Art> {
    (
        proptest::option::weighted(0.3, prop_oneof![Just("same"), Just("ąžuolas"), Just("x")]),
        proptest::collection::vec(block(), 0..8),
    )
        .prop_map(|(slug, blocks)| Art { slug, blocks })
}

fn sites() -> impl Strategy<Value = Vec<Art>> {
    proptest::collection::vec(art(), 1..4)
}

/// Every article has sections `s0`..`s2`, so links to them resolve.
fn body(blocks: &[Block], count: usize) -> String {
    let mut out = String::from(
        "Intro.\n\n## Section zero {#s0}\n\n## Section one {#s1}\n\n## Section two {#s2}\n\n",
    );
    for b in blocks {
        out.push_str(&match b {
            Block::Heading(h, None) => format!("## {}\n", HEADINGS[*h]),
            // Explicit ids other than the sections', so none is used twice.
            Block::Heading(h, Some(_)) => format!("### {}\n", HEADINGS[*h]),
            Block::Text(t) => format!("{t}\n"),
            Block::ArticleLink(n, s) => format!(
                "See [that](@/articles/skills/a{}.md{}).\n",
                n % count,
                s.map(|s| format!("#s{s}")).unwrap_or_default()
            ),
            Block::SkillLink(empty) => {
                if *empty {
                    "Read [](skill:empathy).\n".into()
                } else {
                    "Read [patience](skill:patience).\n".into()
                }
            }
            Block::ChecklistLink => "Try [the check](checklist:self-check).\n".into(),
            Block::List(n) => (0..*n)
                .map(|i| format!("{}- item {i}\n", "  ".repeat(i.into())))
                .collect(),
            Block::Quote => "> quoted *text*\n".into(),
            Block::Table => "| a | b |\n|:-|-:|\n| 1 | 2 |\n".into(),
            Block::Html => "<div class=\"notice\">Note <em>this</em></div>\n".into(),
            Block::Footnote(n) => format!("A claim[^n{n}].\n\n[^n{n}]: The source.\n"),
        });
        out.push('\n');
    }
    out
}

fn write_site(arts: &[Art]) -> Site {
    let s = Site::empty();
    s.write("site.yaml", SITE_YAML);
    s.write("content/skills/empathy.yaml", EMPATHY);
    s.write("content/skills/patience.yaml", PATIENCE);
    s.write("content/checklists/self-check.yaml", CHECKLIST);
    for (i, a) in arts.iter().enumerate() {
        s.write(
            &format!("content/articles/skills/a{i}.en.md"),
            &article(i, a, arts.len()),
        );
    }
    s
}

fn article(i: usize, a: &Art, count: usize) -> String {
    let slug = a.slug.map(|s| format!("slug: {s}\n")).unwrap_or_default();
    format!(
        "---\ntitle: Article {i}\ndate: 2026-01-0{}\n{slug}---\n\n{}",
        i + 1,
        body(&a.blocks, count)
    )
}

/// Builds in memory; `None` with the errors when the site is refused.
fn build(s: &Site) -> Result<BTreeMap<String, Arc<Vec<u8>>>, String> {
    let diags = Diagnostics::new();
    let built = servicekb::pipeline::run(s.path(), &LoadOptions::default(), &diags, None, true);
    let list: Vec<String> = diags.into_sorted().iter().map(|d| d.to_string()).collect();
    match built {
        Some(b) => Ok(b.output.files),
        None => Err(list.join("\n")),
    }
}

fn html_pages(files: &BTreeMap<String, Arc<Vec<u8>>>) -> impl Iterator<Item = (&String, String)> {
    files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, String::from_utf8_lossy(b).into_owned()))
}

fn attr_values<'h>(html: &'h str, attr: &'h str) -> impl Iterator<Item = &'h str> {
    html.split(attr).skip(1).filter_map(|v| v.split('"').next())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 24,
        max_shrink_iters: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// Pages never share a URL: a repeated `slug:` is an error naming it;
    /// otherwise every article has its own page, and ids within a page are
    /// unique.
    #[test]
    fn pages_and_ids_are_unique(arts in sites()) {
        let s = write_site(&arts);
        let slugs: Vec<&str> = arts.iter().enumerate().map(|(i, a)| a.slug.unwrap_or(["a0", "a1", "a2", "a3"][i])).collect();
        let distinct: BTreeSet<&str> = slugs.iter().copied().collect();
        match build(&s) {
            Ok(files) => {
                prop_assert_eq!(distinct.len(), slugs.len(), "a repeated slug was accepted");
                for slug in &slugs {
                    prop_assert!(files.contains_key(&format!("en/articles/skills/{slug}/index.html")), "no page for {}", slug);
                }
                for (path, html) in html_pages(&files) {
                    // Templates' content counts too (the 404 keeps each
                    // language's message in one): readers of the file see
                    // every id in it.
                    let mut seen = BTreeSet::new();
                    for id in attr_values(&html, " id=\"") {
                        prop_assert!(seen.insert(id), "id `{}` twice in {}", id, path);
                    }
                }
            }
            Err(errors) => {
                prop_assert!(distinct.len() < slugs.len(), "refused: {}", errors);
                prop_assert!(errors.contains("two pages would have the URL"), "{}", errors);
            }
        }
    }

    /// Every link from one page of the output to another lands on a file
    /// of the output, and on an element with its `#id`.
    #[test]
    fn internal_links_resolve(arts in sites()) {
        let mut arts = arts;
        for a in &mut arts {
            a.slug = None;
        }
        let s = write_site(&arts);
        let files = build(&s).map_err(TestCaseError::fail)?;
        let pages: BTreeMap<&String, String> = html_pages(&files).collect();
        for (path, html) in &pages {
            for href in attr_values(html, "href=\"").chain(attr_values(html, "src=\"")) {
                if !href.starts_with('/') || href.starts_with("//") {
                    continue;
                }
                let (p, frag) = href.split_once('#').unwrap_or((href, ""));
                let p = percent_encoding::percent_decode_str(p).decode_utf8_lossy();
                let mut file = p.trim_start_matches('/').to_string();
                if file.is_empty() || file.ends_with('/') {
                    file.push_str("index.html");
                }
                prop_assert!(files.contains_key(&file), "{} links to {}, which is not in the output", path, href);
                if !frag.is_empty() {
                    let target = pages.get(&file).map(String::as_str).unwrap_or("");
                    let frag = percent_encoding::percent_decode_str(frag).decode_utf8_lossy();
                    prop_assert!(
                        target.contains(&format!(" id=\"{frag}\"")),
                        "{} links to {}, whose page has no id `{}`", path, href, frag
                    );
                }
            }
        }
    }

    /// After any edit of an article, the incremental rebuild holds the
    /// bytes a full build gives.
    #[test]
    fn incremental_rebuild_equals_full_build(arts in sites(), edit in art(), which in 0usize..4, remove in any::<bool>()) {
        let mut arts = arts;
        for a in &mut arts {
            a.slug = None;
        }
        let s = write_site(&arts);
        // As `serve` loads a site.
        let opts = LoadOptions { prepare: servicekb::load::article::Prepare::HtmlAndWords, ..LoadOptions::default() };
        let (mut st, _) = State::load(s.path(), &opts)
            .map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let n = arts.len();
        let i = which % (n + 1);
        let rel = format!("content/articles/skills/a{i}.en.md");
        // Removing the one article others link to breaks their links; only
        // remove one nobody links to.
        let linked = arts.iter().any(|a| a.blocks.iter().any(|b| matches!(b, Block::ArticleLink(k, _) if k % n == i)));
        if remove && i < n && n > 1 && !linked {
            std::fs::remove_file(s.path().join(&rel)).unwrap();
        } else {
            let mut edit = edit;
            edit.slug = None;
            s.write(&rel, &article(i, &edit, n));
        }
        let paths: Vec<PathBuf> = vec![s.path().join(&rel)];
        match st.apply(&paths) {
            Ok(_) => {
                let fresh = st.fresh_files().expect("a full build of the same files");
                let mine = &st.out.files;
                let stale: Vec<_> = mine.keys().filter(|k| !fresh.contains_key(*k)).collect();
                let missing: Vec<_> = fresh.keys().filter(|k| !mine.contains_key(*k)).collect();
                let differ: Vec<_> = fresh.keys().filter(|k| mine.get(*k).is_some_and(|v| v != &fresh[*k])).collect();
                prop_assert!(stale.is_empty() && missing.is_empty() && differ.is_empty(),
                    "stale {:?}, missing {:?}, differ {:?}", stale, missing, differ);
            }
            // An edit may break a link (to a removed section, say); then a
            // full build refuses the same files.
            Err(_) => prop_assert!(build(&s).is_err(), "the rebuild failed, but a full build succeeds"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..config() })]

    /// `translate` writes a stub whose recorded hash is the source's, so
    /// `i18n` never lists it as outdated.
    #[test]
    fn fresh_translation_is_not_outdated(arts in sites(), which in 0usize..4) {
        let mut arts = arts;
        for a in &mut arts {
            a.slug = None;
        }
        let s = write_site(&arts);
        let i = which % arts.len();
        let src = format!("content/articles/skills/a{i}.en.md");
        let r = s.run(&["translate", &src, "--to", "he"]);
        prop_assert!(r.ok(), "{}", r.stderr);
        let r = s.run(&["i18n", "--format", "json"]);
        prop_assert!(r.ok(), "{}", r.stderr);
        let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        let outdated = &report["languages"]["he"]["outdated"];
        let stub = format!("content/articles/skills/a{i}.he.md");
        let listed = outdated.as_array().is_some_and(|o| o.iter().any(|x| x["file"] == stub.as_str()));
        prop_assert!(!listed, "the fresh stub {} is reported outdated: {}", stub, outdated);
        prop_assert!(s.exists(&stub));
    }
}
