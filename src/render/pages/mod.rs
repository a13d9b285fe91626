//! The pages of docs/content-format.md ("URLs") and what each template
//! receives.

use super::context::*;
use super::{href, Page};
use crate::markdown;
use crate::model::{Article, Localized, Site};
use crate::resolve::{article_order, Graph, PageLinks};
use crate::routes::Route;
use crate::search_index::Entry;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// A language's UI strings.
mod article;
mod checklist;
mod lists;
mod status;

pub use article::article;
pub use checklist::{checklist, checklists_index};
use lists::topic_item;
pub use lists::{home, skill, skills_index, topic};
pub use status::translation_status;

type Strings = BTreeMap<String, String>;

/// A localized text in `lang`, marked with its own language when it falls back.
fn loc(site: &Site, m: &Localized, lang: &str) -> Option<Loc> {
    if let Some(t) = m.get(lang) {
        return Some(Loc {
            text: t.clone(),
            lang: None,
            dir: None,
        });
    }
    let t = site.config.pick(m, lang)?;
    let from = m
        .iter()
        .find(|(_, v)| v.as_str() == t)
        .map(|(k, _)| k.as_str())
        .unwrap_or(lang);
    Some(Loc {
        text: t.to_string(),
        lang: Some(from.to_string()),
        dir: Some(dir_of(site, from)),
    })
}

/// Markdown of a localized field, rendered, with the language it is in.
fn loc_md(site: &Site, m: &Localized, lang: &str) -> Option<LocMd> {
    let loc = loc(site, m, lang)?;
    let links = PageLinks {
        site,
        lang,
        own: None,
    };
    let html = markdown::render(&loc.text, &links, site.config.raw_html).html;
    Some(LocMd { loc, html })
}

fn dir_of(site: &Site, lang: &str) -> &'static str {
    site.config
        .language(lang)
        .map_or("ltr", |l| l.direction.as_str())
}

fn name_in(site: &Site, m: &Localized, lang: &str, fallback: &str) -> String {
    site.config.pick(m, lang).unwrap_or(fallback).to_string()
}

/// An article as a page in `page_lang` lists it.
pub fn article_item(site: &Site, a: &Article, page_lang: &str) -> ArticleItem {
    let other = a.lang != page_lang;
    ArticleItem {
        title: a.fm.title.clone(),
        url: a.href.clone(),
        description: a.fm.description.clone(),
        date: a.fm.date.clone(),
        lang: a.lang.clone(),
        hreflang: other.then(|| a.lang.clone()),
        dir: other.then(|| dir_of(site, &a.lang)),
        lang_name: other
            .then(|| site.config.language(&a.lang).map(|l| l.name.clone()))
            .flatten(),
    }
}

fn skill_item(site: &Site, id: &str, lang: &str) -> SkillItem {
    let s = site.skills.get(id);
    SkillItem {
        id: id.to_string(),
        name: s.map_or_else(|| id.to_string(), |s| name_in(site, &s.name, lang, id)),
        summary: s.map(|s| loc(site, &s.summary, lang)),
        url: href(site, &Route::Skill(id).path(lang)),
    }
}

fn checklist_item(site: &Site, id: &str, lang: &str, t: &Strings) -> ChecklistItem {
    let c = &site.checklists[id];
    ChecklistItem {
        id: id.to_string(),
        title: name_in(site, &c.title, lang, id),
        audience: audience(c, t),
        items: site.checklist_items(c).len(),
        url: href(site, &Route::Checklist(id).path(lang)),
    }
}

/// Who fills a checklist in, in the page's language.
fn audience(c: &crate::model::Checklist, t: &Strings) -> String {
    t.get(&format!("audience_{}", c.audience))
        .cloned()
        .unwrap_or_else(|| c.audience.clone())
}

/// Of `idxs` (in list order), the articles of `lang`, then the default
/// language's not yet translated into it; both in list order.
fn with_fallback<'s>(
    site: &'s Site,
    idxs: impl Iterator<Item = usize>,
    lang: &str,
) -> (Vec<&'s Article>, Vec<&'s Article>) {
    let mut own = Vec::new();
    let mut fallback = Vec::new();
    let idxs: Vec<usize> = idxs.collect();
    for &i in &idxs {
        let a = &site.articles[i];
        if a.lang == lang {
            own.push(a);
        }
    }
    for &i in &idxs {
        let a = &site.articles[i];
        if a.lang == site.config.default_language && site.version(&a.key, lang).is_none() {
            fallback.push(a);
        }
    }
    (own, fallback)
}

fn all_langs(site: &Site, route: Route) -> Vec<(String, String)> {
    site.config
        .languages
        .iter()
        .map(|l| (l.code.clone(), route.path(&l.code)))
        .collect()
}

/// A page's template data as the template engine takes it.
fn to_ctx(ctx: &impl serde::Serialize) -> Value {
    serde_json::to_value(ctx).unwrap_or_default()
}

fn with_x_default(mut alts: Vec<(String, String)>, x_default: String) -> Vec<(String, String)> {
    alts.push(("x-default".into(), x_default));
    alts
}

/// A page that exists in every language.
fn per_lang_page<C: Context>(
    site: &Site,
    lang: &str,
    route: Route,
    title: String,
    ctx: &C,
) -> Page {
    let x_default = if route == Route::Home {
        crate::routes::ROOT.to_string()
    } else {
        route.path(&site.config.default_language)
    };
    Page {
        url: route.path(lang),
        lang: Some(lang.to_string()),
        template: C::TEMPLATE,
        alternates: with_x_default(all_langs(site, route), x_default),
        title,
        description: None,
        ctx: to_ctx(ctx),
        article: None,
        in_sitemap: true,
        lastmod: None,
        search: None,
        deps: Vec::new(),
        topic: None,
    }
}

