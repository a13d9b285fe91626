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

/// Articles of `lang` that `filter` keeps, then the default language's not
/// yet translated (marked with their language).
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
    own.sort_by(|a, b| article_order(a, b));
    fallback.sort_by(|a, b| article_order(a, b));
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

pub fn home(site: &Site, g: &Graph, lang: &str, t: &Strings) -> Page {
    let topics = g
        .topics
        .iter()
        .map(|tp| TopicItem {
            count: Some(
                site.articles
                    .iter()
                    .filter(|a| a.lang == lang && a.topic.as_deref() == Some(&tp.id))
                    .count(),
            ),
            ..topic_item(site, tp, lang)
        })
        .collect();
    let mut latest: Vec<&Article> = site.articles.iter().filter(|a| a.lang == lang).collect();
    latest.sort_by(|a, b| b.fm.date.cmp(&a.fm.date).then_with(|| article_order(a, b)));
    latest.truncate(6);
    let ctx = HomePage {
        topics,
        latest: article_items(site, &latest, lang),
        checklists: site
            .checklists
            .keys()
            .map(|id| checklist_item(site, id, lang, t))
            .collect(),
        categories: categories(site, lang),
        skill_count: site.skills.len(),
    };
    let title = name_in(site, &site.config.title, lang, "");
    per_lang_page(site, lang, Route::Home, title, &ctx)
}

fn topic_item(site: &Site, tp: &crate::resolve::Topic, lang: &str) -> TopicItem {
    TopicItem {
        id: tp.id.clone(),
        name: name_in(site, &tp.name, lang, &tp.id),
        url: href(site, &Route::Topic(&tp.id).path(lang)),
        count: None,
    }
}

fn categories(site: &Site, lang: &str) -> Vec<Category> {
    let mut order: Vec<String> = site
        .config
        .categories
        .iter()
        .map(|(k, _)| k.clone())
        .collect();
    for s in site.skills.values() {
        if !order.contains(&s.category) {
            order.push(s.category.clone());
        }
    }
    order
        .into_iter()
        .filter_map(|cat| {
            let mut skills: Vec<SkillItem> = site
                .skills
                .values()
                .filter(|s| s.category == cat)
                .map(|s| skill_item(site, &s.id, lang))
                .collect();
            if skills.is_empty() {
                return None;
            }
            skills.sort_by(|a, b| a.name.cmp(&b.name));
            let name = match site.config.categories.iter().find(|(k, _)| k == &cat) {
                Some((_, m)) => name_in(site, m, lang, &cat),
                None if cat.is_empty() => String::new(),
                None => crate::urls::humanize(&cat),
            };
            Some(Category {
                id: cat,
                name,
                skills,
            })
        })
        .collect()
}

pub fn topic(site: &Site, g: &Graph, lang: &str, id: &str) -> Option<Page> {
    let tp = g.topics.iter().find(|t| t.id == id)?;
    let members = site
        .articles
        .iter()
        .enumerate()
        .filter(|(_, a)| a.topic.as_deref() == Some(&tp.id))
        .map(|(i, _)| i);
    let (own, fallback) = with_fallback(site, members, lang);
    let name = name_in(site, &tp.name, lang, &tp.id);
    let ctx = TopicPage {
        topic: TopicHead {
            id: tp.id.clone(),
            name: name.clone(),
        },
        articles: article_items(site, &own, lang),
        untranslated: article_items(site, &fallback, lang),
    };
    let mut page = per_lang_page(site, lang, Route::Topic(&tp.id), name, &ctx);
    page.topic = Some(tp.id.clone());
    Some(page)
}

/// Items of `articles` as a page in `lang` lists them.
fn article_items(site: &Site, articles: &[&Article], lang: &str) -> Vec<ArticleItem> {
    articles
        .iter()
        .map(|a| article_item(site, a, lang))
        .collect()
}

