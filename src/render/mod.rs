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

mod chrome;
pub mod context;
pub mod feeds;
pub mod pages;
pub mod templates;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::resolve::Graph;
use crate::routes::Route;
use crate::search_index::{self, Entry};
use rayon::prelude::*;
use serde_json::{Map, Value};
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
            let i = *site.by_key.get(k)?.get(l)?;
            pages::article(site, g, i, search)
        }
        _ => return None,
    })
}

fn kind_of(template: &'static str) -> &'static str {
    template.trim_end_matches(".html")
}

/// What a page receives about itself. `m` is its own context, `shared` its
/// language's.
fn frame(
    site: &Site,
    p: &Page,
    lang: &str,
    m: &Map<String, Value>,
    shared: &Map<String, Value>,
) -> context::Frame {
    let alternates: Vec<context::Alternate> = p
        .alternates
        .iter()
        .map(|(l, u)| context::Alternate {
            lang: l.clone(),
            href: abs_url(site, u),
        })
        .collect();
    let own = m.get("languages").or_else(|| shared.get("languages"));
    let languages: Option<Vec<context::LanguageLink>> = own.is_none().then(|| {
        p.alternates
            .iter()
            .filter(|(l, _)| l != "x-default")
            .filter_map(|(l, u)| {
                let x = site.config.language(l)?;
                Some(context::LanguageLink {
                    code: l.clone(),
                    name: x.name.clone(),
                    dir: x.direction.as_str(),
                    url: href(site, u),
                    current: Some(*l == lang),
                })
            })
            .collect()
    });
    let languages_html = match &languages {
        Some(l) => chrome::languages(shared, serde_json::to_value(l).ok().as_ref()),
        None => chrome::languages(shared, own),
    };
    let kind = kind_of(p.template);
    let current_topic = p.topic.as_deref();
    context::Frame {
        canonical: abs_url(site, &p.url),
        url: href(site, &p.url),
        alternates_html: chrome::alternates(
            alternates
                .iter()
                .map(|a| (a.lang.as_str(), a.href.as_str())),
        ),
        alternates,
        languages,
        languages_html,
        nav_html: chrome::marks_current(kind, current_topic.is_some())
            .then(|| chrome::nav(shared, kind, current_topic)),
        page_title: p.title.clone(),
        description: p.description.clone(),
        kind,
        noindex: !p.in_sitemap,
        current_topic: p.topic.clone(),
    }
}

/// Pages a rendering job takes at least, so that each job's copies of the
/// shared contexts serve many pages.
const MIN_PAGES_PER_JOB: usize = 32;

/// One rendering worker's contexts, by language (see [`Renderer::render`]).
#[derive(Default)]
pub struct ContextCache {
    by_lang: HashMap<String, tera::Context>,
}

/// Compiled templates and what every page of a language receives.
pub struct Renderer {
    tera: tera::Tera,
    shared: BTreeMap<String, Map<String, Value>>,
}

impl Renderer {
    pub fn new(site: &Site, g: &Graph) -> Result<Renderer, Vec<Diagnostic>> {
        Ok(Renderer::with_templates(
            templates::compile(&site.theme)?,
            site,
            g,
        ))
    }

    /// A renderer around templates compiled beforehand (while resolve ran).
    pub fn with_templates(tera: tera::Tera, site: &Site, g: &Graph) -> Renderer {
        let mut r = Renderer {
            tera,
            shared: BTreeMap::new(),
        };
        r.refresh(site, g);
        r
    }

    /// Recompute what all pages share (after the site or graph changed).
    pub fn refresh(&mut self, site: &Site, g: &Graph) {
        self.shared = site
            .config
            .languages
            .iter()
            .map(|l| (l.code.clone(), pages::shared(site, g, &l.code)))
            .collect();
    }

    /// Render one page with its template. `cache` holds this worker's copies
    /// of the shared contexts: the page's own keys go into one for the
    /// render and come out after, instead of the shared values (the UI
    /// strings alone are ~150) being cloned for every page. The page's own
    /// context is moved out of it.
    pub fn render(
        &self,
        site: &Site,
        p: &mut Page,
        cache: &mut ContextCache,
    ) -> Result<OutFile, Diagnostic> {
        let lang = p.lang.as_deref().unwrap_or(&site.config.default_language);
        let mut m = match std::mem::take(&mut p.ctx) {
            Value::Object(extra) => extra,
            _ => Map::new(),
        };
        let shared = self.shared.get(lang);
        let frame = frame(site, p, lang, &m, shared.unwrap_or(&Map::new()));
        if let Ok(Value::Object(f)) = serde_json::to_value(&frame) {
            m.extend(f);
        }

        // The page around an article's body is about 8 KB.
        let body = m
            .get("article")
            .and_then(|a| a.get("content"))
            .and_then(Value::as_str)
            .map_or(0, str::len);
        let ctx = cache.by_lang.entry(lang.to_string()).or_insert_with(|| {
            tera::Context::from_value(Value::Object(shared.cloned().unwrap_or_default()))
                .unwrap_or_default()
        });
        // Page keys win over shared ones; the shared values come back after.
        // One `extend` each way: every call merges two sorted maps.
        let keys: Vec<String> = m.keys().cloned().collect();
        let displaced: Map<String, Value> = keys
            .iter()
            .filter_map(|k| Some((k.clone(), ctx.remove(k)?)))
            .collect();
        ctx.extend(tera::Context::from_value(Value::Object(m)).unwrap_or_default());
        let mut bytes = Vec::with_capacity(body + 16 * 1024);
        let result = self.tera.render_to(p.template, ctx, &mut bytes);
        for k in &keys {
            ctx.remove(k);
        }
        if !displaced.is_empty() {
            ctx.extend(tera::Context::from_value(Value::Object(displaced)).unwrap_or_default());
        }
        result.map_err(|e| {
            let file = site
                .theme
                .templates
                .get(p.template)
                .and_then(|f| f.origin.clone())
                .unwrap_or_else(|| format!("themes/default/templates/{}", p.template));
            Diagnostic::error(
                file,
                format!("cannot render {}: {}", p.url, templates::error_chain(&e)),
            )
        })?;
        Ok(OutFile {
            path: out_path(&p.url),
            bytes,
        })
    }

    /// Build and render the pages `ids` names, in parallel. Pages that no
    /// longer exist come back as `None`.
    pub fn render_pages(
        &self,
        site: &Site,
        g: &Graph,
        ids: &[PageId],
    ) -> Result<Vec<(PageId, Option<RenderedPage>)>, Vec<Diagnostic>> {
        let results: Vec<Result<(PageId, Option<RenderedPage>), Diagnostic>> = ids
            .par_iter()
            .with_min_len(MIN_PAGES_PER_JOB)
            .map_init(ContextCache::default, |cache, id| {
                match make_page(site, g, id, true) {
                    None => Ok((id.clone(), None)),
                    Some(mut p) => {
                        let file = self.render(site, &mut p, cache)?;
                        Ok((id.clone(), Some(RenderedPage::new(p, file))))
                    }
                }
            })
            .collect();
        let mut ok = Vec::with_capacity(results.len());
        let mut errs = Vec::new();
        for r in results {
            match r {
                Ok(x) => ok.push(x),
                Err(d) => errs.push(d),
            }
        }
        if errs.is_empty() {
            Ok(ok)
        } else {
            Err(errs)
        }
    }
}

pub struct RenderedPage {
    pub meta: PageMeta,
    pub file: OutFile,
    pub search: Option<Entry>,
}

impl RenderedPage {
    fn new(p: Page, file: OutFile) -> Self {
        RenderedPage {
            meta: PageMeta {
                url: p.url,
                lang: p.lang,
                alternates: p.alternates,
                in_sitemap: p.in_sitemap,
                lastmod: p.lastmod,
                deps: p.deps,
            },
            file,
            search: p.search,
        }
    }
}

/// Pages per language ("" for the root chooser and 404), for the closing line.
pub fn count_pages<'a>(metas: impl Iterator<Item = &'a PageMeta>) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for p in metas {
        *m.entry(p.lang.clone().unwrap_or_default()).or_insert(0) += 1;
    }
    m
}

