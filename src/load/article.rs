//! Articles: `content/articles/<topic>/<slug>.<lang>.md` with YAML front matter.

use super::config::is_language_code;
use crate::diagnostics::Diagnostic;
use crate::hash::is_hash;
use crate::markdown;
use crate::model::{Article, FrontMatter, SiteConfig, TakeOnce, TranslationInfo};
use crate::source::SourceFile;
use crate::yaml::YamlDoc;
use std::path::Path;

pub const ARTICLES_DIR: &str = "content/articles";

/// Where an article's file name puts it.
#[derive(Debug, PartialEq)]
pub struct ArticlePath {
    pub key: String,
    pub lang: String,
    pub dirs: Vec<String>,
    pub stem: String,
}

/// `rel` is relative to `content/articles/`, e.g. `hiring/x.pl.md`.
pub fn parse_article_path(rel: &str, config: &SiteConfig) -> Result<ArticlePath, String> {
    let rel = crate::urls::nfc(rel);
    let (dir_part, file) = match rel.rsplit_once('/') {
        Some((d, f)) => (Some(d), f),
        None => (None, rel.as_ref()),
    };
    let stem = file
        .strip_suffix(".md")
        .ok_or("an article file must end in .md")?;
    let (stem, lang) = match stem.rsplit_once('.') {
        Some((s, suffix)) if is_language_code(suffix) => {
            if !config.has_language(suffix) {
                let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
                return Err(format!(
                    "the file name ends in `.{suffix}`, but `{suffix}` is not a language of this site (languages: {})",
                    codes.join(", ")
                ));
            }
            (s, suffix.to_string())
        }
        _ => (stem, config.default_language.clone()),
    };
    if stem.is_empty() {
        return Err("the file name has no slug before the language".into());
    }
    let dirs: Vec<String> = dir_part
        .map(|d| d.split('/').map(str::to_string).collect())
        .unwrap_or_default();
    let key = if dirs.is_empty() {
        stem.to_string()
    } else {
        format!("{}/{}", dirs.join("/"), stem)
    };
    Ok(ArticlePath {
        key,
        lang,
        dirs,
        stem: stem.to_string(),
    })
}

pub use crate::source::split_front_matter;

fn valid_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
        || chrono::DateTime::parse_from_rfc3339(s).is_ok()
}

fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && !s.chars().any(|c| {
            matches!(c, '/' | '\\' | '?' | '#' | '%' | '"' | '<' | '>')
                || c.is_whitespace()
                || c.is_control()
        })
}

/// How much of an article's rendering happens at load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Prepare {
    Nothing,
    #[default]
    Html,
    HtmlAndWords,
}