pub fn article(site: &Site, g: &Graph, i: usize, search: bool) -> Page {
    let a = &site.articles[i];
    let lang = a.lang.as_str();
    let links = PageLinks {
        site,
        lang,
        own: Some(&a.headings),
    };
    let prepared = a.prepared(site.config.raw_html, search);
    let mut rendered = markdown::finish(&prepared, &links);
    if let Some(label) = site
        .ui
        .by_lang
        .get(lang)
        .and_then(|t| t.get("heading_link"))
    {
        rendered.html = heading_links(&rendered.html, &a.headings, label);
    }
    let versions: Vec<&Article> = site.versions(&a.key).collect();
    let x_default = site
        .version(&a.key, &site.config.default_language)
        .map(|v| v.url.clone())
        .unwrap_or_else(|| a.url.clone());
    let search = search.then(|| article_search_entry(site, a, &prepared, &rendered.names));
    let data = article_data(site, g, i, rendered.html);
    let lastmod = data.updated.clone().or_else(|| a.fm.date.clone());
    let ctx = ArticlePage {
        article: data,
        languages: versions
            .iter()
            .map(|v| LanguageLink {
                code: v.lang.clone(),
                name: site
                    .config
                    .language(&v.lang)
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
                dir: dir_of(site, &v.lang),
                url: v.href.clone(),
                current: Some(v.lang == lang),
            })
            .collect(),
    };
    let (prev, next) = g.pager[i];
    Page {
        url: a.url.clone(),
        lang: Some(lang.to_string()),
        template: ArticlePage::TEMPLATE,
        alternates: with_x_default(
            versions
                .iter()
                .map(|v| (v.lang.clone(), v.url.clone()))
                .collect(),
            x_default,
        ),
        title: a.fm.title.clone(),
        description: a.fm.description.clone(),
        ctx: to_ctx(&ctx),
        in_sitemap: true,
        lastmod,
        search,
        deps: g.also_read[i]
            .iter()
            .chain(g.backlinks[i].iter())
            .chain(prev.iter())
            .chain(next.iter())
            .map(|&j| (site.articles[j].key.clone(), site.articles[j].lang.clone()))
            .collect(),
        topic: None,
    }
}

/// Everything an article's page shows of it; `content` is its body as HTML.
fn article_data(site: &Site, g: &Graph, i: usize, content: String) -> ArticleData {
    let a = &site.articles[i];
    let lang = a.lang.as_str();
    let item = |j: &usize| article_item(site, &site.articles[*j], lang);
    let (updated, edit_url, translate) = article_source_links(site, a);
    let (prev, next) = g.pager[i];
    ArticleData {
        key: a.key.clone(),
        title: a.fm.title.clone(),
        description: a.fm.description.clone(),
        date: a.fm.date.clone(),
        json_ld: article_json_ld(site, a, updated.as_deref()),
        updated,
        edit_url,
        translate,
        authors: a.fm.authors.clone(),
        content,
        toc: a
            .headings
            .iter()
            .filter(|h| h.level == 2 || h.level == 3)
            .map(|h| TocEntry {
                id: h.id.clone(),
                text: h.text.clone(),
                level: h.level,
            })
            .collect(),
        topic: a
            .topic
            .as_ref()
            .and_then(|t| g.topics.iter().find(|tp| &tp.id == t))
            .map(|tp| topic_item(site, tp, lang)),
        skills: a
            .fm
            .skills
            .iter()
            .map(|s| skill_item(site, s, lang))
            .collect(),
        also_read: g.also_read[i].iter().map(item).collect(),
        backlinks: g.backlinks[i].iter().map(item).collect(),
        previous: prev.as_ref().map(item),
        next: next.as_ref().map(item),
        outdated: g.outdated[i].map(|s| {
            let src = &site.articles[s];
            Outdated {
                url: src.href.clone(),
                lang: src.lang.clone(),
                dir: dir_of(site, &src.lang),
                lang_name: site.config.language(&src.lang).map(|l| l.name.clone()),
                hash: src.body_hash().to_string(),
            }
        }),
        draft: a.fm.draft,
    }
}

