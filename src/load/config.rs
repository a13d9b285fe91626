//! `site.yaml`.

use crate::diagnostics::Diagnostic;
use crate::model::{
    Direction, Language, Localized, LocalizedText, RawHtml, Repository, SiteConfig,
};
use crate::source::SourceFile;
use crate::yaml::YamlDoc;
use serde::Deserialize;
use std::path::Path;

pub const SITE_FILE: &str = "site.yaml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: LocalizedText,
    base_url: String,
    default_language: String,
    languages: Vec<RawLanguage>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    topics: serde_yaml::Mapping,
    #[serde(default)]
    categories: serde_yaml::Mapping,
    #[serde(default)]
    translation_status: bool,
    #[serde(default)]
    markdown: Option<RawMarkdown>,
    #[serde(default)]
    repository: Option<RawRepository>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRepository {
    edit_url: String,
    #[serde(default)]
    translate_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default)]
    raw_html: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    code: String,
    name: String,
    #[serde(default)]
    direction: Option<String>,
}

pub fn is_language_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (2..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Load `site.yaml`; every problem found is returned, not just the first.
pub fn load_config(root: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
    if !root.join(SITE_FILE).exists() {
        return Err(vec![Diagnostic::error(
            SITE_FILE,
            format!(
                "no site.yaml in {}: run `servicekb init <folder>` for a new site, or pass --root",
                root.display()
            ),
        )]);
    }
    let file = SourceFile::read(root, SITE_FILE).map_err(|d| vec![d])?;
    let doc = YamlDoc::whole(&file);
    let raw: RawConfig = doc.parse().map_err(|d| vec![d])?;
    let mut errs = Vec::new();

    let languages = languages(&doc, raw.languages, &mut errs);
    if !languages.iter().any(|l| l.code == raw.default_language) {
        errs.push(doc.error_at(
            &["default_language"],
            Some(&raw.default_language),
            format!(
                "default_language `{}` is not one of the site's languages",
                raw.default_language
            ),
        ));
    }
    let base_url = raw.base_url.trim().trim_end_matches('/').to_string();
    if !valid_base_url(&base_url) {
        errs.push(doc.error_at(
            &["base_url"],
            None,
            format!(
                "base_url `{}` must be an absolute http(s) URL",
                raw.base_url
            ),
        ));
    }
    let theme = raw.theme.unwrap_or_else(|| "default".into());
    if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
        errs.push(doc.error_at(
            &["theme"],
            None,
            format!("`{theme}` is not a theme folder name"),
        ));
    }
    let topics = named(&doc, &languages, raw.topics, "topics", &mut errs);
    let categories = named(&doc, &languages, raw.categories, "categories", &mut errs);
    let raw_html = raw_html(&doc, raw.markdown, &mut errs);
    let repository = repository(&doc, raw.repository, &mut errs);
    let title = raw.title.into_map(&languages);
    for (lang, _) in title
        .iter()
        .filter(|(l, _)| !languages.iter().any(|x| &x.code == *l))
    {
        errs.push(doc.error_at(
            &["title", lang],
            None,
            format!("`{lang}` is not a language of this site"),
        ));
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    let mut config = SiteConfig {
        title,
        base_url: String::new(),
        path_start: 0,
        default_language: raw.default_language,
        languages,
        theme,
        topics,
        categories,
        translation_status: raw.translation_status,
        raw_html,
        repository,
    };
    config.set_base_url(&base_url);
    Ok(config)
}

/// The site's languages, each checked: its code, listed once, its direction.
fn languages(doc: &YamlDoc, raw: Vec<RawLanguage>, errs: &mut Vec<Diagnostic>) -> Vec<Language> {
    let mut languages = Vec::new();
    for l in raw {
        if !is_language_code(&l.code) {
            errs.push(doc.error_at(
                &["languages", "code"],
                Some(&l.code),
                format!(
                    "`{}` is not a language code (use codes like `en`, `he`, `pt-BR`)",
                    l.code
                ),
            ));
        }
        if languages.iter().any(|x: &Language| x.code == l.code) {
            errs.push(doc.error_at(
                &["languages"],
                Some(&l.code),
                format!("language `{}` is listed twice", l.code),
            ));
        }
        let direction = match l.direction.as_deref() {
            None | Some("ltr") => Direction::Ltr,
            Some("rtl") => Direction::Rtl,
            Some(other) => {
                errs.push(doc.error_at(
                    &["languages", "direction"],
                    Some(other),
                    format!("direction `{other}` must be `ltr` or `rtl`"),
                ));
                Direction::Ltr
            }
        };
        languages.push(Language {
            code: l.code,
            name: l.name,
            direction,
        });
    }
    if languages.is_empty() {
        errs.push(doc.error_at(&["languages"], None, "the site needs at least one language"));
    }
    languages
}

/// The names under `key` (topics, categories), in the order written: a
/// name, or a name per language.
fn named(
    doc: &YamlDoc,
    languages: &[Language],
    map: serde_yaml::Mapping,
    key: &str,
    errs: &mut Vec<Diagnostic>,
) -> Vec<(String, Localized)> {
    let mut out = Vec::new();
    for (k, v) in map {
        let Some(id) = k.as_str().map(str::to_string) else {
            errs.push(doc.error_at(
                &[key],
                None,
                format!("the names under `{key}` must be text"),
            ));
            continue;
        };
        match serde_yaml::from_value::<LocalizedText>(v) {
            Ok(t) => out.push((id, t.into_map(languages))),
            Err(_) => errs.push(doc.error_at(
                &[key, &id],
                None,
                format!(
                    "`{key}.{id}` must be a name, or a name per language ({{ en: ..., he: ... }})"
                ),
            )),
        }
    }
    out
}

/// `markdown.raw_html`, the default when not set.
fn raw_html(doc: &YamlDoc, markdown: Option<RawMarkdown>, errs: &mut Vec<Diagnostic>) -> RawHtml {
    match markdown.and_then(|m| m.raw_html) {
        None => RawHtml::default(),
        Some(v) => RawHtml::parse(&v).unwrap_or_else(|| {
            errs.push(doc.error_at(
                &["markdown", "raw_html"],
                Some(&v),
                format!(
                    "markdown.raw_html `{v}` must be one of: {}",
                    RawHtml::NAMES.join(", ")
                ),
            ));
            RawHtml::default()
        }),
    }
}

/// site.yaml's `repository`: its URL patterns, each checked.
fn repository(
    doc: &YamlDoc,
    raw: Option<RawRepository>,
    errs: &mut Vec<Diagnostic>,
) -> Option<Repository> {
    let r = raw?;
    for (key, url) in [
        ("edit_url", Some(&r.edit_url)),
        ("translate_url", r.translate_url.as_ref()),
    ] {
        if let Some(url) = url {
            if let Err(why) = check_url_pattern(url) {
                errs.push(doc.error_at(
                    &["repository", key],
                    None,
                    format!("repository.{key} `{url}` {why}"),
                ));
            }
        }
    }
    Some(Repository {
        edit_url: r.edit_url,
        translate_url: r.translate_url,
    })
}

/// A `repository` URL pattern: an absolute http(s) URL with `{path}` in
/// it, and no other placeholder.
fn check_url_pattern(u: &str) -> Result<(), &'static str> {
    if !u.contains("{path}") {
        return Err("must contain `{path}` where the file's path goes");
    }
    let rest = u.replace("{path}", "");
    if rest.contains(['{', '}']) {
        return Err("may hold no placeholder but `{path}`");
    }
    let bare = rest.split(['?', '#']).next().unwrap_or("");
    let query_ok = !rest.contains([' ', '"', '\'', '<', '>', '\\', '`'])
        && !rest.chars().any(char::is_control);
    if !valid_base_url(bare.trim_end_matches('/')) || !query_ok {
        return Err(
            "must be an absolute http(s) URL, e.g. https://github.com/owner/repo/edit/main/{path}",
        );
    }
    Ok(())
}

/// An absolute http(s) URL with a host, and nothing that could break out
/// of an attribute or a sitemap entry.
pub fn valid_base_url(u: &str) -> bool {
    let Some((scheme, rest)) = u.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && !rest.starts_with('/')
        && !rest.contains(['?', '#', ' ', '"', '\'', '<', '>', '\\', '`'])
        && !rest.chars().any(char::is_control)
}