/// Load one article; `rel` is relative to the site root.
pub fn load_article(
    root: &Path,
    rel: &str,
    config: &SiteConfig,
    prepare: Prepare,
    keep_body: bool,
) -> Result<Article, Vec<Diagnostic>> {
    let under = rel
        .strip_prefix(ARTICLES_DIR)
        .unwrap_or(rel)
        .trim_start_matches('/');
    let path = parse_article_path(under, config).map_err(|m| vec![Diagnostic::error(rel, m)])?;
    let file = SourceFile::read(root, rel).map_err(|d| vec![d])?;
    check_size(&file).map_err(|d| vec![d])?;
    let (fm_start, fm_end, body_offset) = split_front_matter(&file).map_err(|d| vec![d])?;
    let doc = YamlDoc {
        file: &file,
        base: fm_start,
        text: &file.text[fm_start..fm_end],
    };
    let fm = read_front_matter(&doc)?;
    let mut errs = Vec::new();
    check_title_and_dates(&doc, &fm, &mut errs);
    let slug = crate::urls::nfc(fm.slug.as_deref().unwrap_or(&path.stem)).into_owned();
    if !valid_slug(&slug) {
        errs.push(doc.error_at(
            &["slug"],
            None,
            format!("`{slug}` cannot be a URL slug (no spaces, `/`, `?`, `#` or `%`)"),
        ));
    }
    let source_hash_value = fm
        .translation
        .as_ref()
        .and_then(|t| translation_hash(&doc, config, t, &path.lang, &mut errs));
    let body = &file.text[body_offset..];
    let parsed = markdown::parse_keeping(body, body_offset, prepare != Prepare::Nothing);
    body_errors(rel, &file, &parsed.scan, &mut errs);
    if !errs.is_empty() {
        return Err(errs);
    }
    let (scan, prepared) = match prepare {
        Prepare::Nothing => (parsed.scan, TakeOnce::default()),
        _ => {
            let (scan, p) = parsed.prepare(config.raw_html, prepare == Prepare::HtmlAndWords);
            (scan, TakeOnce::new(p))
        }
    };
    let mut links = scan.links;
    let mut walker = crate::source::PosWalker::new(&file);
    for l in &mut links {
        l.pos = walker.pos(l.offset);
    }
    let url = crate::routes::Route::Article(&path.dirs, &slug).path(&path.lang);
    let mut article = Article {
        key: path.key,
        lang: path.lang,
        topic: path.dirs.first().cloned(),
        dirs: path.dirs,
        slug,
        href: config.href(&url),
        url,
        fm,
        fm_offset: fm_start,
        body_offset,
        headings: scan.headings,
        links,
        source_hash: source_hash_value,
        body_hash: std::sync::OnceLock::new(),
        reread_root: None,
        prepared,
        file,
    };
    if !keep_body {
        article.drop_body(root);
    }
    Ok(article)
}

/// The front matter's fields, refusing an empty one.
fn read_front_matter(doc: &YamlDoc) -> Result<FrontMatter, Vec<Diagnostic>> {
    if doc.text.trim().is_empty() {
        return Err(vec![doc.error_at(
            &[],
            None,
            "the front matter is empty; it needs at least `title:`",
        )]);
    }
    doc.parse().map_err(|d| vec![d])
}

/// An empty title, and dates that are not dates.
fn check_title_and_dates(doc: &YamlDoc, fm: &FrontMatter, errs: &mut Vec<Diagnostic>) {
    if fm.title.trim().is_empty() {
        errs.push(doc.error_at(&["title"], None, "the title is empty"));
    }
    for (key, v) in [("date", &fm.date), ("updated", &fm.updated)] {
        if let Some(d) = v {
            if !valid_date(d) {
                errs.push(doc.error_at(
                    &[key],
                    None,
                    format!("`{key}: {d}` is not a date (write YYYY-MM-DD)"),
                ));
            }
        }
    }
}

/// Checks a translation's `translation:` (its source language, in an
/// article written in `lang`) and gives its source hash, lower-cased.
fn translation_hash(
    doc: &YamlDoc,
    config: &SiteConfig,
    t: &TranslationInfo,
    lang: &str,
    errs: &mut Vec<Diagnostic>,
) -> Option<String> {
    if !config.has_language(&t.source) {
        errs.push(doc.error_at(
            &["translation", "source"],
            None,
            format!(
                "translation.source `{}` is not a language of this site",
                t.source
            ),
        ));
    } else if t.source == lang {
        errs.push(doc.error_at(
            &["translation", "source"],
            None,
            "translation.source names the article's own language",
        ));
    }
    // The hash as written in the file: unquoted, `20240101` or `1e141592`
    // would be a number to YAML.
    let written = match &t.source_hash {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Null => None,
        _ => crate::yaml::locate(doc.text, &["translation", "source_hash"], None)
            .map(|at| scalar_after_key(&doc.text[at..])),
    };
    match written {
        Some(s) if is_hash(&s) => Some(s.to_lowercase()),
        Some(s) => {
            errs.push(doc.warning_at(
                &["translation", "source_hash"],
                None,
                format!(
                    "source_hash `{s}` is not 8 hex characters, as `servicekb i18n` prints it; the translation counts as out of date"
                ),
            ));
            Some(s.to_lowercase())
        }
        None => {
            errs.push(doc.warning_at(
                &["translation", "source_hash"],
                None,
                "source_hash is empty; the translation counts as out of date",
            ));
            None
        }
    }
}

