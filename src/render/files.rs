//! The files derived from the pages and the site: search indexes, feeds,
//! the sitemap and the assets.

use super::{feeds, href, OutFile, PageId, PageMeta};
use crate::diagnostics::Diagnostics;
use crate::model::Site;
use crate::routes::Route;
use crate::search_index::{self, Entry};
use std::collections::{BTreeMap, HashMap};

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
