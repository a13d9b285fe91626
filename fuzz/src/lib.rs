//! What each fuzz target does with its input, shared by the libFuzzer
//! targets (`fuzz_targets/`) and the plain replay of regression inputs.
//! Besides "no panic", each checks what must hold for any input.

use servicekb::diagnostics::{Diagnostic, Diagnostics};
use servicekb::load::article::{load_article, split_front_matter, Prepare};
use servicekb::load::config::load_config;
use servicekb::load::skill::{load_checklist, load_skill};
use servicekb::load::{load_site, LoadOptions};
use servicekb::markdown;
use servicekb::model::{Site, SiteConfig};
use servicekb::resolve::{classify, PageLinks};
use servicekb::source::SourceFile;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const SITE_YAML: &str = "title: { en: Fuzz KB, he: בדיקה }\nbase_url: https://kb.example.org/docs\ndefault_language: en\nlanguages:\n  - { code: en, name: English }\n  - { code: he, name: עברית, direction: rtl }\ntopics:\n  skills: { en: Skills, he: מיומנויות }\n";
const EMPATHY: &str = "category: interpersonal\nname: { en: Empathy, he: אמפתיה }\nsummary: { en: Feeling with the caller. }\nwhy:\n  en: See [patience](skill:patience).\nindicators:\n  - id: names-feelings\n    text: { en: Names the feeling. }\nrelated: [patience]\n";
const PATIENCE: &str = "category: self-management\nname: { en: Patience }\nindicators:\n  - id: keeps-pace\n    text: { en: Keeps an even pace. }\n";
const CHECKLIST: &str = "title: { en: Self check }\naudience: agent\nintro: { en: Rate yourself. }\nscale:\n  min: 1\n  max: 3\n  labels:\n    en: [Rarely, Sometimes, Often]\nskills: [empathy, patience]\n";
const WAITING: &str = "---\ntitle: Waiting on hold\ndate: 2026-02-01\nskills: [patience]\n---\n\nBack to [empathy](skill:empathy).\n\n## On hold {#on-hold}\n\nExplain the wait.\n";

/// A folder of this process's own, emptied of the files a target writes.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("servicekb-fuzz-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("folder");
    std::fs::write(p, bytes).expect("write");
}

fn base_site(root: &Path, site_yaml: &str) {
    write(root, "site.yaml", site_yaml.as_bytes());
    write(root, "content/skills/empathy.yaml", EMPATHY.as_bytes());
    write(root, "content/skills/patience.yaml", PATIENCE.as_bytes());
    write(
        root,
        "content/checklists/self-check.yaml",
        CHECKLIST.as_bytes(),
    );
    write(
        root,
        "content/articles/skills/waiting.en.md",
        WAITING.as_bytes(),
    );
}

fn config() -> &'static SiteConfig {
    static C: OnceLock<SiteConfig> = OnceLock::new();
    C.get_or_init(|| {
        let root = scratch("config");
        base_site(&root, SITE_YAML);
        load_config(&root).expect("the fixed site.yaml loads")
    })
}

/// A diagnostic's position must lie inside the file it names.
fn assert_positions(diags: &[Diagnostic], text: &str) {
    let lines = text.split('\n').count();
    for d in diags {
        if let Some(line) = d.line {
            assert!(
                line >= 1 && line <= lines,
                "{d} is outside the file ({lines} lines)"
            );
            let col = d.col.expect("a line comes with a column");
            let len = text
                .split('\n')
                .nth(line - 1)
                .map_or(0, |l| l.chars().count());
            assert!(
                col >= 1 && col <= len + 1,
                "{d}: column past the line's end ({len})"
            );
        }
    }
}

/// The front matter splitter and parser: an article file of any bytes.
pub fn front_matter(data: &[u8]) {
    if let Ok(file) = SourceFile::from_bytes("a.en.md", data.to_vec()) {
        if let Ok((fm_start, fm_end, body)) = split_front_matter(&file) {
            assert!(fm_start <= fm_end && fm_end <= body && body <= file.text.len());
            for o in [fm_start, fm_end, body] {
                assert!(file.text.is_char_boundary(o));
            }
        }
    }
    let root = scratch("front-matter");
    let rel = "content/articles/skills/a.en.md";
    write(&root, rel, data);
    match load_article(&root, rel, config(), Prepare::HtmlAndWords, true) {
        Ok(a) => {
            let mut ids: Vec<&str> = a.headings.iter().map(|h| h.id.as_str()).collect();
            ids.sort_unstable();
            let n = ids.len();
            ids.dedup();
            assert_eq!(n, ids.len(), "heading ids are unique");
            for l in &a.links {
                assert!(l.offset <= a.file.text.len());
            }
        }
        Err(diags) => {
            assert!(!diags.is_empty());
            if let Ok(f) = SourceFile::from_bytes(rel, data.to_vec()) {
                assert_positions(&diags, &f.text);
            }
        }
    }
}