/// Heading ids used twice, and Markdown past its limits.
/// Articles larger than this are refused: 4 MB is several books of text,
/// and the Markdown parser's memory and time grow with the text (about
/// 45 bytes of memory per byte of ordinary Markdown).
pub const MAX_ARTICLE_BYTES: usize = 4 * 1024 * 1024;

/// Articles with more lines than this are refused: the parser keeps a node
/// for each line of a paragraph (about 270 bytes of memory per line for a
/// text of one-letter lines), so this caps that at about 55 MB. Real
/// articles have 50 to 80 bytes per line: 4 MB of them is under 85,000.
pub const MAX_ARTICLE_LINES: usize = 200_000;

/// Articles with more Markdown and HTML marks than this are refused: the
/// parser keeps a node for most of them, and what is made from each costs
/// up to about 360 bytes (one-letter code spans, `*a*` emphasis), so this
/// holds a 4 MB article under about 200 MB. Written text has one mark in
/// 20 to 120 bytes (this project's docs and articles): 4 MB of it has at
/// most about 200,000.
pub const MAX_ARTICLE_MARKS: usize = 500_000;

/// The bytes counted against [`MAX_ARTICLE_MARKS`]: those that may begin
/// emphasis, code, a link, an image, raw HTML, an entity, an escape or a
/// table cell.
fn is_mark(b: u8) -> bool {
    matches!(
        b,
        b'*' | b'_' | b'~' | b'`' | b'\\' | b'[' | b']' | b'!' | b'<' | b'&' | b'|'
    )
}

/// An article within [`MAX_ARTICLE_BYTES`], [`MAX_ARTICLE_LINES`] and
/// [`MAX_ARTICLE_MARKS`].
fn check_size(file: &SourceFile) -> Result<(), Diagnostic> {
    let text = file.text.as_bytes();
    if text.len() > MAX_ARTICLE_BYTES {
        return Err(Diagnostic::error(
            &file.rel,
            format!(
                "this article is {:.1} MB; articles may have at most 4 MB: split it into several articles",
                text.len() as f64 / (1024.0 * 1024.0)
            ),
        ));
    }
    if let Some(at) = memchr::memchr_iter(b'\n', text).nth(MAX_ARTICLE_LINES - 1) {
        if at + 1 < text.len() {
            return Err(Diagnostic::error(
                &file.rel,
                "this article has more than 200,000 lines: split it into several articles",
            )
            .at(Some(file.pos(at + 1))));
        }
    }
    // A shorter text cannot hold more marks than it has bytes.
    if text.len() > MAX_ARTICLE_MARKS {
        let past = text
            .iter()
            .enumerate()
            .filter(|&(_, &b)| is_mark(b))
            .nth(MAX_ARTICLE_MARKS);
        if let Some((at, _)) = past {
            return Err(Diagnostic::error(
                &file.rel,
                "this article has more than 500,000 marks of Markdown or HTML (such as * _ ` [ ] < & |): split it into several articles",
            )
            .at(Some(file.pos(at))));
        }
    }
    Ok(())
}

fn body_errors(rel: &str, file: &SourceFile, scan: &markdown::Scan, errs: &mut Vec<Diagnostic>) {
    for (id, off) in &scan.duplicate_ids {
        errs.push(
            Diagnostic::error(
                rel,
                format!("the heading id `{id}` is used twice in this article"),
            )
            .at(Some(file.pos(*off))),
        );
    }
    for (off, msg) in scan.limit_errors() {
        errs.push(Diagnostic::error(rel, msg).at(Some(file.pos(off))));
    }
}

/// The plain scalar written after `key:` at the start of `text`, as written
/// (a trailing comment and quotes removed).
fn scalar_after_key(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    let value = line.split_once(':').map_or("", |(_, v)| v);
    let value = match value.find(" #") {
        Some(i) => &value[..i],
        None => value,
    };
    value.trim().trim_matches(['"', '\'']).to_string()
}
