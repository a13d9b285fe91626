//! Atom feeds per language and the sitemap.

use super::{abs_url, PageMeta};
use crate::model::{Article, Site};

pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// An RFC 3339 timestamp from a front-matter date.
pub fn rfc3339(d: &str) -> String {
    if d.len() == 10 {
        format!("{d}T00:00:00Z")
    } else {
        d.to_string()
    }
}

const EPOCH: &str = "1970-01-01T00:00:00Z";

pub fn atom(site: &Site, lang: &str) -> String {
    let mut arts: Vec<&Article> = site.articles.iter().filter(|a| a.lang == lang).collect();
    arts.sort_by(|a, b| {
        b.fm.date
            .cmp(&a.fm.date)
            .then_with(|| a.fm.title.cmp(&b.fm.title))
    });
    arts.truncate(50);
    let newest = arts
        .iter()
        .filter_map(|a| a.fm.updated.as_ref().or(a.fm.date.as_ref()))
        .max()
        .map(|d| rfc3339(d))
        .unwrap_or_else(|| EPOCH.into());
    let title = site
        .config
        .pick(&site.config.title, lang)
        .unwrap_or_default();
    let home = abs_url(site, &format!("/{lang}/"));
    let mut x = String::with_capacity(4096);
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        xml_escape(lang)
    ));
    x.push_str(&format!("  <title>{}</title>\n", xml_escape(title)));
    x.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&home)
    ));
    x.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&abs_url(site, &format!("/{lang}/atom.xml")))
    ));
    x.push_str(&format!(
        "  <id>{}</id>\n  <updated>{newest}</updated>\n",
        xml_escape(&home)
    ));
    x.push_str("  <generator>servicekb</generator>\n");
    for a in arts {
        let url = abs_url(site, &a.url);
        let updated =
            a.fm.updated
                .as_ref()
                .or(a.fm.date.as_ref())
                .map(|d| rfc3339(d))
                .unwrap_or_else(|| newest.clone());
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <title>{}</title>\n", xml_escape(&a.fm.title)));
        x.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&url)
        ));
        x.push_str(&format!(
            "    <id>{}</id>\n    <updated>{updated}</updated>\n",
            xml_escape(&url)
        ));
        if let Some(d) = &a.fm.date {
            x.push_str(&format!("    <published>{}</published>\n", rfc3339(d)));
        }
        for au in &a.fm.authors {
            x.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                xml_escape(au)
            ));
        }
        if let Some(d) = &a.fm.description {
            x.push_str(&format!("    <summary>{}</summary>\n", xml_escape(d)));
        }
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

pub fn sitemap<'a>(site: &Site, pages: impl Iterator<Item = &'a PageMeta>) -> String {
    let mut x = String::with_capacity(64 * 1024);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for p in pages.filter(|p| p.in_sitemap) {
        x.push_str(&format!(
            "  <url>\n    <loc>{}</loc>\n",
            xml_escape(&abs_url(site, &p.url))
        ));
        if let Some(d) = &p.lastmod {
            x.push_str(&format!(
                "    <lastmod>{}</lastmod>\n",
                xml_escape(&d[..d.len().min(10)])
            ));
        }
        for (l, u) in &p.alternates {
            x.push_str(&format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                xml_escape(l),
                xml_escape(&abs_url(site, u))
            ));
        }
        x.push_str("  </url>\n");
    }
    x.push_str("</urlset>\n");
    x
}
