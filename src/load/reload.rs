//! Loading changed files again into a loaded site (`serve`), with the same
//! bookkeeping of drafts and failed files as a whole load, and a way back
//! to the site as it was.

use super::skill::{id_of, load_checklist, load_skill};
use super::{load_one_article, place_article, LoadOptions};
use crate::diagnostics::Diagnostics;
use crate::model::{Article, Checklist, Failed, Site, Skill};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// A content file that changed, by what it is (path from the site root).
#[derive(Debug, Clone, Copy)]
pub enum Changed<'a> {
    Article(&'a str),
    Skill(&'a str),
    Checklist(&'a str),
}

/// What reloading replaced, to put back when the new site has errors.
#[derive(Default)]
pub struct Undo {
    failed: Option<HashSet<Failed>>,
    drafts: Option<Vec<(String, String)>>,
    /// Article files reloaded, and the articles they held before.
    article_files: Vec<String>,
    articles: Vec<Article>,
    skills: BTreeMap<String, Option<Skill>>,
    checklists: BTreeMap<String, Option<Checklist>>,
}

impl Undo {
    /// The site as it was before the reloads this undo recorded (its
    /// article index is to be made again).
    pub fn restore(self, site: &mut Site) {
        if let Some(f) = self.failed {
            site.failed = f;
        }
        if let Some(d) = self.drafts {
            site.drafts = d;
        }
        site.articles
            .retain(|a| !self.article_files.contains(&a.file.rel));
        site.articles.extend(self.articles);
        for (id, s) in self.skills {
            match s {
                Some(s) => site.skills.insert(id, s),
                None => site.skills.remove(&id),
            };
        }
        for (id, c) in self.checklists {
            match c {
                Some(c) => site.checklists.insert(id, c),
                None => site.checklists.remove(&id),
            };
        }
    }
}

/// Loads `file` again into `site` (or drops what it held, when it is
/// gone); problems go to `diags`, what it replaced to `undo`.
pub fn reload(
    site: &mut Site,
    root: &Path,
    file: Changed,
    opts: &LoadOptions,
    diags: &Diagnostics,
    undo: &mut Undo,
) {
    undo.failed.get_or_insert_with(|| site.failed.clone());
    match file {
        Changed::Article(rel) => reload_article(site, root, rel, opts, diags, undo),
        Changed::Skill(rel) => {
            let Ok(id) = id_of(rel) else { return };
            let old = site.skills.remove(&id);
            undo.skills.entry(id.clone()).or_insert(old);
            if root.join(rel).exists() {
                let (s, ds) = load_skill(root, rel, &site.config);
                diags.extend(ds);
                place(id, s, &mut site.skills, &mut site.failed, Failed::Skill);
            }
        }
        Changed::Checklist(rel) => {
            let Ok(id) = id_of(rel) else { return };
            let old = site.checklists.remove(&id);
            undo.checklists.entry(id.clone()).or_insert(old);
            if root.join(rel).exists() {
                let (c, ds) = load_checklist(root, rel, &site.config);
                diags.extend(ds);
                place(
                    id,
                    c,
                    &mut site.checklists,
                    &mut site.failed,
                    Failed::Checklist,
                );
            }
        }
    }
}

fn reload_article(
    site: &mut Site,
    root: &Path,
    rel: &str,
    opts: &LoadOptions,
    diags: &Diagnostics,
    undo: &mut Undo,
) {
    undo.article_files.push(rel.to_string());
    if let Some(pos) = site.articles.iter().position(|a| a.file.rel == rel) {
        undo.articles.push(site.articles.remove(pos));
    }
    undo.drafts.get_or_insert_with(|| site.drafts.clone());
    if !root.join(rel).exists() {
        return;
    }
    let a = load_one_article(root, rel, &site.config, opts, diags);
    if let Ok(a) = &a {
        site.failed.remove(&Failed::Article(a.key.clone()));
        site.drafts.retain(|(k, l)| !(k == &a.key && l == &a.lang));
    }
    place_article(
        a,
        opts,
        &mut site.articles,
        &mut site.drafts,
        &mut site.failed,
    );
}

/// A skill or checklist loaded again: in its map, or named among the failed.
fn place<T>(
    id: String,
    loaded: Option<T>,
    map: &mut BTreeMap<String, T>,
    failed: &mut HashSet<Failed>,
    failed_as: fn(String) -> Failed,
) {
    match loaded {
        Some(v) => {
            failed.remove(&failed_as(id.clone()));
            map.insert(id, v);
        }
        None => {
            failed.insert(failed_as(id));
        }
    }
}