/// `/<lang>/search-index.json` from the articles' cached entries and the
/// skills and checklists of that language.
pub fn search_index_file(
    site: &Site,
    lang: &str,
    articles: &HashMap<(String, String), Entry>,
) -> OutFile {
    let mut entries: Vec<&Entry> = Vec::new();
    let mut own: Vec<Entry> = Vec::new();
    let mut keys: Vec<&(String, String)> = articles.keys().filter(|(_, l)| l == lang).collect();
    keys.sort();
    entries.extend(keys.into_iter().map(|k| &articles[k]));
    for s in site.skills.values() {
        let Some(name) = s.name.get(lang) else {
            continue;
        };
        let mut texts: Vec<&str> = vec![name.as_str()];
        for m in [&s.summary, &s.why, &s.development] {
            if let Some(t) = m.get(lang) {
                texts.push(t);
            }
        }
        texts.extend(
            s.indicators
                .iter()
                .filter_map(|i| i.text.get(lang).map(String::as_str)),
        );
        texts.extend(
            s.interview_questions
                .iter()
                .filter_map(|q| q.get(lang).map(String::as_str)),
        );
        own.push(Entry {
            t: name.clone(),
            u: href(site, &Route::Skill(&s.id).path(lang)),
            d: s.summary.get(lang).cloned().unwrap_or_default(),
            k: "skill",
            s: vec![name.clone()],
            h: Vec::new(),
            w: search_index::words(texts),
        });
    }
    for c in site.checklists.values() {
        let Some(title) = c.title.get(lang) else {
            continue;
        };
        let mut texts: Vec<&str> = vec![title.as_str()];
        if let Some(i) = c.intro.get(lang) {
            texts.push(i);
        }
        own.push(Entry {
            t: title.clone(),
            u: href(site, &Route::Checklist(&c.id).path(lang)),
            d: String::new(),
            k: "checklist",
            s: Vec::new(),
            h: Vec::new(),
            w: search_index::words(texts),
        });
    }
    entries.extend(own.iter());
    OutFile {
        path: Route::SearchIndex.file(lang),
        bytes: search_index::index_json(lang, &entries),
    }
}

