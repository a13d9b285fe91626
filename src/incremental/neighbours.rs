//! Which pages show what: the pages to render again when an article, a
//! skill or a checklist changes.

use crate::model::{Article, Site};
use crate::render::pages::article_item;
use crate::render::PageId;
use crate::resolve::{classify as classify_link, link_target, Graph, LinkKind};
use std::collections::BTreeSet;

/// Skills an article lists or links to; articles it links to (key, lang).
pub(super) fn article_refs(
    site: &Site,
    a: &Article,
) -> (BTreeSet<String>, BTreeSet<(String, String)>) {
    let mut skills: BTreeSet<String> = a.fm.skills.iter().cloned().collect();
    let mut targets = BTreeSet::new();
    for l in &a.links {
        match classify_link(&l.dest, site) {
            LinkKind::Skill(id) => {
                skills.insert(id.to_string());
            }
            LinkKind::Article { key, lang, .. } => {
                if let Some(t) = link_target(site, &key, lang, &a.lang) {
                    targets.insert((t.key.clone(), t.lang.clone()));
                }
            }
            _ => {}
        }
    }
    (skills, targets)
}

pub(super) fn key_of(site: &Site, i: usize) -> (String, String) {
    let a = &site.articles[i];
    (a.key.clone(), a.lang.clone())
}

/// What other pages show of an article: when only its body changes, only
/// its own pages (and its language's search index and feed) change. Lists
/// show the article as [`article_item`] makes it, so that value is the
/// signature, with what decides where and whether lists show it: a field
/// added to list items is in it by construction.
pub(super) fn article_signature(site: &Site, a: &Article) -> String {
    let fm = &a.fm;
    let item = serde_json::to_string(&article_item(site, a, &a.lang)).unwrap_or_default();
    format!(
        "{:?}",
        (
            item,
            &fm.updated,
            &fm.skills,
            fm.weight,
            fm.draft,
            &a.fm.translation.as_ref().map(|t| &t.source),
            article_refs(site, a)
        )
    )
}

/// What pages show an article version, beyond itself, before and after a change.
pub(super) fn article_neighbours(
    site: &Site,
    g: &Graph,
    key: &str,
    own_only: bool,
    ids: &mut BTreeSet<PageId>,
    langs: &mut BTreeSet<String>,
) {
    let def = site.config.default_language.clone();
    for v in site.versions(key) {
        let i = site.by_key[&v.key][&v.lang];
        ids.insert(PageId::Article(v.key.clone(), v.lang.clone()));
        langs.insert(v.lang.clone());
        if own_only {
            continue;
        }
        // Its neighbours in the topic show its title in their previous/next links.
        let (prev, next) = g.pager[i];
        for &j in g.backlinks[i].iter().chain(prev.iter()).chain(next.iter()) {
            let (k, l) = key_of(site, j);
            ids.insert(PageId::Article(k, l));
        }
        let (skills, targets) = article_refs(site, v);
        for (k, l) in targets {
            ids.insert(PageId::Article(k, l));
        }
        let page_langs: Vec<String> = if v.lang == def {
            site.config
                .languages
                .iter()
                .map(|l| l.code.clone())
                .collect()
        } else {
            vec![v.lang.clone()]
        };
        ids.insert(PageId::Home(v.lang.clone()));
        langs.insert(v.lang.clone());
        for l in &page_langs {
            if let Some(t) = &v.topic {
                ids.insert(PageId::Topic(l.clone(), t.clone()));
            }
            for s in &skills {
                ids.insert(PageId::Skill(l.clone(), s.clone()));
                for cid in g.skill_checklists.get(s).into_iter().flatten() {
                    ids.insert(PageId::Checklist(l.clone(), cid.clone()));
                }
            }
        }
    }
}

/// Pages that show a skill's name or texts.
pub(super) fn skill_neighbours(site: &Site, g: &Graph, id: &str, ids: &mut BTreeSet<PageId>) {
    let needle = format!("skill:{id}");
    let all: Vec<String> = site
        .config
        .languages
        .iter()
        .map(|l| l.code.clone())
        .collect();
    for l in &all {
        ids.insert(PageId::Skill(l.clone(), id.to_string()));
        ids.insert(PageId::SkillsIndex(l.clone()));
        ids.insert(PageId::Home(l.clone()));
        for s in site.skills.values() {
            let mentions = s.related.iter().any(|r| r == id)
                || s.why
                    .values()
                    .chain(s.development.values())
                    .any(|t| t.contains(&needle));
            if mentions {
                ids.insert(PageId::Skill(l.clone(), s.id.clone()));
            }
        }
        if let Some(s) = site.skills.get(id) {
            for r in &s.related {
                ids.insert(PageId::Skill(l.clone(), r.clone()));
            }
        }
        for c in site.checklists.values() {
            if c.skills.iter().any(|s| s == id) || c.intro.values().any(|t| t.contains(&needle)) {
                ids.insert(PageId::Checklist(l.clone(), c.id.clone()));
            }
        }
    }
    for &i in g.skill_articles.get(id).into_iter().flatten() {
        let (k, l) = key_of(site, i);
        ids.insert(PageId::Article(k, l));
    }
}

/// Pages that show a checklist's title or items.
pub(super) fn checklist_neighbours(site: &Site, id: &str, ids: &mut BTreeSet<PageId>) {
    let needle = format!("checklist:{id}");
    for l in site.config.languages.iter().map(|l| l.code.clone()) {
        ids.insert(PageId::Checklist(l.clone(), id.to_string()));
        ids.insert(PageId::ChecklistsIndex(l.clone()));
        ids.insert(PageId::Home(l.clone()));
        if let Some(c) = site.checklists.get(id) {
            for s in &c.skills {
                ids.insert(PageId::Skill(l.clone(), s.clone()));
            }
        }
        for s in site.skills.values() {
            if s.why
                .values()
                .chain(s.development.values())
                .any(|t| t.contains(&needle))
            {
                ids.insert(PageId::Skill(l.clone(), s.id.clone()));
            }
        }
    }
    for a in &site.articles {
        if a.links.iter().any(|l| l.dest == needle) {
            ids.insert(PageId::Article(a.key.clone(), a.lang.clone()));
        }
    }
}
