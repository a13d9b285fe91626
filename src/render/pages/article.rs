//! An article's page: its body, its links, its search entry.

use super::*;

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
        ctx: Value::Null,
        article: Some(Box::new(ctx)),
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
    m.insert("url".into(), json!(crate::render::abs_url(site, &a.url)));
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
        // memmem's vector search: `str::find` sets up a searcher each call.
        let find =
            |hay: &str, needle: &str| memchr::memmem::find(hay.as_bytes(), needle.as_bytes());
        let Some(at) = find(rest, &open) else {
            continue;
        };
        let Some(end) = find(&rest[at..], &close).map(|e| at + e) else {
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
