//! The default theme's article page (`base.html` around `article.html`)
//! written out in Rust: a site renders it once per article, and Tera looks
//! up every name those templates write (about 200 a page, a few thousand
//! instructions each). It is used only while the theme's `article.html` and
//! `base.html` are the built-in ones, byte for byte; a theme that changes
//! either gets Tera. The output is what Tera writes from those templates,
//! byte for byte (a test renders sites both ways); a UI string that no
//! language has is written empty, as in the chrome.

use super::chrome::{t, Html};
use super::context::{ArticleData, ArticleItem, ArticlePage, Frame};
use serde_json::{Map, Value};

/// Whether `{% if x %}` takes an optional text as true.
fn set(x: &Option<String>) -> bool {
    x.as_deref().is_some_and(|s| !s.is_empty())
}

impl Html {
    fn opt(&mut self, x: &Option<String>) -> &mut Self {
        match x {
            Some(s) => self.text(s),
            None => self,
        }
    }

    /// `t.key`, escaped.
    fn ui(&mut self, s: &Map<String, Value>, key: &str) -> &mut Self {
        self.val(t(s, key))
    }

    /// `t.label <time datetime="date">date</time>`.
    fn dated(&mut self, s: &Map<String, Value>, label: &str, date: &Option<String>) -> &mut Self {
        self.ui(s, label)
            .raw(" <time datetime=\"")
            .opt(date)
            .raw("\">")
            .opt(date)
            .raw("</time>")
    }
}