/// An article's "Updated" date (front matter `updated:`, else its file's
/// last commit when later than `date:`), the link to edit its file, and
/// the links to create its missing translations, from site.yaml's
/// `repository` patterns.
fn article_source_links(
    site: &Site,
    a: &Article,
) -> (Option<String>, Option<String>, Vec<TranslateLink>) {
    let updated = a.fm.updated.clone().or_else(|| {
        let d = site.last_commits.get(&a.file.rel)?;
        (a.fm.date.as_ref().is_none_or(|p| d > p)).then(|| d.clone())
    });
    let Some(repo) = &site.config.repository else {
        return (updated, None, Vec::new());
    };
    let fill =
        |pattern: &str, path: &str| pattern.replace("{path}", &crate::urls::encode_path_cow(path));
    let edit = fill(&repo.edit_url, &a.file.rel);
    let mut translate = Vec::new();
    if let Some(pattern) = &repo.translate_url {
        // `x.en.md` or `x.md` → `x.<lang>.md`, next to it.
        let rel = &a.file.rel;
        let stem = rel.strip_suffix(".md").unwrap_or(rel);
        let stem = stem.strip_suffix(&format!(".{}", a.lang)).unwrap_or(stem);
        for l in &site.config.languages {
            if site.version(&a.key, &l.code).is_none() {
                translate.push(TranslateLink {
                    lang: l.code.clone(),
                    name: l.name.clone(),
                    url: fill(pattern, &format!("{stem}.{}.md", l.code)),
                });
            }
        }
    }
    (updated, Some(edit), translate)
}

/// schema.org Article data for search engines, as JSON safe in `<script>`.
fn article_json_ld(site: &Site, a: &Article, updated: Option<&str>) -> String {
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org"));
    m.insert("@type".into(), json!("Article"));
    m.insert("headline".into(), json!(a.fm.title));
    if let Some(d) = &a.fm.description {
        m.insert("description".into(), json!(d));
    }
    m.insert("inLanguage".into(), json!(a.lang));
    if let Some(d) = &a.fm.date {
        m.insert("datePublished".into(), json!(d));
    }
    if let Some(d) = updated.or(a.fm.date.as_deref()) {
        m.insert("dateModified".into(), json!(d));
    }
    m.insert("url".into(), json!(super::abs_url(site, &a.url)));
    script_json(&m)
}