/// The fixed site the link resolver answers for.
fn site() -> &'static Site {
    static S: OnceLock<Site> = OnceLock::new();
    S.get_or_init(|| {
        let root = scratch("links");
        base_site(&root, SITE_YAML);
        write(
            &root,
            "content/articles/skills/empathy.en.md",
            b"---\ntitle: Empathy\n---\n\n## Name the feeling {#name}\n\n## Name the feeling\n",
        );
        let diags = Diagnostics::new();
        let site = load_site(&root, &LoadOptions::default(), &diags).expect("the fixed site loads");
        assert!(!diags.has_errors(), "{:?}", diags.into_sorted());
        site
    })
}

/// The link-scheme resolver: any destination, from a page in either language.
pub fn link_resolver(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let dest = String::from_utf8_lossy(rest);
    let site = site();
    let lang = if sel & 1 == 0 { "en" } else { "he" };
    let own = site.articles.iter().find(|a| a.key == "skills/empathy");
    let links = PageLinks {
        site,
        lang,
        own: own.filter(|_| sel & 2 == 0).map(|a| a.headings.as_slice()),
    };
    let _ = classify(&dest, site);
    if let Ok(Some(r)) = links.try_resolve(&dest) {
        assert!(r.href.starts_with("/docs/"), "{} leaves the site", r.href);
        assert!(
            !r.href.contains(['"', '<', '>', ' ']),
            "{} is not encoded",
            r.href
        );
    }
    // The same destination inside Markdown, through the renderer.
    let md = format!("[]({dest}) [x](<{dest}>) ![i]({dest})\n\n[r]: {dest}\n\n[r] [x][r]\n");
    let _ = markdown::scan(&md, 0);
    let out = markdown::render(&md, &links, servicekb::model::RawHtml::Sanitize);
    assert_safe(&out.html);
}

/// No script can run from `html`: no script elements, handlers or
/// `javascript:` URLs in real tags (escaped text has no `<`).
pub fn assert_safe(html: &str) {
    for tag in html.split('<').skip(1).filter_map(|t| t.split('>').next()) {
        let t = tag.to_ascii_lowercase();
        let name = t.split([' ', '/', '\n', '\t']).next().unwrap_or("");
        assert!(
            !matches!(
                name,
                "script" | "iframe" | "object" | "embed" | "style" | "form"
            ),
            "<{tag}> in output"
        );
        // A URL runs script only when it starts with the scheme (browsers
        // skip leading spaces and controls, and tabs or newlines inside it).
        for attr in ["href=\"", "src=\""] {
            for v in t.split(attr).skip(1) {
                let url: String = v
                    .split('"')
                    .next()
                    .unwrap_or("")
                    .trim_start_matches(|c: char| c <= ' ')
                    .chars()
                    .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                    .collect();
                assert!(
                    !url.starts_with("javascript:") && !url.starts_with("vbscript:"),
                    "<{tag}> in output"
                );
            }
        }
        for name in attribute_names(&t) {
            assert!(!name.starts_with("on"), "<{tag}> in output");
        }
    }
}

/// The attribute names of a tag's text (`a href="x" title='y'`).
fn attribute_names(tag: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = tag.trim_start_matches(|c: char| !c.is_whitespace() && c != '/');
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return names;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        names.push(&rest[..end]);
        rest = rest[end..].trim_start();
        if let Some(v) = rest.strip_prefix('=') {
            let v = v.trim_start();
            rest = match v.chars().next() {
                Some(q @ ('"' | '\'')) => v[1..].find(q).map_or("", |i| &v[i + 2..]),
                _ => v.find(char::is_whitespace).map_or("", |i| &v[i..]),
            };
        }
    }
}

