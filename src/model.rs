//! The typed site: what the load stage produces and every later stage reads.

pub use crate::markdown::{Heading, LinkRef, RawHtml};
use crate::source::SourceFile;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// `prefix`, then `path` percent-encoded, in one allocation.
fn prefixed(prefix: &str, path: &str) -> String {
    let encoded = crate::urls::encode_path_cow(path);
    let mut out = String::with_capacity(prefix.len() + encoded.len());
    out.push_str(prefix);
    out.push_str(&encoded);
    out
}

/// A text per language code.
pub type Localized = BTreeMap<String, String>;

/// `title: Plain text` (all languages) or `title: { en: ..., he: ... }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum LocalizedText {
    All(String),
    Per(Localized),
}

impl LocalizedText {
    pub fn into_map(self, langs: &[Language]) -> Localized {
        match self {
            LocalizedText::Per(m) => m,
            LocalizedText::All(s) => langs.iter().map(|l| (l.code.clone(), s.clone())).collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Language {
    pub code: String,
    pub name: String,
    pub direction: Direction,
}

#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: Localized,
    /// Without a trailing slash. Set with [`SiteConfig::set_base_url`],
    /// which also finds where its path starts.
    pub(crate) base_url: String,
    /// Where the path of `base_url` starts (its length when it has none).
    pub(crate) path_start: usize,
    pub default_language: String,
    pub languages: Vec<Language>,
    pub theme: String,
    /// Localized names of top-level article folders, in the order written.
    pub topics: Vec<(String, Localized)>,
    /// Localized names of skill categories, in the order written.
    pub categories: Vec<(String, Localized)>,
    pub translation_status: bool,
    /// `markdown.raw_html`: what happens to HTML written in Markdown.
    pub raw_html: RawHtml,
    /// `repository`: links to edit and translate an article's file.
    pub repository: Option<Repository>,
}

/// `repository:` URL patterns; `{path}` is a file's path from the site root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repository {
    /// Where an article's file is edited.
    pub edit_url: String,
    /// Where a missing translation's file is created (optional).
    pub translate_url: Option<String>,
}

impl RawHtml {
    pub const NAMES: [&'static str; 3] = ["allow", "escape", "sanitize"];

    pub fn parse(s: &str) -> Option<RawHtml> {
        match s {
            "allow" => Some(RawHtml::Allow),
            "escape" => Some(RawHtml::Escape),
            "sanitize" => Some(RawHtml::Sanitize),
            _ => None,
        }
    }
}

impl SiteConfig {
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }

    pub fn has_language(&self, code: &str) -> bool {
        self.language(code).is_some()
    }

    /// A link to a site path from inside the site: base path first,
    /// percent-encoded.
    pub fn href(&self, path: &str) -> String {
        prefixed(self.base_path(), path)
    }

    /// A site path as an absolute URL (`base_url` first), percent-encoded.
    pub fn abs_url(&self, path: &str) -> String {
        prefixed(&self.base_url, path)
    }

    /// The path of `base_url` (`/kb` of `https://example.org/kb`), or "".
    /// Asked for by every link, so found once.
    pub fn base_path(&self) -> &str {
        &self.base_url[self.path_start..]
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Trailing slashes go.
    pub fn set_base_url(&mut self, url: &str) {
        self.base_url = url.trim_end_matches('/').to_string();
        self.path_start = match self.base_url.split_once("://") {
            Some((scheme, rest)) => rest
                .find('/')
                .map_or(self.base_url.len(), |i| scheme.len() + 3 + i),
            None => self.base_url.len(),
        };
    }

    /// A localized text in `lang`, else the default language's, else any.
    pub fn pick<'a>(&self, m: &'a Localized, lang: &str) -> Option<&'a str> {
        m.get(lang)
            .or_else(|| m.get(&self.default_language))
            .or_else(|| m.values().next())
            .map(String::as_str)
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub updated: Option<String>,
    #[serde(default)]
    pub authors: Vec<String>,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub translation: Option<TranslationInfo>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TranslationInfo {
    pub source: String,
    /// Kept as YAML so an unquoted number can be told apart and refused.
    pub source_hash: serde_yaml::Value,
}

#[derive(Debug, Clone)]
pub struct Article {
    /// Language-neutral path under `content/articles/` without `.md`, e.g. `hiring/ten-traits`.
    pub key: String,
    pub lang: String,
    pub file: SourceFile,
    pub fm: FrontMatter,
    /// Byte offset of the front matter YAML in the file.
    pub fm_offset: usize,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
    pub slug: String,
    /// Folders under `content/articles/`, e.g. `["hiring"]`.
    pub dirs: Vec<String>,
    pub topic: Option<String>,
    /// Site-relative URL path, e.g. `/en/articles/hiring/ten-traits/`.
    pub url: String,
    /// `url` as links write it: base path first, percent-encoded.
    pub href: String,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    /// `translation.source_hash` when valid.
    pub source_hash: Option<String>,
    /// Hash of this file's own body (what a translation of it records),
    /// computed when first asked for: only translation sources need it.
    pub body_hash: std::sync::OnceLock<String>,
    /// The site root to read the file from again after [`Article::drop_body`].
    pub reread_root: Option<std::path::PathBuf>,
    /// The body rendered at load, from the one parse that also found its
    /// links and headings; the article's page takes it.
    pub prepared: TakeOnce<crate::markdown::Prepared>,
}

/// A value taken once, so that its memory goes as soon as it is used; who
/// comes later (a page rendered again by `serve`) makes it again.
#[derive(Debug, Default)]
pub struct TakeOnce<T>(std::sync::Mutex<Option<T>>);

impl<T> TakeOnce<T> {
    pub fn new(v: T) -> Self {
        TakeOnce(std::sync::Mutex::new(Some(v)))
    }

