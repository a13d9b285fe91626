//! The pages of docs/content-format.md ("URLs") and what each template
//! receives.

use super::{href, Page};
use crate::markdown;
use crate::model::{Article, Localized, Site};
use crate::resolve::{article_order, Graph, PageLinks};
use crate::routes::Route;
use crate::search_index::Entry;
use serde_json::{json, Map, Value};

/// A localized text in `lang`, marked with its own language when it falls back.
fn loc(site: &Site, m: &Localized, lang: &str) -> Value {
    match m.get(lang) {
        Some(t) => object!({ "text": t }),
        None => match site.config.pick(m, lang) {
            Some(t) => {
                let from = m
                    .iter()
                    .find(|(_, v)| v.as_str() == t)
                    .map(|(k, _)| k.as_str())
                    .unwrap_or(lang);
                object!({ "text": t, "lang": from, "dir": dir_of(site, from) })
            }
            None => Value::Null,
        },
    }
}

/// Markdown of a localized field, rendered, with the language it is in.
fn loc_md(site: &Site, m: &Localized, lang: &str) -> Value {
    let mut v = loc(site, m, lang);
    if let Some(obj) = v.as_object_mut() {
        let text = obj
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let links = PageLinks {
            site,
            lang,
            own: None,
        };
        obj.insert(
            "html".into(),
            Value::String(markdown::render(&text, &links, site.config.raw_html).html),
        );
    }
    v
}

fn dir_of(site: &Site, lang: &str) -> &'static str {
    site.config
        .language(lang)
        .map_or("ltr", |l| l.direction.as_str())
}

fn name_in(site: &Site, m: &Localized, lang: &str, fallback: &str) -> String {
    site.config.pick(m, lang).unwrap_or(fallback).to_string()
}

pub fn article_item(site: &Site, a: &Article, page_lang: &str) -> Value {
    let other = a.lang != page_lang;
    let mut m = Map::with_capacity(if other { 8 } else { 5 });
    m.insert("title".into(), json!(a.fm.title));
    m.insert("url".into(), json!(a.href));
    m.insert("description".into(), json!(a.fm.description));
    m.insert("date".into(), json!(a.fm.date));
    m.insert("lang".into(), json!(a.lang));
    if other {
        m.insert("hreflang".into(), json!(a.lang));
        m.insert("dir".into(), json!(dir_of(site, &a.lang)));
        m.insert(
            "lang_name".into(),
            json!(site.config.language(&a.lang).map(|l| l.name.clone())),
        );
    }
    Value::Object(m)
}

fn skill_item(site: &Site, id: &str, lang: &str) -> Value {
    match site.skills.get(id) {
        Some(s) => object!({
            "id": id,
            "name": name_in(site, &s.name, lang, id),
            "summary": loc(site, &s.summary, lang),
            "url": href(site, &Route::Skill(id).path(lang)),
        }),
        None => {
            object!({ "id": id, "name": id, "url": href(site, &Route::Skill(id).path(lang)) })
        }
    }
}

