//! Atom feeds per language and the sitemap.

use super::{abs_url, PageMeta};
use crate::model::{Article, Site};

pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_xml_escaped(&mut out, s);
    out
}

/// [`xml_escape`], appended to `out`.
fn push_xml_escaped(out: &mut String, s: &str) {
    // Runs without a special byte are copied whole; all the special
    // characters are ASCII, so a run never ends inside a character.
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&apos;",
            b'\n' | b'\t' | b'\r' => continue,
            // Other control characters are not allowed in XML 1.0.
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// [`abs_url`] of `path`, XML-escaped, written into `out` without the
/// string in between (the sitemap has some 70,000 of them at 10k pages).
fn push_abs_url(out: &mut String, site: &Site, path: &str) {
    push_xml_escaped(out, site.config.base_url());
    for piece in crate::urls::encode_path_pieces(path) {
        push_xml_escaped(out, piece);
    }
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
    use rayon::prelude::*;
    let pages: Vec<&PageMeta> = pages.filter(|p| p.in_sitemap).collect();
    let mut x = String::with_capacity(pages.len() * 700 + 256);
    x.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    // 10,000 pages with their alternates are some 70,000 URLs: written in
    // parallel chunks, each straight into its string.
    let chunks: Vec<String> = pages
        .par_chunks(512)
        .map(|chunk| {
            let mut x = String::with_capacity(chunk.len() * 700);
            for p in chunk {
                x.push_str("  <url>\n    <loc>");
                push_abs_url(&mut x, site, &p.url);
                x.push_str("</loc>\n");
                if let Some(d) = &p.lastmod {
                    x.push_str("    <lastmod>");
                    push_xml_escaped(&mut x, d.get(..10).unwrap_or(d));
                    x.push_str("</lastmod>\n");
                }
                for (l, u) in &p.alternates {
                    x.push_str("    <xhtml:link rel=\"alternate\" hreflang=\"");
                    push_xml_escaped(&mut x, l);
                    x.push_str("\" href=\"");
                    push_abs_url(&mut x, site, u);
                    x.push_str("\"/>\n");
                }
                x.push_str("  </url>\n");
            }
            x
        })
        .collect();
    for c in chunks {
        x.push_str(&c);
    }
    x.push_str("</urlset>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Character by character, as the escaping was first written.
    fn escape_each_char(s: &str) -> String {
        let mut out = String::new();
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

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            xml_escape("a<b>&\"c'\u{1}\td\nשלום"),
            "a&lt;b&gt;&amp;&quot;c&apos;\td\nשלום"
        );
        assert_eq!(xml_escape(""), "");
    }

    proptest::proptest! {
        #[test]
        fn escaping_runs_matches_escaping_each_character(s in "[a-z<>&\"'\\x00-\\x1f ąšשׁ😀]{0,40}") {
            proptest::prop_assert_eq!(xml_escape(&s), escape_each_char(&s));
        }
    }
}
