//! The render stage: pages through Markdown and Tera, in parallel, plus
//! feeds, sitemap, search indexes and assets, as files in memory. Pages are
//! named by [`PageId`], so `serve` can re-render only some of them.

/// A JSON object sized for its keys up front: `json!` grows its map as it
/// inserts, allocating a template object's table and entries again as it
/// goes. Values convert as in `json!`.
macro_rules! object {
    ({ $($key:literal : $value:expr),* $(,)? }) => {{
        let mut m = serde_json::Map::with_capacity([$($key),*].len());
        $( m.insert($key.to_string(), serde_json::json!($value)); )*
        serde_json::Value::Object(m)
    }};
}

mod article_page;
mod chrome;
pub mod context;
pub mod feeds;
mod files;
pub mod pages;
mod renderer;
pub mod templates;

pub use files::{asset_files, atom_file, search_index_file, sitemap_file, ROOT_FAVICON};
pub use renderer::{ContextCache, RenderedPage, Renderer};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::resolve::Graph;
use crate::search_index::Entry;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// One HTML page before rendering.
#[derive(Debug, Clone)]
pub struct Page {
    /// Site path, e.g. `/en/skills/`.
    pub url: String,
    /// `None` for the root chooser and 404.
    pub lang: Option<String>,
    pub template: &'static str,
    /// (hreflang, site path), `x-default` included.
    pub alternates: Vec<(String, String)>,
    pub title: String,
    pub description: Option<String>,
    pub ctx: Value,
    /// An article page's context, typed: written out without Tera when the
    /// theme's article page is the built-in one, else made into `ctx`.
    pub article: Option<Box<context::ArticlePage>>,
    pub in_sitemap: bool,
    pub lastmod: Option<String>,
    /// An article's search-index entry.
    pub search: Option<Entry>,
    /// Articles (key, lang) whose titles this page lists beyond its own
    /// links: its "also read" and backlinks.
    pub deps: Vec<(String, String)>,
    /// The topic a topic page shows.
    pub topic: Option<String>,
}

/// Every page the site has, by what it shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageId {
    Root,
    NotFound,
    Home(String),
    Topic(String, String),
    SkillsIndex(String),
    Skill(String, String),
    ChecklistsIndex(String),
    Checklist(String, String),
    Search(String),
    TranslationStatus(String),
    Article(String, String),
}

/// What is kept of a rendered page: enough for the sitemap and for knowing
/// later whether it must be rendered again.
#[derive(Debug, Clone, PartialEq)]
pub struct PageMeta {
    pub url: String,
    pub lang: Option<String>,
    pub alternates: Vec<(String, String)>,
    pub in_sitemap: bool,
    pub lastmod: Option<String>,
    pub deps: Vec<(String, String)>,
}

/// A file of the output, path relative to the output folder.
#[derive(Debug, Clone)]
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A link to a site path from inside the site (base path included).
pub fn href(site: &Site, path: &str) -> String {
    site.config.href(path)
}

pub fn abs_url(site: &Site, path: &str) -> String {
    site.config.abs_url(path)
}

pub use crate::routes::out_path;

/// Whether the site's theme has the built-in text of each of `names`.
pub(crate) fn builtin_templates(site: &Site, names: &[&str]) -> bool {
    names.iter().all(|name| {
        site.theme
            .templates
            .get(*name)
            .is_some_and(|f| crate::theme::is_builtin_template(name, &f.bytes))
    })
}

/// Every page of the site.
pub fn page_ids(site: &Site, g: &Graph) -> Vec<PageId> {
    let mut out = vec![PageId::Root, PageId::NotFound];
    for l in &site.config.languages {
        let lang = l.code.clone();
        out.push(PageId::Home(lang.clone()));
        out.extend(
            g.topics
                .iter()
                .map(|t| PageId::Topic(lang.clone(), t.id.clone())),
        );
        out.push(PageId::SkillsIndex(lang.clone()));
        out.extend(
            site.skills
                .keys()
                .map(|id| PageId::Skill(lang.clone(), id.clone())),
        );
        out.push(PageId::ChecklistsIndex(lang.clone()));
        out.extend(
            site.checklists
                .keys()
                .map(|id| PageId::Checklist(lang.clone(), id.clone())),
        );
        if site.config.translation_status {
            out.push(PageId::TranslationStatus(lang.clone()));
        }
        out.push(PageId::Search(lang));
    }
    out.extend(
        site.articles
            .iter()
            .map(|a| PageId::Article(a.key.clone(), a.lang.clone())),
    );
    out
}

/// The page `id` names, or `None` when the site no longer has it. With
/// `search`, an article page carries its search-index entry.
pub fn make_page(site: &Site, g: &Graph, id: &PageId, search: bool) -> Option<Page> {
    let none = BTreeMap::new();
    let ui = |lang: &str| site.ui.by_lang.get(lang).unwrap_or(&none);
    let has_lang = |l: &str| site.config.has_language(l);
    Some(match id {
        PageId::Root => pages::root(site),
        PageId::NotFound => pages::not_found(site),
        PageId::Home(l) if has_lang(l) => pages::home(site, g, l, ui(l)),
        PageId::Topic(l, t) if has_lang(l) => pages::topic(site, g, l, t)?,
        PageId::SkillsIndex(l) if has_lang(l) => pages::skills_index(site, l, ui(l)),
        PageId::Skill(l, id) if has_lang(l) && site.skills.contains_key(id) => {
            pages::skill(site, g, l, id, ui(l))
        }
        PageId::ChecklistsIndex(l) if has_lang(l) => pages::checklists_index(site, l, ui(l)),
        PageId::Checklist(l, id) if has_lang(l) && site.checklists.contains_key(id) => {
            pages::checklist(site, g, l, id, ui(l))
        }
        PageId::Search(l) if has_lang(l) => pages::search(site, l, ui(l)),
        PageId::TranslationStatus(l) if has_lang(l) && site.config.translation_status => {
            pages::translation_status(site, g, l, ui(l))
        }
        PageId::Article(k, l) => {
            let i = site.version_index(k, l)?;
            pages::article(site, g, i, search)
        }
        _ => return None,
    })
}