/// The skill loader: a skill file of any bytes.
pub fn skill_yaml(data: &[u8]) {
    let root = scratch("skill");
    let rel = "content/skills/x.yaml";
    write(&root, rel, data);
    let (skill, diags) = load_skill(&root, rel, config());
    check_loaded(skill.is_some(), &diags, rel, data);
}

/// The checklist loader: a checklist file of any bytes.
pub fn checklist_yaml(data: &[u8]) {
    let root = scratch("checklist");
    let rel = "content/checklists/x.yaml";
    write(&root, rel, data);
    let (checklist, diags) = load_checklist(&root, rel, config());
    check_loaded(checklist.is_some(), &diags, rel, data);
}

fn check_loaded(loaded: bool, diags: &[Diagnostic], rel: &str, data: &[u8]) {
    assert!(
        loaded || diags.iter().any(Diagnostic::is_error),
        "refused without an error"
    );
    if let Ok(f) = SourceFile::from_bytes(rel, data.to_vec()) {
        assert_positions(diags, &f.text);
    }
}

/// load → resolve → render of a site whose one new article is the input;
/// its first byte picks `markdown.raw_html`.
pub fn site_build(data: &[u8]) {
    let Some((&sel, article)) = data.split_first() else {
        return;
    };
    let mode = ["allow", "escape", "sanitize"][usize::from(sel % 3)];
    let root = scratch("site");
    base_site(
        &root,
        &format!("{SITE_YAML}markdown:\n  raw_html: {mode}\n"),
    );
    write(&root, "content/articles/skills/fuzzed.he.md", article);
    let diags = Diagnostics::new();
    let built = servicekb::pipeline::run(&root, &LoadOptions::default(), &diags, None, true);
    let diags = diags.into_sorted();
    match built {
        Some(b) => {
            assert!(!diags.iter().any(Diagnostic::is_error));
            if mode != "allow" {
                for (path, bytes) in &b.output.files {
                    if path.contains("articles/") && path.ends_with(".html") {
                        // The theme's own scripts sit outside <main>; what
                        // the author wrote is inside it.
                        let page = String::from_utf8_lossy(bytes);
                        let start = page.find("<main").unwrap_or(0);
                        let end = page.rfind("</main>").unwrap_or(page.len());
                        assert_safe(&page[start..end.max(start)]);
                    }
                }
            }
        }
        None => assert!(
            diags.iter().any(Diagnostic::is_error),
            "the build failed without an error"
        ),
    }
    if let Ok(f) = SourceFile::from_bytes("", article.to_vec()) {
        let ours: Vec<Diagnostic> = diags
            .into_iter()
            .filter(|d| d.file.ends_with("fuzzed.he.md"))
            .collect();
        assert_positions(&ours, &f.text);
    }
}

/// Markdown with raw HTML through the renderer and the sanitizer. The first
/// byte picks `markdown.raw_html` and whether the rest is repeated to about
/// 64 KB, so that work growing faster than the text shows as a slow input
/// (scripts/fuzz gives this target a short time limit). What is not refused
/// as too costly must render to HTML no script can run from, and not much
/// longer than the text.
pub fn sanitizer(data: &[u8]) {
    use servicekb::model::RawHtml;
    struct NoLinks;
    impl markdown::LinkResolver for NoLinks {
        fn resolve(&self, _: &str) -> Option<markdown::ResolvedLink> {
            None
        }
    }
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let raw = [RawHtml::Sanitize, RawHtml::Escape, RawHtml::Allow][usize::from(sel % 3)];
    let mut text = String::from_utf8_lossy(rest).into_owned();
    if sel & 4 != 0 && !text.is_empty() {
        text = text.repeat((64 * 1024) / text.len() + 1);
    }
    let parsed = markdown::parse(&text, 0);
    if !parsed.scan.limit_errors().is_empty() || !parsed.scan.duplicate_ids.is_empty() {
        return;
    }
    let (_, prepared) = parsed.prepare(raw, true);
    let html = markdown::finish(&prepared, &NoLinks).html;
    if raw != RawHtml::Allow {
        assert_safe(&html);
    }
    // Every byte of Markdown makes a bounded amount of HTML (a cell of an
    // aligned table is the most: `|` to `<td style="text-align: center"></td>`).
    assert!(
        html.len() <= 64 * text.len() + 4096,
        "{} bytes of HTML from {} bytes of Markdown",
        html.len(),
        text.len()
    );
}