/// `html` with a link to its own anchor at the end of each heading that has
/// one of `headings`' ids; `label` names it (`{heading}`: the heading's text).
fn heading_links(html: &str, headings: &[crate::model::Heading], label: &str) -> String {
    use crate::text::escape_html;
    let mut out = String::with_capacity(html.len() + headings.len() * 400);
    let mut rest = html;
    for h in headings {
        let open = format!("<h{} id=\"{}\"", h.level, escape_html(&h.id));
        let close = format!("</h{}>", h.level);
        let Some(at) = rest.find(&open) else {
            continue;
        };
        let Some(end) = rest[at..].find(&close).map(|e| at + e) else {
            continue;
        };
        out.push_str(&rest[..end]);
        out.push_str("<a class=\"heading-link\" href=\"#");
        out.push_str(&escape_html(&h.id));
        out.push_str("\" aria-label=\"");
        out.push_str(&escape_html(&label.replace("{heading}", &h.text)));
        out.push_str("\"><svg aria-hidden=\"true\" focusable=\"false\" viewBox=\"0 0 24 24\" width=\"18\" height=\"18\"><path d=\"M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\" stroke-linecap=\"round\"/></svg></a>");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// An article's entry in its language's search index, from its prepared
/// body and the names its links with empty text show.
fn article_search_entry(
    site: &Site,
    a: &Article,
    body: &markdown::Prepared,
    names: &[(usize, String)],
) -> Entry {
    let lang = a.lang.as_str();
    let skill_names: Vec<String> =
        a.fm.skills
            .iter()
            .filter_map(|s| site.skills.get(s)?.name.get(lang).cloned())
            .collect();
    let desc = a.fm.description.clone().unwrap_or_default();
    let mut more = vec![a.fm.title.as_str(), desc.as_str()];
    more.extend(skill_names.iter().map(String::as_str));
    let w = body.words(names, &more).unwrap_or_default();
    Entry {
        t: a.fm.title.clone(),
        u: a.href.clone(),
        d: desc,
        k: "article",
        s: skill_names,
        h: a.headings.iter().map(|h| h.text.clone()).collect(),
        w,
    }
}

pub fn skills_index(site: &Site, lang: &str, t: &Strings) -> Page {
    let title = t.get("skills").cloned().unwrap_or_else(|| "Skills".into());
    let ctx = SkillsPage {
        categories: categories(site, lang),
    };
    per_lang_page(site, lang, Route::Skills, title, &ctx)
}

pub fn skill(site: &Site, g: &Graph, lang: &str, id: &str, t: &Strings) -> Page {
    let s = &site.skills[id];
    let empty = Vec::new();
    let (own, fallback) = with_fallback(
        site,
        g.skill_articles.get(id).unwrap_or(&empty).iter().copied(),
        lang,
    );
    let name = name_in(site, &s.name, lang, id);
    let category = site
        .config
        .categories
        .iter()
        .find(|(k, _)| k == &s.category)
        .map(|(_, m)| name_in(site, m, lang, &s.category))
        .unwrap_or_else(|| crate::urls::humanize(&s.category));
    let ctx = SkillPage {
        skill: SkillData {
            id: id.to_string(),
            name: name.clone(),
            category,
            summary: loc(site, &s.summary, lang),
            why: loc_md(site, &s.why, lang),
            development: loc_md(site, &s.development, lang),
            indicators: s
                .indicators
                .iter()
                .map(|i| loc(site, &i.text, lang))
                .collect(),
            interview_questions: s
                .interview_questions
                .iter()
                .map(|q| loc(site, q, lang))
                .collect(),
            related: s
                .related
                .iter()
                .filter(|r| site.skills.contains_key(*r))
                .map(|r| skill_item(site, r, lang))
                .collect(),
            checklists: g
                .skill_checklists
                .get(id)
                .unwrap_or(&Vec::new())
                .iter()
                .map(|c| checklist_item(site, c, lang, t))
                .collect(),
            articles: article_items(site, &own, lang),
            untranslated: article_items(site, &fallback, lang),
        },
    };
    per_lang_page(site, lang, Route::Skill(id), name, &ctx)
        .described(site.config.pick(&s.summary, lang))
}

impl Page {
    fn described(mut self, d: Option<&str>) -> Page {
        self.description = d.map(str::to_string);
        self
    }
}

pub fn checklists_index(site: &Site, lang: &str, t: &Strings) -> Page {
    let title = t
        .get("checklists")
        .cloned()
        .unwrap_or_else(|| "Checklists".into());
    let ctx = ChecklistsPage {
        checklists: site
            .checklists
            .keys()
            .map(|id| checklist_item(site, id, lang, t))
            .collect(),
    };
    per_lang_page(site, lang, Route::Checklists, title, &ctx)
}

pub fn checklist(site: &Site, g: &Graph, lang: &str, id: &str, t: &Strings) -> Page {
    let c = &site.checklists[id];
    let items = site.checklist_items(c);
    let labels = c.scale.labels.get(lang).map(|l| (l, None)).or_else(|| {
        c.scale
            .labels
            .get(&site.config.default_language)
            .map(|l| (l, Some(site.config.default_language.clone())))
    });
    let points: Vec<ScalePoint> = (c.scale.min..=c.scale.max)
        .enumerate()
        .map(|(n, v)| ScalePoint {
            value: v,
            label: labels
                .as_ref()
                .and_then(|(l, _)| l.get(n))
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    let skills: Vec<ChecklistSkill> = c
        .skills
        .iter()
        .map(|sid| checklist_skill(site, g, sid, lang, &items))
        .collect();
    let title = name_in(site, &c.title, lang, id);
    let data = checklist_data(site, id, lang, &points, &skills, &items, t);
    let ctx = ChecklistPage {
        checklist: ChecklistData {
            id: id.to_string(),
            title: title.clone(),
            audience: audience(c, t),
            intro: loc_md(site, &c.intro, lang),
            item_count: items.len(),
            data,
            scale: Scale {
                min: c.scale.min,
                max: c.scale.max,
                labels_lang: labels.and_then(|(_, l)| l),
                points,
            },
            skills,
        },
    };
    per_lang_page(site, lang, Route::Checklist(id), title, &ctx)
}

/// A skill of a checklist: its items, and all its articles (the page's
/// language first).
fn checklist_skill(
    site: &Site,
    g: &Graph,
    sid: &str,
    lang: &str,
    items: &[crate::model::ChecklistItem],
) -> ChecklistSkill {
    let empty = Vec::new();
    let (own, fallback) = with_fallback(
        site,
        g.skill_articles.get(sid).unwrap_or(&empty).iter().copied(),
        lang,
    );
    ChecklistSkill {
        skill: skill_item(site, sid, lang),
        items: items
            .iter()
            .filter(|it| it.skill == sid)
            .map(|it| ChecklistEntry {
                text: loc(site, &it.text, lang),
                id: it.id.clone(),
                name: format!("{sid}/{}", it.id),
            })
            .collect(),
        articles: own
            .iter()
            .chain(fallback.iter())
            .map(|a| article_item(site, a, lang))
            .collect(),
    }
}

/// What the checklist script needs, as JSON safe inside `<script>`: the
/// scale, the items, each skill's articles (the team view links them) and
/// the script's UI strings (`cl_*`).
fn checklist_data(
    site: &Site,
    id: &str,
    lang: &str,
    points: &[ScalePoint],
    skills: &[ChecklistSkill],
    items: &[crate::model::ChecklistItem],
    t: &Strings,
) -> String {
    // Every checklist's title, so that the script names an imported file's
    // checklist by its title rather than its id.
    let titles: BTreeMap<&str, String> = site
        .checklists
        .iter()
        .map(|(cid, c)| (cid.as_str(), name_in(site, &c.title, lang, cid)))
        .collect();
    #[derive(serde::Serialize)]
    struct ScriptArticle<'a> {
        title: &'a str,
        url: &'a str,
        hreflang: Option<&'a str>,
    }
    #[derive(serde::Serialize)]
    struct ScriptSkill<'a> {
        id: &'a str,
        name: &'a str,
        url: &'a str,
        articles: Vec<ScriptArticle<'a>>,
    }
    #[derive(serde::Serialize)]
    struct ScriptScale<'a> {
        min: Option<i64>,
        max: Option<i64>,
        labels: Vec<&'a str>,
    }
    #[derive(serde::Serialize)]
    struct Data<'a> {
        checklist: &'a str,
        title: &'a str,
        titles: &'a BTreeMap<&'a str, String>,
        language: &'a str,
        scale: ScriptScale<'a>,
        skills: Vec<ScriptSkill<'a>>,
        items: Vec<Value>,
        related: Vec<Value>,
        t: Value,
    }
    // Serialized from the skills' values as they are: a checklist lists
    // every article of its skills, thousands on a large site.
    let skills = skills
        .iter()
        .map(|s| ScriptSkill {
            id: &s.skill.id,
            name: &s.skill.name,
            url: &s.skill.url,
            articles: s
                .articles
                .iter()
                .map(|a| ScriptArticle {
                    title: &a.title,
                    url: &a.url,
                    hreflang: a.hreflang.as_deref(),
                })
                .collect(),
        })
        .collect();
    script_json(&Data {
        checklist: id,
        title: titles.get(id).map(String::as_str).unwrap_or(id),
        titles: &titles,
        language: lang,
        scale: ScriptScale {
            min: points.first().map(|p| p.value),
            max: points.last().map(|p| p.value),
            labels: points.iter().map(|p| p.label.as_str()).collect(),
        },
        skills,
        items: items
            .iter()
            .map(|it| object!({ "key": format!("{}/{}", it.skill, it.id), "skill": it.skill, "id": it.id }))
            .collect(),
        related: related_checklists(site, id, &titles),
        t: script_strings(t, "cl_"),
    })
}