    pub fn take(&self) -> Option<T> {
        self.0.lock().ok()?.take()
    }
}

impl<T: Clone> Clone for TakeOnce<T> {
    fn clone(&self) -> Self {
        TakeOnce(std::sync::Mutex::new(
            self.0.lock().ok().and_then(|v| v.clone()),
        ))
    }
}

impl Article {
    pub fn body(&self) -> &str {
        &self.file.text[self.body_offset..]
    }

    /// Frees the text of the body, for a run that renders the article's page
    /// once, from the body prepared at load (at 10,000 pages a third of the
    /// memory). An original's hash is kept first; a translation's is rarely
    /// asked for (when it is the source of another), so then its file under
    /// `root` is read again.
    pub fn drop_body(&mut self, root: &std::path::Path) {
        if self.fm.translation.is_none() {
            let _ = self.body_hash();
        } else {
            self.reread_root = Some(root.into());
        }
        self.file.drop_text_after(self.body_offset);
    }

    /// The rendered body: the one made at load, or (when that one was used)
    /// a new one, with its search words when `words` is set. After
    /// [`Article::drop_body`] with nothing prepared (`check`), it is empty.
    pub fn prepared(&self, raw: RawHtml, words: bool) -> crate::markdown::Prepared {
        match self.prepared.take() {
            Some(p) if p.has_words() || !words => p,
            _ => {
                crate::markdown::parse(self.body(), self.body_offset)
                    .prepare(raw, words)
                    .1
            }
        }
    }

    /// The `source_hash` a translation of this article records.
    pub fn body_hash(&self) -> &str {
        self.body_hash.get_or_init(|| match &self.reread_root {
            None => crate::hash::source_hash(self.body()),
            Some(root) => {
                let text = SourceFile::read(root, &self.file.rel).ok();
                let body = text.as_ref().and_then(|f| {
                    let (_, _, body) = crate::source::split_front_matter(f).ok()?;
                    Some(&f.text[body..])
                });
                crate::hash::source_hash(body.unwrap_or_default())
            }
        })
    }