fn checklist_item(
    site: &Site,
    id: &str,
    lang: &str,
    t: &std::collections::BTreeMap<String, String>,
) -> Value {
    let c = &site.checklists[id];
    object!({
        "id": id,
        "title": name_in(site, &c.title, lang, id),
        "audience": t.get(&format!("audience_{}", c.audience)).cloned().unwrap_or_else(|| c.audience.clone()),
        "items": site.checklist_items(c).len(),
        "url": href(site, &Route::Checklist(id).path(lang)),
    })
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

fn with_x_default(mut alts: Vec<(String, String)>, x_default: String) -> Vec<(String, String)> {
    alts.push(("x-default".into(), x_default));
    alts
}

/// A page that exists in every language.
fn per_lang_page(
    site: &Site,
    lang: &str,
    route: Route,
    template: &'static str,
    title: String,
    ctx: Value,
) -> Page {
    let x_default = if route == Route::Home {
        crate::routes::ROOT.to_string()
    } else {
        route.path(&site.config.default_language)
    };
    Page {
        url: route.path(lang),
        lang: Some(lang.to_string()),
        template,
        alternates: with_x_default(all_langs(site, route), x_default),
        title,
        description: None,
        ctx,
        in_sitemap: true,
        lastmod: None,
        search: None,
        deps: Vec::new(),
    }
}

pub fn root(site: &Site) -> Page {
    let def = &site.config.default_language;
    Page {
        url: crate::routes::ROOT.into(),
        lang: None,
        template: "root.html",
        alternates: with_x_default(all_langs(site, Route::Home), crate::routes::ROOT.into()),
        title: name_in(site, &site.config.title, def, ""),
        description: None,
        ctx: json!({}),
        in_sitemap: true,
        lastmod: None,
        search: None,
        deps: Vec::new(),
    }
}

pub fn not_found(site: &Site) -> Page {
    Page {
        url: crate::routes::NOT_FOUND.into(),
        lang: None,
        template: "404.html",
        alternates: Vec::new(),
        title: String::new(),
        description: None,
        ctx: object!({ "noindex": true, "not_found": not_found_languages(site) }),
        in_sitemap: false,
        lastmod: None,
        search: None,
        deps: Vec::new(),
    }
    .titled(site)
}

/// The 404's message in every language (it is one file; its script shows
/// the reader's language): each language's links and UI strings.
fn not_found_languages(site: &Site) -> Vec<Value> {
    let none = std::collections::BTreeMap::new();
    site.config
        .languages
        .iter()
        .map(|l| {
            let t = site.ui.by_lang.get(&l.code).unwrap_or(&none);
            let s = |k: &str| t.get(k).cloned().unwrap_or_default();
            object!({
                "code": l.code,
                "name": l.name,
                "dir": l.direction.as_str(),
                "site_title": name_in(site, &site.config.title, &l.code, ""),
                "home_url": href(site, &Route::Home.path(&l.code)),
                "search_url": href(site, &Route::Search.path(&l.code)),
                "t": object!({
                    "not_found_title": s("not_found_title"),
                    "not_found_text": s("not_found_text"),
                    "not_found_home": s("not_found_home"),
                    "search": s("search"),
                    "search_label": s("search_label"),
                    "not_found_others": s("not_found_others"),
                }),
            })
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

pub fn home(
    site: &Site,
    g: &Graph,
    lang: &str,
    t: &std::collections::BTreeMap<String, String>,
) -> Page {
    let topics: Vec<Value> = g
        .topics
        .iter()
        .map(|tp| {
            let count = site.articles.iter().filter(|a| a.lang == lang && a.topic.as_deref() == Some(&tp.id)).count();
            object!({ "id": tp.id, "name": name_in(site, &tp.name, lang, &tp.id), "url": href(site, &Route::Topic(&tp.id).path(lang)), "count": count })
        })
        .collect();
    let mut latest: Vec<&Article> = site.articles.iter().filter(|a| a.lang == lang).collect();
    latest.sort_by(|a, b| b.fm.date.cmp(&a.fm.date).then_with(|| article_order(a, b)));
    latest.truncate(6);
    let checklists: Vec<Value> = site
        .checklists
        .keys()
        .map(|id| checklist_item(site, id, lang, t))
        .collect();
    let title = name_in(site, &site.config.title, lang, "");
    per_lang_page(
        site,
        lang,
        Route::Home,
        "home.html",
        title,
        object!({
            "topics": topics,
            "latest": latest.iter().map(|a| article_item(site, a, lang)).collect::<Vec<_>>(),
            "checklists": checklists,
            "categories": categories(site, lang),
            "skill_count": site.skills.len(),
        }),
    )
}

fn categories(site: &Site, lang: &str) -> Vec<Value> {
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
            let mut skills: Vec<Value> = site
                .skills
                .values()
                .filter(|s| s.category == cat)
                .map(|s| skill_item(site, &s.id, lang))
                .collect();
            if skills.is_empty() {
                return None;
            }
            skills.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
            let name = match site.config.categories.iter().find(|(k, _)| k == &cat) {
                Some((_, m)) => name_in(site, m, lang, &cat),
                None if cat.is_empty() => String::new(),
                None => crate::urls::humanize(&cat),
            };
            Some(object!({ "id": cat, "name": name, "skills": skills }))
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
    let mut ctx = json!({ "topic": { "id": tp.id, "name": name } });
    ctx["articles"] = article_items(site, &own, lang);
    ctx["untranslated"] = article_items(site, &fallback, lang);
    Some(per_lang_page(
        site,
        lang,
        Route::Topic(&tp.id),
        "topic.html",
        name.clone(),
        ctx,
    ))
}

/// Items of `articles` as a page in `lang` lists them, as one JSON array
/// (set into a context after `json!`, which would copy it whole).
fn article_items(site: &Site, articles: &[&Article], lang: &str) -> Value {
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
    let topic = a.topic.as_ref().and_then(|t| g.topics.iter().find(|tp| &tp.id == t)).map(|tp| {
        object!({ "id": tp.id, "name": name_in(site, &tp.name, lang, &tp.id), "url": href(site, &Route::Topic(&tp.id).path(lang)) })
    });
    let outdated = g.outdated[i].map(|s| {
        let src = &site.articles[s];
        object!({
            "url": src.href,
            "lang": src.lang,
            "dir": dir_of(site, &src.lang),
            "lang_name": site.config.language(&src.lang).map(|l| l.name.clone()),
            "hash": src.body_hash(),
        })
    });
    let toc: Vec<Value> = a
        .headings
        .iter()
        .filter(|h| h.level == 2 || h.level == 3)
        .map(|h| object!({ "id": h.id, "text": h.text, "level": h.level }))
        .collect();
    let languages: Vec<Value> = versions
        .iter()
        .map(|v| {
            object!({
                "code": v.lang,
                "name": site.config.language(&v.lang).map(|x| x.name.clone()),
                "dir": dir_of(site, &v.lang),
                "url": v.href,
                "current": v.lang == lang,
            })
        })
        .collect();
    let item = |j: &usize| article_item(site, &site.articles[*j], lang);
    let search = search.then(|| article_search_entry(site, a, &prepared, &rendered.names));
    // Built by moving values in: `json!` would copy each nested value again.
    let mut art = Map::new();
    art.insert("key".into(), json!(a.key));
    art.insert("title".into(), json!(a.fm.title));
    art.insert("description".into(), json!(a.fm.description));
    art.insert("date".into(), json!(a.fm.date));
    let (updated, edit_url, translate) = article_source_links(site, a);
    art.insert("updated".into(), json!(updated));
    art.insert("edit_url".into(), json!(edit_url));
    art.insert("translate".into(), Value::Array(translate));
    art.insert("authors".into(), json!(a.fm.authors));
    art.insert("content".into(), Value::String(rendered.html));
    art.insert("toc".into(), Value::Array(toc));
    art.insert("topic".into(), topic.unwrap_or(Value::Null));
    art.insert(
        "skills".into(),
        a.fm.skills
            .iter()
            .map(|s| skill_item(site, s, lang))
            .collect(),
    );
    art.insert(
        "also_read".into(),
        g.also_read[i].iter().map(item).collect(),
    );
    art.insert(
        "backlinks".into(),
        g.backlinks[i].iter().map(item).collect(),
    );
    let (prev, next) = g.pager[i];
    art.insert("previous".into(), prev.as_ref().map_or(Value::Null, item));
    art.insert("next".into(), next.as_ref().map_or(Value::Null, item));
    art.insert("outdated".into(), outdated.unwrap_or(Value::Null));
    art.insert("draft".into(), json!(a.fm.draft));
    art.insert(
        "json_ld".into(),
        json!(article_json_ld(site, a, updated.as_deref())),
    );
    let mut ctx = Map::new();
    ctx.insert("article".into(), Value::Object(art));
    ctx.insert("languages".into(), Value::Array(languages));
    Page {
        url: a.url.clone(),
        lang: Some(lang.to_string()),
        template: "article.html",
        alternates: with_x_default(
            versions
                .iter()
                .map(|v| (v.lang.clone(), v.url.clone()))
                .collect(),
            x_default,
        ),
        title: a.fm.title.clone(),
        description: a.fm.description.clone(),
        ctx: Value::Object(ctx),
        in_sitemap: true,
        lastmod: updated.or_else(|| a.fm.date.clone()),
        search,
        deps: g.also_read[i]
            .iter()
            .chain(g.backlinks[i].iter())
            .chain(prev.iter())
            .chain(next.iter())
            .map(|&j| (site.articles[j].key.clone(), site.articles[j].lang.clone()))
            .collect(),
    }
}

/// An article's "Updated" date (front matter `updated:`, else its file's
/// last commit when later than `date:`), the link to edit its file, and
/// the links to create its missing translations, from site.yaml's
/// `repository` patterns.
fn article_source_links(site: &Site, a: &Article) -> (Option<String>, Option<String>, Vec<Value>) {
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
                translate.push(object!({
                    "lang": l.code,
                    "name": l.name,
                    "url": fill(pattern, &format!("{stem}.{}.md", l.code)),
                }));
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

pub fn skills_index(
    site: &Site,
    lang: &str,
    t: &std::collections::BTreeMap<String, String>,
) -> Page {
    let title = t.get("skills").cloned().unwrap_or_else(|| "Skills".into());
    per_lang_page(
        site,
        lang,
        Route::Skills,
        "skills.html",
        title,
        object!({ "categories": categories(site, lang) }),
    )
}

pub fn skill(
    site: &Site,
    g: &Graph,
    lang: &str,
    id: &str,
    t: &std::collections::BTreeMap<String, String>,
) -> Page {
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
    let mut page = per_lang_page(
        site,
        lang,
        Route::Skill(id),
        "skill.html",
        name.clone(),
        json!({
            "skill": {
                "id": id,
                "name": name,
                "category": category,
                "summary": loc(site, &s.summary, lang),
                "why": loc_md(site, &s.why, lang),
                "development": loc_md(site, &s.development, lang),
                "indicators": s.indicators.iter().map(|i| loc(site, &i.text, lang)).collect::<Vec<_>>(),
                "interview_questions": s.interview_questions.iter().map(|q| loc(site, q, lang)).collect::<Vec<_>>(),
                "related": s.related.iter().filter(|r| site.skills.contains_key(*r)).map(|r| skill_item(site, r, lang)).collect::<Vec<_>>(),
                "checklists": g.skill_checklists.get(id).unwrap_or(&Vec::new()).iter().map(|c| checklist_item(site, c, lang, t)).collect::<Vec<_>>(),
            }
        }),
    );
    page.ctx["skill"]["articles"] = article_items(site, &own, lang);
    page.ctx["skill"]["untranslated"] = article_items(site, &fallback, lang);
    page.described(site.config.pick(&s.summary, lang))
}

impl Page {
    fn described(mut self, d: Option<&str>) -> Page {
        self.description = d.map(str::to_string);
        self
    }
}

pub fn checklists_index(
    site: &Site,
    lang: &str,
    t: &std::collections::BTreeMap<String, String>,
) -> Page {
    let title = t
        .get("checklists")
        .cloned()
        .unwrap_or_else(|| "Checklists".into());
    let items: Vec<Value> = site
        .checklists
        .keys()
        .map(|id| checklist_item(site, id, lang, t))
        .collect();
    per_lang_page(
        site,
        lang,
        Route::Checklists,
        "checklists.html",
        title,
        object!({ "checklists": items }),
    )
}

pub fn checklist(
    site: &Site,
    g: &Graph,
    lang: &str,
    id: &str,
    t: &std::collections::BTreeMap<String, String>,
) -> Page {
    let c = &site.checklists[id];
    let items = site.checklist_items(c);
    let labels = c.scale.labels.get(lang).map(|l| (l, None)).or_else(|| {
        c.scale
            .labels
            .get(&site.config.default_language)
            .map(|l| (l, Some(site.config.default_language.clone())))
    });
    let points: Vec<Value> = (c.scale.min..=c.scale.max)
        .enumerate()
        .map(|(n, v)| {
            let label = labels
                .as_ref()
                .and_then(|(l, _)| l.get(n))
                .cloned()
                .unwrap_or_default();
            object!({ "value": v, "label": label })
        })
        .collect();
    let skills: Vec<Value> = c
        .skills
        .iter()
        .map(|sid| {
            let mut v = skill_item(site, sid, lang);
            v["items"] = items
                .iter()
                .filter(|it| &it.skill == sid)
                .map(|it| {
                    let mut x = loc(site, &it.text, lang);
                    x["id"] = json!(it.id);
                    x["name"] = json!(format!("{sid}/{}", it.id));
                    x
                })
                .collect();
            let empty = Vec::new();
            let (own, fallback) = with_fallback(
                site,
                g.skill_articles.get(sid).unwrap_or(&empty).iter().copied(),
                lang,
            );
            v["articles"] = own
                .iter()
                .chain(fallback.iter())
                .map(|a| article_item(site, a, lang))
                .collect();
            v
        })
        .collect();
    let title = name_in(site, &c.title, lang, id);
    let data = checklist_data(site, id, lang, &points, &skills, &items, t);
    per_lang_page(
        site,
        lang,
        Route::Checklist(id),
        "checklist.html",
        title.clone(),
        checklist_ctx(
            object!({
                "id": id,
                "title": title,
                "audience": t.get(&format!("audience_{}", c.audience)).cloned().unwrap_or_else(|| c.audience.clone()),
                "intro": loc_md(site, &c.intro, lang),
                "item_count": items.len(),
                "data": data,
            }),
            object!({ "min": c.scale.min, "max": c.scale.max, "labels_lang": labels.as_ref().and_then(|(_, l)| l.clone()) }),
            points,
            skills,
        ),
    )
}

/// `{"checklist": ...}` with the large lists moved in: `json!` would copy
/// every article they list.
fn checklist_ctx(
    mut checklist: Value,
    mut scale: Value,
    points: Vec<Value>,
    skills: Vec<Value>,
) -> Value {
    scale["points"] = Value::Array(points);
    checklist["scale"] = scale;
    checklist["skills"] = Value::Array(skills);
    let mut ctx = Map::new();
    ctx.insert("checklist".into(), checklist);
    Value::Object(ctx)
}

/// What the checklist script needs, as JSON safe inside `<script>`: the
/// scale, the items, each skill's articles (the team view links them) and
/// the script's UI strings (`cl_*`).
fn checklist_data(
    site: &Site,
    id: &str,
    lang: &str,
    points: &[Value],
    skills: &[Value],
    items: &[crate::model::ChecklistItem],
    t: &std::collections::BTreeMap<String, String>,
) -> String {
    // Every checklist's title, so that the script names an imported file's
    // checklist by its title rather than its id.
    let titles: std::collections::BTreeMap<&str, String> = site
        .checklists
        .iter()
        .map(|(cid, c)| (cid.as_str(), name_in(site, &c.title, lang, cid)))
        .collect();
    // Checklists that share a skill with this one: the script takes their
    // assessments in and compares them with this one's.
    let own = &site.checklists[id].skills;
    let related: Vec<Value> = site
        .checklists
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
        .collect();
    let titles = &titles;
    // Serialized from the skills' values as they are: a checklist lists
    // every article of its skills, thousands on a large site.
    #[derive(serde::Serialize)]
    struct ScriptArticle<'a> {
        title: &'a Value,
        url: &'a Value,
        hreflang: Option<&'a Value>,
    }
    #[derive(serde::Serialize)]
    struct ScriptSkill<'a> {
        id: &'a Value,
        name: &'a Value,
        url: &'a Value,
        articles: Vec<ScriptArticle<'a>>,
    }
    let skills: Vec<ScriptSkill> = skills
        .iter()
        .map(|s| ScriptSkill {
            id: &s["id"],
            name: &s["name"],
            url: &s["url"],
            articles: s["articles"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|a| ScriptArticle {
                            title: &a["title"],
                            url: &a["url"],
                            hreflang: a.get("hreflang"),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        })
        .collect();
    let items: Vec<Value> = items
        .iter()
        .map(|it| object!({ "key": format!("{}/{}", it.skill, it.id), "skill": it.skill, "id": it.id }))
        .collect();
    #[derive(serde::Serialize)]
    struct Scale<'a> {
        min: Option<&'a Value>,
        max: Option<&'a Value>,
        labels: Vec<&'a Value>,
    }
    #[derive(serde::Serialize)]
    struct Data<'a> {
        checklist: &'a str,
        title: &'a str,
        titles: &'a std::collections::BTreeMap<&'a str, String>,
        language: &'a str,
        scale: Scale<'a>,
        skills: Vec<ScriptSkill<'a>>,
        items: Vec<Value>,
        related: Vec<Value>,
        t: Value,
    }
    script_json(&Data {
        checklist: id,
        title: titles.get(id).map(String::as_str).unwrap_or(id),
        titles,
        language: lang,
        scale: Scale {
            min: points.first().map(|p| &p["value"]),
            max: points.last().map(|p| &p["value"]),
            labels: points.iter().map(|p| &p["label"]).collect(),
        },
        skills,
        items,
        related,
        t: script_strings(t, "cl_"),
    })
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

pub fn search(site: &Site, lang: &str, t: &std::collections::BTreeMap<String, String>) -> Page {
    let title = t.get("search").cloned().unwrap_or_else(|| "Search".into());
    per_lang_page(site, lang, Route::Search, "search.html", title, json!({}))
}

/// What the search script needs, as JSON safe inside `<script>`: the
/// language and the script's UI strings (`search_*`).
fn search_data(lang: &str, t: &std::collections::BTreeMap<String, String>) -> String {
    script_json(&object!({ "language": lang, "t": script_strings(t, "search_") }))
}

/// `/<lang>/translation-status/`: what `servicekb i18n` says about `lang`,
/// for translators (only when site.yaml asks for it).
pub fn translation_status(
    site: &Site,
    g: &Graph,
    lang: &str,
    t: &std::collections::BTreeMap<String, String>,
) -> Page {
    let title = t
        .get("ts_title")
        .cloned()
        .unwrap_or_else(|| "Translation status".into());
    let report = crate::translations::report(site, g, Some(lang), false);
    let r = report.languages.get(lang);
    let url_of = |key: &str, lang: &str| site.version(key, lang).map(|a| a.href.clone());
    let ctx = match r {
        Some(r) => json!({
            "coverage": [
                { "label": t.get("ts_articles"), "c": r.coverage.articles },
                { "label": t.get("ts_skill_fields"), "c": r.coverage.skill_fields },
                { "label": t.get("ts_checklist_strings"), "c": r.coverage.checklist_strings },
                { "label": t.get("ts_ui_strings"), "c": r.coverage.ui_strings },
            ],
            "missing_articles": r.missing.articles.iter().map(|m| object!({
                "title": m.title, "source": m.source,
                "url": site.best_version(&m.article, lang).map(|a| &a.href),
            })).collect::<Vec<_>>(),
            "outdated": r.outdated.iter().map(|o| object!({
                "title": o.title, "file": o.file, "url": url_of(&o.article, lang),
                "source_file": o.source_file, "source_url": url_of(&o.article, &o.source_lang),
                "recorded_hash": o.recorded_hash, "current_hash": o.current_hash,
            })).collect::<Vec<_>>(),
            "missing_fields": r.missing.fields.iter().map(|f| object!({
                "kind": f.kind, "id": f.id, "file": f.file, "field": f.field,
            })).collect::<Vec<_>>(),
            "missing_ui": r.missing.ui_strings,
        }),
        None => json!({}),
    };
    let mut page = per_lang_page(
        site,
        lang,
        Route::TranslationStatus,
        "translation-status.html",
        title,
        object!({ "status": ctx, "noindex": true }),
    );
    page.in_sitemap = false;
    page
}

/// Everything every page of `lang` receives.
pub fn shared(site: &Site, g: &Graph, lang: &str) -> Map<String, Value> {
    let t = site.ui.by_lang.get(lang).cloned().unwrap_or_default();
    let l = site.config.language(lang);
    let mut m = Map::new();
    m.insert(
        "lang".into(),
        object!({ "code": lang, "name": l.map(|x| x.name.clone()), "dir": dir_of(site, lang) }),
    );
    m.insert(
        "site_title".into(),
        json!(name_in(site, &site.config.title, lang, "")),
    );
    m.insert("t".into(), json!(t));
    m.insert("base_path".into(), json!(site.config.base_path()));
    m.insert(
        "static_url".into(),
        json!(crate::routes::static_dir(site.config.base_path())),
    );
    m.insert(
        "home_url".into(),
        json!(href(site, &Route::Home.path(lang))),
    );
    m.insert(
        "skills_url".into(),
        json!(href(site, &Route::Skills.path(lang))),
    );
    m.insert(
        "checklists_url".into(),
        json!(href(site, &Route::Checklists.path(lang))),
    );
    m.insert(
        "search_url".into(),
        json!(href(site, &Route::Search.path(lang))),
    );
    if site.config.translation_status {
        m.insert(
            "translation_status_url".into(),
            json!(href(site, &Route::TranslationStatus.path(lang))),
        );
    }
    // The search field in every page's header.
    m.insert(
        "search_index_url".into(),
        json!(href(site, &Route::SearchIndex.path(lang))),
    );
    m.insert("search_data".into(), json!(search_data(lang, &t)));
    m.insert(
        "feed_url".into(),
        json!(href(site, &Route::Feed.path(lang))),
    );
    m.insert(
        "topics_nav".into(),
        json!(g
            .topics
            .iter()
            .map(|tp| object!({ "id": tp.id, "name": name_in(site, &tp.name, lang, &tp.id), "url": href(site, &Route::Topic(&tp.id).path(lang)) }))
            .collect::<Vec<_>>()),
    );
    m.insert(
        "homes".into(),
        json!(site
            .config
            .languages
            .iter()
            .map(|x| object!({ "code": x.code, "name": x.name, "dir": x.direction.as_str(), "url": href(site, &Route::Home.path(&x.code)) }))
            .collect::<Vec<_>>()),
    );
    m
}