/// Checklists that share a skill with `id`: the script takes their
/// assessments in and compares them with this one's.
fn related_checklists(site: &Site, id: &str, titles: &BTreeMap<&str, String>) -> Vec<Value> {
    let own = &site.checklists[id].skills;
    site.checklists
        .iter()
        .filter(|(cid, o)| *cid != id && o.skills.iter().any(|s| own.contains(s)))
        .map(|(cid, o)| {
            let keys: Vec<String> = site
                .checklist_items(o)
                .iter()
                .map(|it| format!("{}/{}", it.skill, it.id))
                .collect();
            object!({ "id": cid, "title": titles.get(cid.as_str()), "min": o.scale.min, "max": o.scale.max, "skills": o.skills, "items": keys })
        })
        .collect()
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

/// `/<lang>/translation-status/`: what `servicekb i18n` says about `lang`,
/// for translators (only when site.yaml asks for it).
pub fn translation_status(site: &Site, g: &Graph, lang: &str, t: &Strings) -> Page {
    let title = t
        .get("ts_title")
        .cloned()
        .unwrap_or_else(|| "Translation status".into());
    let report = crate::translations::report(site, g, Some(lang), false);
    let status = report
        .languages
        .get(lang)
        .map(|r| status_of(site, r, lang, t))
        .unwrap_or_default();
    let mut page = per_lang_page(
        site,
        lang,
        Route::TranslationStatus,
        title,
        &TranslationStatusPage { status },
    );
    page.in_sitemap = false;
    page
}

/// One language's report, as the status page shows it.
fn status_of(
    site: &Site,
    r: &crate::translations::LanguageReport,
    lang: &str,
    t: &Strings,
) -> Status {
    let url_of = |key: &str, lang: &str| site.version(key, lang).map(|a| a.href.clone());
    let row = |key: &str, c: crate::translations::Coverage| CoverageRow {
        label: t.get(key).cloned(),
        c: Coverage {
            present: c.present,
            total: c.total,
            percent: c.percent,
        },
    };
    Status {
        coverage: Some(vec![
            row("ts_articles", r.coverage.articles),
            row("ts_skill_fields", r.coverage.skill_fields),
            row("ts_checklist_strings", r.coverage.checklist_strings),
            row("ts_ui_strings", r.coverage.ui_strings),
        ]),
        missing_articles: Some(
            r.missing
                .articles
                .iter()
                .map(|m| MissingArticle {
                    title: m.title.clone(),
                    source: m.source.clone(),
                    url: site.best_version(&m.article, lang).map(|a| a.href.clone()),
                })
                .collect(),
        ),
        outdated: Some(
            r.outdated
                .iter()
                .map(|o| OutdatedArticle {
                    title: o.title.clone(),
                    file: o.file.clone(),
                    url: url_of(&o.article, lang),
                    source_file: o.source_file.clone(),
                    source_url: url_of(&o.article, &o.source_lang),
                    recorded_hash: o.recorded_hash.clone(),
                    current_hash: o.current_hash.clone(),
                })
                .collect(),
        ),
        missing_fields: Some(
            r.missing
                .fields
                .iter()
                .map(|f| MissingField {
                    kind: f.kind.to_string(),
                    id: f.id.clone(),
                    file: f.file.clone(),
                    field: f.field.clone(),
                })
                .collect(),
        ),
        missing_ui: Some(r.missing.ui_strings.clone()),
    }
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
    match to_ctx(&shared) {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}