/// The whole page. `s` is the language's shared context, `f` the page's
/// frame.
pub fn render(s: &Map<String, Value>, f: &Frame, page: &ArticlePage) -> Vec<u8> {
    let a = &page.article;
    let mut h = Html(Vec::with_capacity(a.content.len() + 16 * 1024));
    let site_title = s.get("site_title").and_then(Value::as_str).unwrap_or("");
    let lang = s.get("lang");
    h.raw("<!DOCTYPE html>\n<html lang=\"")
        .val(lang.and_then(|l| l.get("code")))
        .raw("\" dir=\"")
        .val(lang.and_then(|l| l.get("dir")))
        .raw("\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    if !f.page_title.is_empty() && f.page_title != site_title {
        h.text(&f.page_title).raw(" · ");
    }
    h.text(site_title)
        .raw("</title>\n\n<meta name=\"description\" content=\"");
    let description = |h: &mut Html| {
        if set(&f.description) {
            h.opt(&f.description);
        } else {
            h.ui(s, "footer_note");
        }
    };
    description(&mut h);
    h.raw("\">\n<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:site_name\" content=\"")
        .text(site_title)
        .raw("\">\n<meta property=\"og:title\" content=\"");
    if f.page_title.is_empty() {
        h.text(site_title);
    } else {
        h.text(&f.page_title);
    }
    h.raw("\">\n<meta property=\"og:description\" content=\"");
    description(&mut h);
    h.raw("\">\n<meta property=\"og:url\" content=\"")
        .text(&f.canonical)
        .raw("\">\n<meta name=\"twitter:card\" content=\"summary\">\n");
    if f.noindex {
        h.raw("<meta name=\"robots\" content=\"noindex\">\n");
    }
    h.raw("<link rel=\"canonical\" href=\"")
        .text(&f.canonical)
        .raw("\">\n")
        .raw(&f.alternates_html)
        .raw("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"")
        .text(site_title)
        .raw("\" href=\"")
        .val(s.get("feed_url"))
        .raw("\">\n<meta name=\"color-scheme\" content=\"light dark\">\n<script>try{var s=localStorage.getItem(\"skb-theme\");if(s===\"dark\"||s===\"light\")document.documentElement.dataset.theme=s}catch(e){}document.documentElement.classList.add(\"js\")</script>\n<link rel=\"stylesheet\" href=\"")
        .val(s.get("static_url"))
        .raw("style.css\">\n<link rel=\"icon\" href=\"")
        .val(s.get("static_url"))
        .raw("favicon.svg\" type=\"image/svg+xml\">\n<meta name=\"generator\" content=\"servicekb\">\n<script type=\"application/ld+json\">")
        .raw(&a.json_ld)
        .raw("</script>\n\n</head>\n<body class=\"page-")
        .text(f.kind)
        .raw("\">\n")
        .raw(s.get("header_html").and_then(Value::as_str).unwrap_or(""))
        .raw("\n")
        .raw(&f.languages_html)
        .raw("\n")
        .raw(match &f.nav_html {
            Some(n) => n,
            None => s.get("nav_html").and_then(Value::as_str).unwrap_or(""),
        })
        .raw("\n<main id=\"main\" class=\"wrap\" tabindex=\"-1\">\n");
    content(&mut h, s, page);
    h.raw("\n</main>\n")
        .raw(s.get("footer_html").and_then(Value::as_str).unwrap_or(""))
        .raw("\n\n</body>\n</html>\n");
    h.0
}

/// `article.html`'s content block.
fn content(h: &mut Html, s: &Map<String, Value>, page: &ArticlePage) {
    header(h, s, &page.article);
    sections(h, s, &page.article);
    footer(h, s, page);
}

/// The breadcrumbs, title, lead and dates.
fn header(h: &mut Html, s: &Map<String, Value>, a: &ArticleData) {
    h.raw("\n<article class=\"article\">\n  <header class=\"article-header\">\n    <nav class=\"breadcrumbs\" aria-label=\"")
        .ui(s, "breadcrumbs")
        .raw("\"><a href=\"")
        .val(s.get("home_url"))
        .raw("\">")
        .ui(s, "home")
        .raw("</a>");
    if let Some(tp) = &a.topic {
        h.raw(" <span aria-hidden=\"true\">›</span> <a href=\"")
            .text(&tp.url)
            .raw("\">")
            .text(&tp.name)
            .raw("</a>");
    }
    h.raw("</nav>\n    <h1>").text(&a.title).raw("</h1>\n    ");
    if set(&a.description) {
        h.raw("<p class=\"lead\">").opt(&a.description).raw("</p>");
    }
    h.raw("\n    <p class=\"article-meta\">\n      ");
    if set(&a.date) {
        h.dated(s, "published", &a.date);
    }
    h.raw("\n      ");
    if set(&a.updated) {
        h.raw(" · ").dated(s, "updated", &a.updated);
    }
    h.raw("\n      ");
    if !a.authors.is_empty() {
        h.raw(" · ").text(&a.authors.join(", "));
    }
    h.raw("\n    </p>\n  </header>\n\n  ");
}

/// The outdated notice, the skills and the table of contents.
fn sections(h: &mut Html, s: &Map<String, Value>, a: &ArticleData) {
    if let Some(o) = &a.outdated {
        h.raw("\n  <aside class=\"notice notice-outdated\" aria-label=\"")
            .ui(s, "outdated_title")
            .raw("\">\n    <p><strong>")
            .ui(s, "outdated_title")
            .raw("</strong> ")
            .ui(s, "outdated_text")
            .raw("\n    <a href=\"")
            .text(&o.url)
            .raw("\" hreflang=\"")
            .text(&o.lang)
            .raw("\">")
            .ui(s, "outdated_link")
            .raw(" (")
            .opt(&o.lang_name)
            .raw(")</a></p>\n  </aside>\n  ");
    }
    h.raw("\n\n  ");
    if !a.skills.is_empty() {
        h.raw("\n  <section class=\"article-skills\" aria-labelledby=\"article-skills-title\">\n    <h2 id=\"article-skills-title\" class=\"small-heading\">")
            .ui(s, "skills_in_article")
            .raw("</h2>\n    <ul class=\"chips\">\n    ");
        for k in &a.skills {
            h.raw("<li><a class=\"chip\" href=\"")
                .text(&k.url)
                .raw("\">")
                .text(&k.name)
                .raw("</a></li>\n    ");
        }
        h.raw("\n    </ul>\n  </section>\n  ");
    }
    h.raw("\n\n  ");
    if a.toc.len() > 2 {
        let toc = |h: &mut Html, indent: &str| {
            for e in &a.toc {
                h.raw("<li class=\"toc-level-")
                    .raw(&e.level.to_string())
                    .raw("\"><a href=\"#")
                    .text(&e.id)
                    .raw("\">")
                    .text(&e.text)
                    .raw("</a></li>\n")
                    .raw(indent);
            }
        };
        h.raw("\n  \n  <nav class=\"toc toc-inline\" aria-label=\"")
            .ui(s, "on_this_page")
            .raw("\">\n    <details>\n      <summary>")
            .ui(s, "on_this_page")
            .raw("</summary>\n      <ol>\n      ");
        toc(h, "      ");
        h.raw("\n      </ol>\n    </details>\n  </nav>\n  <nav class=\"toc toc-side\" aria-labelledby=\"toc-title\">\n    <h2 id=\"toc-title\" class=\"small-heading\">")
            .ui(s, "on_this_page")
            .raw("</h2>\n    <ol>\n    ");
        toc(h, "    ");
        h.raw("\n    </ol>\n  </nav>\n  ");
    }
}

/// The body, and the links after it.
fn footer(h: &mut Html, s: &Map<String, Value>, page: &ArticlePage) {
    let a = &page.article;
    h.raw("\n\n  <div class=\"prose\">\n")
        .raw(&a.content)
        .raw("\n  </div>\n\n  <footer class=\"article-footer\">\n    ");
    source_links(h, s, a);
    h.raw("\n    ");
    if a.previous.is_some() || a.next.is_some() {
        h.raw("\n    <nav class=\"pager\" aria-label=\"")
            .ui(s, "article_pager")
            .raw("\">\n      ");
        if let Some(p) = &a.previous {
            pager_link(h, s, p, "prev", "previous_article");
        }
        h.raw("\n      ");
        if let Some(n) = &a.next {
            pager_link(h, s, n, "next", "next_article");
        }
        h.raw("\n    </nav>\n    ");
    }
    h.raw("\n    ");
    links(h, s, "also-read-title", "also_read", &a.also_read);
    h.raw("\n    ");
    links(h, s, "backlinks-title", "backlinks", &a.backlinks);
    h.raw("\n    ");
    if page.languages.len() > 1 {
        h.raw(
            "\n    <section aria-labelledby=\"versions-title\">\n      <h2 id=\"versions-title\">",
        )
        .ui(s, "other_languages")
        .raw("</h2>\n      <ul class=\"link-list\">\n      ");
        for l in &page.languages {
            if l.current != Some(true) {
                h.raw("<li><a href=\"")
                    .text(&l.url)
                    .raw("\" hreflang=\"")
                    .text(&l.code)
                    .raw("\" lang=\"")
                    .text(&l.code)
                    .raw("\" dir=\"")
                    .text(l.dir)
                    .raw("\">")
                    .text(&l.name)
                    .raw("</a></li>");
            }
            h.raw("\n      ");
        }
        h.raw("\n      </ul>\n    </section>\n    ");
    }
    h.raw("\n  </footer>\n</article>\n");
}

/// The link to the previous or next article (`rel` is `prev` or `next`),
/// labelled with the UI string `label`.
fn pager_link(h: &mut Html, s: &Map<String, Value>, item: &ArticleItem, rel: &str, label: &str) {
    h.raw("<a class=\"pager-")
        .raw(rel)
        .raw("\" href=\"")
        .text(&item.url)
        .raw("\" rel=\"")
        .raw(rel)
        .raw("\"><span class=\"pager-label\">")
        .ui(s, label)
        .raw("</span> <span class=\"pager-title\">")
        .text(&item.title)
        .raw("</span></a>");
}

/// "Also read" or the backlinks: a titled list of articles.
fn links(h: &mut Html, s: &Map<String, Value>, id: &str, title: &str, items: &[ArticleItem]) {
    if items.is_empty() {
        return;
    }
    h.raw("\n    <section aria-labelledby=\"")
        .raw(id)
        .raw("\">\n      <h2 id=\"")
        .raw(id)
        .raw("\">")
        .ui(s, title)
        .raw("</h2>\n      <ul class=\"link-list\">\n      ");
    for a in items {
        h.raw("<li><a href=\"").text(&a.url).raw("\"");
        if set(&a.hreflang) {
            h.raw(" hreflang=\"")
                .opt(&a.hreflang)
                .raw("\" lang=\"")
                .opt(&a.hreflang)
                .raw("\" dir=\"")
                .text(a.dir.unwrap_or(""))
                .raw("\"");
        }
        h.raw(">").text(&a.title).raw("</a>");
        if set(&a.hreflang) {
            h.raw(" <span class=\"badge\">")
                .opt(&a.lang_name)
                .raw("</span>");
        }
        h.raw("</li>\n      ");
    }
    h.raw("\n      </ul>\n    </section>\n    ");
}

/// "Edit this page" and the links to translate it.
fn source_links(h: &mut Html, s: &Map<String, Value>, a: &ArticleData) {
    if set(&a.edit_url) || !a.translate.is_empty() {
        h.raw("\n    <ul class=\"source-links\">\n      ");
        if set(&a.edit_url) {
            h.raw("<li><a href=\"")
                .opt(&a.edit_url)
                .raw("\">")
                .ui(s, "edit_page")
                .raw("</a></li>");
        }
        h.raw("\n      \n      ");
        let pattern = t(s, "translate_page").and_then(Value::as_str).unwrap_or("");
        let parts: Vec<&str> = pattern.split("{language}").collect();
        for l in &a.translate {
            h.raw("<li><a href=\"")
                .text(&l.url)
                .raw("\">")
                .text(parts[0])
                .raw("<span lang=\"")
                .text(&l.lang)
                .raw("\">")
                .text(&l.name)
                .raw("</span>");
            if parts.len() > 1 {
                h.text(parts[parts.len() - 1]);
            }
            h.raw("</a></li>\n      ");
        }
        h.raw("\n    </ul>\n    ");
    }
}