pub fn root(site: &Site) -> Page {
    let def = &site.config.default_language;
    Page {
        url: crate::routes::ROOT.into(),
        lang: None,
        template: RootPage::TEMPLATE,
        alternates: with_x_default(all_langs(site, Route::Home), crate::routes::ROOT.into()),
        title: name_in(site, &site.config.title, def, ""),
        description: None,
        ctx: to_ctx(&RootPage {}),
        article: None,
        in_sitemap: true,
        lastmod: None,
        search: None,
        deps: Vec::new(),
        topic: None,
    }
}

pub fn not_found(site: &Site) -> Page {
    let ctx = NotFoundPage {
        not_found: not_found_languages(site),
    };
    Page {
        url: crate::routes::NOT_FOUND.into(),
        lang: None,
        template: NotFoundPage::TEMPLATE,
        alternates: Vec::new(),
        title: String::new(),
        description: None,
        ctx: to_ctx(&ctx),
        article: None,
        in_sitemap: false,
        lastmod: None,
        search: None,
        deps: Vec::new(),
        topic: None,
    }
    .titled(site)
}

/// The 404's message in every language (it is one file; its script shows
/// the reader's language): each language's links and UI strings.
fn not_found_languages(site: &Site) -> Vec<NotFoundLanguage> {
    let none = Strings::new();
    site.config
        .languages
        .iter()
        .map(|l| {
            let t = site.ui.by_lang.get(&l.code).unwrap_or(&none);
            let s = |k: &str| t.get(k).cloned().unwrap_or_default();
            NotFoundLanguage {
                code: l.code.clone(),
                name: l.name.clone(),
                dir: l.direction.as_str(),
                site_title: name_in(site, &site.config.title, &l.code, ""),
                home_url: href(site, &Route::Home.path(&l.code)),
                search_url: href(site, &Route::Search.path(&l.code)),
                t: NotFoundStrings {
                    not_found_title: s("not_found_title"),
                    not_found_text: s("not_found_text"),
                    not_found_home: s("not_found_home"),
                    search: s("search"),
                    search_label: s("search_label"),
                    not_found_others: s("not_found_others"),
                },
            }
        })
        .collect()
}

impl Page {
    fn titled(mut self, site: &Site) -> Page {
        let def = &site.config.default_language;
        self.title = site
            .ui
            .by_lang
            .get(def)
            .and_then(|t| t.get("not_found_title"))
            .cloned()
            .unwrap_or_else(|| "Page not found".into());
        self
    }
}

/// Items of `articles` as a page in `lang` lists them.
fn article_items(site: &Site, articles: &[&Article], lang: &str) -> Vec<ArticleItem> {
    articles
        .iter()
        .map(|a| article_item(site, a, lang))
        .collect()
}

impl Page {
    fn described(mut self, d: Option<&str>) -> Page {
        self.description = d.map(str::to_string);
        self
    }
}

/// The UI strings a page script uses: those whose key starts with `prefix`.
fn script_strings(t: &std::collections::BTreeMap<String, String>, prefix: &str) -> Value {
    t.iter()
        .filter(|(k, _)| k.starts_with(prefix))
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect::<Map<String, Value>>()
        .into()
}

/// JSON for inside a `<script>` element: `<` escaped so that no text can
/// close the element.
fn script_json(data: &impl serde::Serialize) -> String {
    serde_json::to_string(data)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

pub fn search(site: &Site, lang: &str, t: &Strings) -> Page {
    let title = t.get("search").cloned().unwrap_or_else(|| "Search".into());
    per_lang_page(site, lang, Route::Search, title, &SearchPage {})
}

/// What the search script needs, as JSON safe inside `<script>`: the
/// language and the script's UI strings (`search_*`).
fn search_data(lang: &str, t: &std::collections::BTreeMap<String, String>) -> String {
    script_json(&object!({ "language": lang, "t": script_strings(t, "search_") }))
}

/// Everything every page of `lang` receives.
pub fn shared(site: &Site, g: &Graph, lang: &str) -> Map<String, Value> {
    let t = site.ui.by_lang.get(lang).cloned().unwrap_or_default();
    let route = |r: Route| href(site, &r.path(lang));
    let shared = Shared {
        lang: Lang {
            code: lang.to_string(),
            name: site.config.language(lang).map(|x| x.name.clone()),
            dir: dir_of(site, lang),
        },
        site_title: name_in(site, &site.config.title, lang, ""),
        base_path: site.config.base_path().to_string(),
        static_url: crate::routes::static_dir(site.config.base_path()),
        home_url: route(Route::Home),
        skills_url: route(Route::Skills),
        checklists_url: route(Route::Checklists),
        search_url: route(Route::Search),
        translation_status_url: site
            .config
            .translation_status
            .then(|| route(Route::TranslationStatus)),
        search_index_url: route(Route::SearchIndex),
        search_data: search_data(lang, &t),
        feed_url: route(Route::Feed),
        topics_nav: g
            .topics
            .iter()
            .map(|tp| topic_item(site, tp, lang))
            .collect(),
        homes: site
            .config
            .languages
            .iter()
            .map(|x| LanguageLink {
                code: x.code.clone(),
                name: x.name.clone(),
                dir: x.direction.as_str(),
                url: href(site, &Route::Home.path(&x.code)),
                current: None,
            })
            .collect(),
        t,
    };
    let mut m = match to_ctx(&shared) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let html = SharedHtml {
        header_html: super::chrome::header(&m),
        nav_html: super::chrome::nav(&m, "", None),
        footer_html: super::chrome::footer(&m),
    };
    if let Value::Object(h) = to_ctx(&html) {
        m.extend(h);
    }
    m
}
