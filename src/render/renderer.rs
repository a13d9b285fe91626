//! Rendering pages with the compiled templates: each page's frame, and
//! the shared contexts each worker keeps a copy of.

use super::{abs_url, article_page, chrome, context, href, make_page, out_path, pages, templates};
use super::{OutFile, Page, PageId, PageMeta};
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::resolve::Graph;
use crate::search_index::Entry;
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap};

fn kind_of(template: &'static str) -> &'static str {
    template.trim_end_matches(".html")
}

/// What a page receives about itself. `own` is the language list its own
/// context has, if any; `shared` is its language's context.
fn frame(
    site: &Site,
    p: &Page,
    lang: &str,
    own: Option<&Value>,
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
    let own = own.or_else(|| shared.get("languages"));
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

/// Article pages a rendering job takes at least, so that each job's copies
/// of the shared contexts serve many pages.
const MIN_PAGES_PER_JOB: usize = 32;

/// `f` over `ids` in parallel, results in order. List pages (a skill's,
/// a topic's: hundreds of items each) go one to a job beside the article
/// pages' larger jobs: in jobs of 32 they were a few long jobs, and the
/// last one ran alone on one core.
pub(super) fn map_pages<T: Send>(
    ids: &[PageId],
    f: impl Fn(&mut ContextCache, &PageId) -> T + Sync,
) -> Vec<T> {
    let split = ids
        .iter()
        .position(|id| matches!(id, PageId::Article(..)))
        .unwrap_or(ids.len());
    let (lists, articles) = ids.split_at(split);
    let run = |ids: &[PageId], min: usize| -> Vec<T> {
        ids.par_iter()
            .with_min_len(min)
            .map_init(ContextCache::default, &f)
            .collect()
    };
    let (mut out, rest) = rayon::join(|| run(lists, 1), || run(articles, MIN_PAGES_PER_JOB));
    out.extend(rest);
    out
}

/// One rendering worker's contexts, by language (see [`Renderer::render`]).
#[derive(Default)]
pub struct ContextCache {
    by_lang: HashMap<String, tera::Context>,
}

/// Compiled templates and what every page of a language receives.
pub struct Renderer {
    tera: tera::Tera,
    shared: BTreeMap<String, Map<String, Value>>,
    /// Whether article pages are written by [`article_page`]: the theme's
    /// `article.html` and `base.html` are the built-in ones.
    native_articles: bool,
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
            native_articles: super::builtin_templates(site, &["article.html", "base.html"]),
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
        let empty = Map::new();
        let shared = self.shared.get(lang).unwrap_or(&empty);
        if let Some(page) = p.article.take() {
            if self.native_articles {
                let own = serde_json::to_value(&page.languages).ok();
                let frame = frame(site, p, lang, own.as_ref(), shared);
                return Ok(OutFile {
                    path: out_path(&p.url),
                    bytes: article_page::render(shared, &frame, &page),
                });
            }
            p.ctx = serde_json::to_value(&*page).unwrap_or_default();
        }
        let mut m = match std::mem::take(&mut p.ctx) {
            Value::Object(extra) => extra,
            _ => Map::new(),
        };
        let frame = frame(site, p, lang, m.get("languages"), shared);
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
            tera::Context::from_value(Value::Object(shared.clone())).unwrap_or_default()
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

    /// For `check`, which keeps nothing: what is known of article page
    /// `id` without making it, when it cannot fail (written by
    /// [`article_page`], which has no error to give). Its URL and language
    /// only, enough to count it.
    pub(super) fn unfailing_article(&self, site: &Site, id: &PageId) -> Option<PageMeta> {
        let PageId::Article(k, l) = id else {
            return None;
        };
        let a = site.version(k, l)?;
        self.native_articles.then(|| PageMeta {
            url: a.url.clone(),
            lang: Some(a.lang.clone()),
            alternates: Vec::new(),
            in_sitemap: true,
            lastmod: None,
            deps: Vec::new(),
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
        let results: Vec<Result<(PageId, Option<RenderedPage>), Diagnostic>> =
            map_pages(ids, |cache, id| match make_page(site, g, id, true) {
                None => Ok((id.clone(), None)),
                Some(mut p) => {
                    let file = self.render(site, &mut p, cache)?;
                    Ok((id.clone(), Some(RenderedPage::new(p, file))))
                }
            });
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
    pub(super) fn new(p: Page, file: OutFile) -> Self {
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