/// Pages per language ("" for the root chooser and 404), for the closing line.
pub fn count_pages<'a>(metas: impl Iterator<Item = &'a PageMeta>) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for p in metas {
        *m.entry(p.lang.clone().unwrap_or_default()).or_insert(0) += 1;
    }
    m
}

/// The whole site rendered in memory.
pub struct Output {
    pub renderer: Renderer,
    /// Output path → bytes. Shared, so that `serve` can keep answering from
    /// a copy of the map while a rebuild changes this one.
    pub files: BTreeMap<String, Arc<Vec<u8>>>,
    pub metas: BTreeMap<PageId, PageMeta>,
    pub article_search: HashMap<(String, String), Entry>,
}

impl Output {
    pub fn pages(&self) -> BTreeMap<String, usize> {
        count_pages(self.metas.values())
    }
}

/// Receives the files of a build as they are rendered (from any thread).
pub type Sink<'a> = &'a (dyn Fn(&str, &[u8]) + Sync);

/// Render the whole site with the theme's compiled `templates` (or their
/// errors). Each file goes to `sink` when there is one, and is kept in
/// `Output::files` when `keep` is set (for `serve`). Errors go to `diags`;
/// `None` if any.
pub fn render_site(
    site: &Site,
    g: &Graph,
    templates: Result<tera::Tera, Vec<Diagnostic>>,
    diags: &Diagnostics,
    sink: Option<Sink>,
    keep: bool,
) -> Option<Output> {
    let t = crate::timing::Timer::new();
    let renderer = match templates {
        Ok(tera) => Renderer::with_templates(tera, site, g),
        Err(ds) => {
            diags.extend(ds);
            return None;
        }
    };
    t.lap("render: shared contexts");
    // With nowhere to put files (`check`), the files derived from the pages
    // (search indexes, feeds, sitemap) are not made: they cannot fail.
    let derived = sink.is_some() || keep;
    let results = render_all_pages(site, g, &renderer, diags, sink, keep, derived);
    t.lap("render: pages");
    if diags.has_errors() {
        return None;
    }
    let mut out = collect_pages(renderer, results);
    t.lap("render: collect");
    if !derived {
        return Some(out);
    }
    let aux = derived_files(site, &out);
    t.lap("render: feeds, search indexes, sitemap");
    let assets = asset_files(site, diags);
    for f in aux.into_iter().chain(assets) {
        if let Some(sink) = sink {
            sink(&f.path, &f.bytes);
        }
        if keep {
            out.files.insert(f.path, Arc::new(f.bytes));
        }
    }
    Some(out)
}

/// A rendered page as [`render_site`] keeps it: its meta, its search entry
/// (with `derived`) and its file (with `keep`).
type Done = (PageId, PageMeta, Option<Entry>, Option<OutFile>);

/// Every page rendered in parallel, each file sent to `sink` as it is
/// done; a page that fails is `None`, its error in `diags`.
fn render_all_pages(
    site: &Site,
    g: &Graph,
    renderer: &Renderer,
    diags: &Diagnostics,
    sink: Option<Sink>,
    keep: bool,
    derived: bool,
) -> Vec<Option<Done>> {
    let ids = page_ids(site, g);
    renderer::map_pages(&ids, |cache, id| {
        if !derived && !keep {
            if let Some(meta) = renderer.unfailing_article(site, id) {
                return Some((id.clone(), meta, None, None));
            }
        }
        let mut p = make_page(site, g, id, derived)?;
        match renderer.render(site, &mut p, cache) {
            Ok(file) => {
                if let Some(sink) = sink {
                    sink(&file.path, &file.bytes);
                }
                let page = RenderedPage::new(p, file);
                Some((
                    id.clone(),
                    page.meta,
                    page.search,
                    keep.then_some(page.file),
                ))
            }
            Err(d) => {
                diags.push(d);
                None
            }
        }
    })
}

/// The rendered pages gathered into an [`Output`].
fn collect_pages(renderer: Renderer, results: Vec<Option<Done>>) -> Output {
    let mut out = Output {
        renderer,
        files: BTreeMap::new(),
        metas: BTreeMap::new(),
        article_search: HashMap::new(),
    };
    for (id, meta, search, file) in results.into_iter().flatten() {
        if let (Some(e), PageId::Article(k, l)) = (search, &id) {
            out.article_search.insert((k.clone(), l.clone()), e);
        }
        if let Some(f) = file {
            out.files.insert(f.path, Arc::new(f.bytes));
        }
        out.metas.insert(id, meta);
    }
    out
}

/// The sitemap, and each language's feed and search index.
fn derived_files(site: &Site, out: &Output) -> Vec<OutFile> {
    // Feeds, search indexes and the sitemap are large; each is built on its own core.
    let mut jobs: Vec<Option<&str>> = vec![None];
    jobs.extend(site.config.languages.iter().map(|l| Some(l.code.as_str())));
    jobs.par_iter()
        .flat_map_iter(|job| match job {
            None => vec![sitemap_file(site, &out.metas)],
            Some(l) => vec![
                atom_file(site, l),
                search_index_file(site, l, &out.article_search),
            ],
        })
        .collect()
}