    pub fn has_anchor(&self, id: &str) -> bool {
        self.headings.iter().any(|h| h.id == id)
    }
}

#[derive(Debug, Clone)]
pub struct Indicator {
    pub id: String,
    pub text: Localized,
}

#[derive(Debug, Clone)]
pub struct Skill {
    pub id: String,
    pub file: SourceFile,
    pub category: String,
    pub name: Localized,
    pub summary: Localized,
    pub why: Localized,
    pub indicators: Vec<Indicator>,
    pub interview_questions: Vec<Localized>,
    pub development: Localized,
    pub related: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct ChecklistItem {
    pub id: String,
    pub skill: String,
    pub text: Localized,
}

#[derive(Debug, Clone)]
pub struct Scale {
    pub min: i64,
    pub max: i64,
    pub labels: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone)]
pub struct Checklist {
    pub id: String,
    pub file: SourceFile,
    pub title: Localized,
    pub audience: String,
    pub intro: Localized,
    pub scale: Scale,
    pub skills: Vec<String>,
    /// Skills listed with a chosen subset of their indicators: skill id →
    /// indicator ids, in the order to show them. Other skills bring all.
    pub picked: BTreeMap<String, Vec<String>>,
    pub extra_items: Vec<ChecklistItem>,
}

pub const AUDIENCES: &[&str] = &["agent", "manager", "hiring", "team"];

/// UI strings per language: theme's, with the site's `i18n/` on top.
#[derive(Debug, Clone, Default)]
pub struct UiStrings {
    pub by_lang: BTreeMap<String, BTreeMap<String, String>>,
    /// Keys each language lacks (shown in the default language instead).
    pub missing: BTreeMap<String, Vec<String>>,
    /// How many keys the theme defines.
    pub total: usize,
}

/// One template or asset of the theme, built in or from the site.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Path relative to the site root when it comes from the site.
    pub origin: Option<String>,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// `base.html` → source text.
    pub templates: BTreeMap<String, ThemeFile>,
    /// `style.css` → bytes, served under `/static/`.
    pub assets: BTreeMap<String, ThemeFile>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    /// Article file (site-relative) → date of its last git commit.
    pub last_commits: std::collections::HashMap<String, String>,
    pub config: SiteConfig,
    /// Every article version that is built (drafts only with `--drafts`).
    pub articles: Vec<Article>,
    /// key → lang → index into `articles`.
    pub by_key: rustc_hash::FxHashMap<String, BTreeMap<String, usize>>,
    /// (key, lang) of drafts left out of this build.
    pub drafts: Vec<(String, String)>,
    pub skills: BTreeMap<String, Skill>,
    pub checklists: BTreeMap<String, Checklist>,
    pub ui: UiStrings,
    pub theme: Theme,
    /// Site `static/` files: path relative to `static/`.
    pub static_files: Vec<String>,
    /// Files that exist but did not load.
    pub failed: std::collections::HashSet<Failed>,
}

impl Site {
    /// Bytes of a language's own text: its articles' Markdown bodies, titles
    /// and descriptions, its skill texts, its checklist titles and intros. What
    /// the size of its search index is measured against.
    pub fn text_bytes(&self, lang: &str) -> usize {
        let site = self;
        let articles: usize = site
            .articles
            .iter()
            .filter(|a| a.lang == lang)
            .map(|a| {
                a.body().len() + a.fm.title.len() + a.fm.description.as_ref().map_or(0, String::len)
            })
            .sum();
        let get = |m: &Localized| m.get(lang).map_or(0, String::len);
        let skills: usize = site
            .skills
            .values()
            .map(|s| {
                get(&s.name)
                    + get(&s.summary)
                    + get(&s.why)
                    + get(&s.development)
                    + s.indicators.iter().map(|i| get(&i.text)).sum::<usize>()
                    + s.interview_questions.iter().map(get).sum::<usize>()
            })
            .sum();
        let checklists: usize = site
            .checklists
            .values()
            .map(|c| get(&c.title) + get(&c.intro))
            .sum();
        articles + skills + checklists
    }

    pub fn version(&self, key: &str, lang: &str) -> Option<&Article> {
        self.version_index(key, lang).map(|i| &self.articles[i])
    }

    /// [`Site::version`]'s index in `articles`.
    pub fn version_index(&self, key: &str, lang: &str) -> Option<usize> {
        self.by_key.get(key)?.get(lang).copied()
    }

    /// The version of `key` to show in `lang`: its own, else the default
    /// language's, else any.
    pub fn best_version(&self, key: &str, lang: &str) -> Option<&Article> {
        self.best_index(key, lang).map(|i| &self.articles[i])
    }

    /// [`Site::best_version`]'s index in `articles`.
    pub fn best_index(&self, key: &str, lang: &str) -> Option<usize> {
        let versions = self.by_key.get(key)?;
        versions
            .get(lang)
            .or_else(|| versions.get(&self.config.default_language))
            .or_else(|| versions.values().next())
            .copied()
    }

    pub fn versions(&self, key: &str) -> impl Iterator<Item = &Article> {
        self.by_key
            .get(key)
            .into_iter()
            .flat_map(|m| m.values().map(|&i| &self.articles[i]))
    }

    /// Every item of a checklist, in order: indicators of each listed skill,
    /// then the extra items of that skill.
    pub fn checklist_items(&self, c: &Checklist) -> Vec<ChecklistItem> {
        let mut out = Vec::new();
        for sid in &c.skills {
            if let Some(skill) = self.skills.get(sid) {
                let item = |i: &Indicator| ChecklistItem {
                    id: i.id.clone(),
                    skill: sid.clone(),
                    text: i.text.clone(),
                };
                match c.picked.get(sid) {
                    Some(ids) => out.extend(
                        ids.iter()
                            .filter_map(|id| skill.indicators.iter().find(|i| &i.id == id))
                            .map(item),
                    ),
                    None => out.extend(skill.indicators.iter().map(item)),
                }
            }
            out.extend(c.extra_items.iter().filter(|e| &e.skill == sid).cloned());
        }
        out
    }
}

/// A file that failed to load, by what it would have been: references to
/// it are not reported again as broken.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Failed {
    /// An article, by its key (`hiring/ten-traits`).
    Article(String),
    Skill(String),
    Checklist(String),
}