pub fn atom_file(site: &Site, lang: &str) -> OutFile {
    OutFile {
        path: Route::Feed.file(lang),
        bytes: feeds::atom(site, lang).into_bytes(),
    }
}

pub fn sitemap_file(site: &Site, metas: &BTreeMap<PageId, PageMeta>) -> OutFile {
    OutFile {
        path: "sitemap.xml".into(),
        bytes: feeds::sitemap(site, metas.values()).into_bytes(),
    }
}

/// Browsers ask for `/favicon.ico` on any document without an icon link
/// (feeds, the sitemap), so the theme's copy also goes to the output root
/// unless the site's `static/` has its own.
pub const ROOT_FAVICON: &str = "favicon.ico";

/// Theme assets and the site's `static/` files.
pub fn asset_files(site: &Site, diags: &Diagnostics) -> Vec<OutFile> {
    let mut files = Vec::new();
    for (name, f) in &site.theme.assets {
        files.push(OutFile {
            path: format!("static/{name}"),
            bytes: f.bytes.clone(),
        });
    }
    if let Some(f) = site.theme.assets.get(ROOT_FAVICON) {
        if !site.static_files.iter().any(|s| s == ROOT_FAVICON) {
            files.push(OutFile {
                path: ROOT_FAVICON.into(),
                bytes: f.bytes.clone(),
            });
        }
    }
    for rel in &site.static_files {
        let src = format!("static/{rel}");
        match crate::fsguard::read_site_file(&site.root, &src, crate::source::MAX_STATIC_BYTES) {
            Ok(bytes) => files.push(OutFile {
                path: rel.clone(),
                bytes,
            }),
            Err(d) => diags.push(d),
        }
    }
    files
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
    let ids = page_ids(site, g);
    type Done = (PageId, PageMeta, Option<Entry>, Option<OutFile>);
    let results: Vec<Option<Done>> = ids
        .par_iter()
        .with_min_len(MIN_PAGES_PER_JOB)
        .map_init(ContextCache::default, |cache, id| {
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
        .collect();
    t.lap("render: pages");
    if diags.has_errors() {
        return None;
    }
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
    t.lap("render: collect");
    if !derived {
        return Some(out);
    }
    // Feeds, search indexes and the sitemap are large; each is built on its own core.
    let mut jobs: Vec<Option<&str>> = vec![None];
    jobs.extend(site.config.languages.iter().map(|l| Some(l.code.as_str())));
    let mut aux: Vec<OutFile> = jobs
        .par_iter()
        .flat_map_iter(|job| match job {
            None => vec![sitemap_file(site, &out.metas)],
            Some(l) => vec![
                atom_file(site, l),
                search_index_file(site, l, &out.article_search),
            ],
        })
        .collect();
    t.lap("render: feeds, search indexes, sitemap");
    aux.extend(asset_files(site, diags));
    for f in aux {
        if let Some(sink) = sink {
            sink(&f.path, &f.bytes);
        }
        if keep {
            out.files.insert(f.path, Arc::new(f.bytes));
        }
    }
    Some(out)
}
