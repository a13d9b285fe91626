//! The resolve stage: the link graph (translations, skills ↔ articles ↔
//! checklists, backlinks, "also read") and a check of every reference.

mod also_read;
pub mod fields;
mod yaml_refs;

use crate::diagnostics::{suggest, Diagnostic, Diagnostics};
use crate::markdown::{self, LinkResolver, ResolvedLink};
use crate::model::Failed;
use crate::model::{Article, Localized, Site};
use crate::routes::Route;
use crate::yaml::YamlDoc;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// What a link destination names, before it is looked up.
#[derive(Debug, PartialEq)]
pub enum LinkKind<'a> {
    /// `@/articles/<key>.md` or `@/articles/<key>.<lang>.md`, with an anchor.
    Article {
        key: std::borrow::Cow<'a, str>,
        lang: Option<&'a str>,
        anchor: Option<&'a str>,
    },
    /// `@/` followed by something that is not an article.
    BadInternal,
    Skill(&'a str),
    Checklist(&'a str),
    /// `#anchor` on the same page.
    Anchor(&'a str),
    /// Anything else: left as written.
    Other,
}

pub fn classify<'d>(dest: &'d str, site: &Site) -> LinkKind<'d> {
    classify_with(dest, |code| site.config.has_language(code))
}

fn classify_with(dest: &str, is_lang: impl Fn(&str) -> bool) -> LinkKind<'_> {
    if let Some(rest) = dest.strip_prefix("@/") {
        let (path, anchor) = match rest.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (rest, None),
        };
        let Some(path) = path
            .strip_prefix("articles/")
            .and_then(|p| p.strip_suffix(".md"))
        else {
            return LinkKind::BadInternal;
        };
        let (key, lang) = match path.rsplit_once('.') {
            Some((k, l)) if is_lang(l) => (k, Some(l)),
            _ => (path, None),
        };
        return LinkKind::Article {
            key: crate::urls::nfc(key),
            lang,
            anchor,
        };
    }
    if let Some(id) = dest.strip_prefix("skill:") {
        return LinkKind::Skill(id);
    }
    if let Some(id) = dest.strip_prefix("checklist:") {
        return LinkKind::Checklist(id);
    }
    if let Some(a) = dest.strip_prefix('#') {
        return LinkKind::Anchor(a);
    }
    LinkKind::Other
}

/// Resolves links for pages in one language. `own` holds the heading ids of
/// the page itself, for `#anchor` links.
pub struct PageLinks<'a> {
    pub site: &'a Site,
    pub lang: &'a str,
    pub own: Option<&'a [crate::model::Heading]>,
}

/// The article version a link to `key` in `lang` shows.
pub fn link_target<'s>(
    site: &'s Site,
    key: &str,
    lang: Option<&str>,
    page_lang: &str,
) -> Option<&'s Article> {
    link_target_index(site, key, lang, page_lang).map(|i| &site.articles[i])
}

/// [`link_target`]'s index in `Site::articles`.
fn link_target_index(site: &Site, key: &str, lang: Option<&str>, page_lang: &str) -> Option<usize> {
    match lang {
        Some(l) => site.version_index(key, l),
        None => site.best_index(key, page_lang),
    }
}

/// Where a link goes, as found: what [`PageLinks::try_resolve`] makes a
/// link of, and what the link graph records.
enum Found<'s, 'd> {
    /// Left as written (external, a page's own anchor, or an article, skill
    /// or checklist whose file failed to load).
    AsWritten,
    Skill(&'s str, &'s crate::model::Skill),
    Checklist(&'s str, &'s crate::model::Checklist),
    /// An article's index, and the anchor the link names.
    Article(usize, Option<&'d str>),
}

impl<'s> PageLinks<'s> {
    /// Where `dest` goes, or why it cannot.
    pub fn try_resolve(&self, dest: &str) -> Result<Option<ResolvedLink>, String> {
        let site = self.site;
        let named = |route: Route, names: &Localized, id: &str| ResolvedLink {
            href: format!("{}{}", site.config.base_path(), route.path(self.lang)),
            hreflang: None,
            name: site.config.pick(names, self.lang).unwrap_or(id).to_string(),
        };
        Ok(match self.find(dest)? {
            Found::AsWritten => None,
            Found::Skill(id, s) => Some(named(Route::Skill(id), &s.name, id)),
            Found::Checklist(id, c) => Some(named(Route::Checklist(id), &c.title, id)),
            Found::Article(i, anchor) => {
                let target = &site.articles[i];
                let mut href = target.href.clone();
                if let Some(a) = anchor {
                    href.push('#');
                    href.push_str(a);
                }
                Some(ResolvedLink {
                    href,
                    hreflang: (target.lang != self.lang).then(|| target.lang.clone()),
                    name: target.fm.title.clone(),
                })
            }
        })
    }

    /// What `dest` names, checked, or why it cannot be followed.
    fn find<'d>(&self, dest: &'d str) -> Result<Found<'s, 'd>, String> {
        match classify(dest, self.site) {
            LinkKind::Other => Ok(Found::AsWritten),
            LinkKind::BadInternal => Err(format!(
                "`{dest}` is not a link to an article: write `@/articles/<topic>/<slug>.md`"
            )),
            LinkKind::Anchor(a) => self.anchor(dest, a).map(|()| Found::AsWritten),
            LinkKind::Skill(id) => self.skill(id),
            LinkKind::Checklist(id) => self.checklist(id),
            LinkKind::Article { key, lang, anchor } => self.article(dest, &key, lang, anchor),
        }
    }

    /// `#a` on this page.
    fn anchor(&self, dest: &str, a: &str) -> Result<(), String> {
        match self.own {
            Some(h) if !h.iter().any(|h| h.id == a) && !a.is_empty() => {
                let hint = suggest(a, h.iter().map(|h| h.id.as_str()));
                Err(format!(
                    "broken link `{dest}`: this page has no heading with id `{a}`{hint}"
                ))
            }
            _ => Ok(()),
        }
    }

    fn skill<'d>(&self, id: &'d str) -> Result<Found<'s, 'd>, String> {
        let site = self.site;
        match site.skills.get_key_value(id) {
            Some((id, s)) => Ok(Found::Skill(id, s)),
            None if site.failed.contains(&Failed::Skill(id.to_string())) => Ok(Found::AsWritten),
            None => Err(format!(
                "unknown skill `{id}`{}",
                suggest(id, site.skills.keys().map(String::as_str))
            )),
        }
    }

    fn checklist<'d>(&self, id: &'d str) -> Result<Found<'s, 'd>, String> {
        let site = self.site;
        match site.checklists.get_key_value(id) {
            Some((id, c)) => Ok(Found::Checklist(id, c)),
            None if site.failed.contains(&Failed::Checklist(id.to_string())) => {
                Ok(Found::AsWritten)
            }
            None => Err(format!(
                "unknown checklist `{id}`{}",
                suggest(id, site.checklists.keys().map(String::as_str))
            )),
        }
    }

    /// The article `key` (in `lang`, or the best version for this page),
    /// at `anchor`.
    fn article<'d>(
        &self,
        dest: &str,
        key: &str,
        lang: Option<&str>,
        anchor: Option<&'d str>,
    ) -> Result<Found<'s, 'd>, String> {
        let site = self.site;
        let Some(i) = link_target_index(site, key, lang, self.lang) else {
            return self.missing_article(dest, key, lang);
        };
        let target = &site.articles[i];
        if let Some(a) = anchor {
            if !a.is_empty() && !target.has_anchor(a) {
                let hint = suggest(a, target.headings.iter().map(|h| h.id.as_str()));
                return Err(format!(
                    "broken link `{dest}`: {} has no heading with id `{a}`{hint}",
                    target.file.rel
                ));
            }
        }
        Ok(Found::Article(i, anchor))
    }

    /// Why a link to the article `key` (in `lang`) finds none: nothing to
    /// say when that article failed to load (its own error says it).
    fn missing_article<'d>(
        &self,
        dest: &str,
        key: &str,
        lang: Option<&str>,
    ) -> Result<Found<'s, 'd>, String> {
        let site = self.site;
        if site.failed.contains(&Failed::Article(key.to_string())) {
            return Ok(Found::AsWritten);
        }
        if site
            .drafts
            .iter()
            .any(|(k, l)| k == key && lang.is_none_or(|x| x == l))
        {
            return Err(format!(
                "`{dest}` links to a draft, which this build leaves out: build with --drafts, or remove the link"
            ));
        }
        let what = match lang {
            Some(l) if site.by_key.contains_key(key) => {
                format!("the article `{key}` has no `{l}` version")
            }
            _ => format!(
                "no article `articles/{key}.md`{}",
                suggest(key, site.by_key.keys().map(String::as_str))
                    .replace("`?)", ".md`?)")
                    .replace("mean `", "mean `articles/")
            ),
        };
        Err(format!("broken link `{dest}`: {what}"))
    }
}

impl LinkResolver for PageLinks<'_> {
    fn resolve(&self, dest: &str) -> Option<ResolvedLink> {
        self.try_resolve(dest).ok().flatten()
    }
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub id: String,
    pub name: Localized,
}

/// The link graph. Article references are indexes into `Site::articles`.
#[derive(Debug, Default)]
pub struct Graph {
    pub backlinks: Vec<Vec<usize>>,
    /// Articles (every language) that list a skill or link to it.
    pub skill_articles: BTreeMap<String, Vec<usize>>,
    pub skill_checklists: BTreeMap<String, Vec<String>>,
    pub also_read: Vec<Vec<usize>>,
    /// The source version of an outdated translation.
    pub outdated: Vec<Option<usize>>,
    pub topics: Vec<Topic>,
    /// The previous and the next article of the same topic and language, in
    /// list order.
    pub pager: Vec<(Option<usize>, Option<usize>)>,
}

/// Order of articles in lists: weight, then newest first, then title.
pub fn article_order(a: &Article, b: &Article) -> std::cmp::Ordering {
    let w = |x: &Article| x.fm.weight.unwrap_or(i64::MAX);
    w(a).cmp(&w(b))
        .then_with(|| b.fm.date.cmp(&a.fm.date))
        .then_with(|| a.fm.title.cmp(&b.fm.title))
        .then_with(|| a.key.cmp(&b.key))
        .then_with(|| a.lang.cmp(&b.lang))
}

/// Links inside a YAML field (Markdown), reported at the field's line.
fn check_field_links(
    site: &Site,
    doc: &YamlDoc,
    field: &[&str],
    texts: &Localized,
    diags: &Diagnostics,
) {
    for (lang, text) in texts {
        if !site.config.has_language(lang) {
            continue;
        }
        let links = PageLinks {
            site,
            lang,
            own: None,
        };
        for l in markdown::scan(text, 0).links {
            if let Err(msg) = links.try_resolve(&l.dest) {
                let mut keys = field.to_vec();
                keys.push(lang);
                diags.push(doc.error_at(&keys, None, msg));
            }
        }
    }
}

/// What an article refers to, checked: its known skills, the articles it
/// links to, and the source it is an outdated translation of.
pub struct Refs {
    pub skills: Vec<String>,
    pub targets: Vec<usize>,
    pub outdated: Option<usize>,
}

/// The references of `site.articles[i]`, with their errors and warnings.
pub fn article_refs(site: &Site, i: usize, diags: &Diagnostics) -> Refs {
    let a = &site.articles[i];
    let skill_known = |id: &str| {
        site.skills.contains_key(id) || site.failed.contains(&Failed::Skill(id.to_string()))
    };
    let mut r = Refs {
        skills: Vec::new(),
        targets: Vec::new(),
        outdated: None,
    };
    let doc = YamlDoc {
        file: &a.file,
        base: a.fm_offset,
        text: &a.file.text[a.fm_offset..a.body_offset],
    };
    for s in &a.fm.skills {
        if skill_known(s) {
            r.skills.push(s.clone());
        } else {
            diags.push(doc.error_at(
                &["skills"],
                Some(s),
                format!(
                    "unknown skill `{s}`{}",
                    suggest(s, site.skills.keys().map(String::as_str))
                ),
            ));
        }
    }
    let links = PageLinks {
        site,
        lang: &a.lang,
        own: Some(&a.headings),
    };
    for l in &a.links {
        match links.find(&l.dest) {
            Err(msg) => diags.push(Diagnostic::error(&a.file.rel, msg).at(Some(l.pos))),
            Ok(Found::Skill(id, _)) => r.skills.push(id.to_string()),
            Ok(Found::Article(t, _)) if t != i => r.targets.push(t),
            Ok(_) => {}
        }
    }
    if let (Some(t), Some(hash)) = (&a.fm.translation, &a.source_hash) {
        match site.version(&a.key, &t.source) {
            Some(src) if src.body_hash() != hash => {
                r.outdated = site.by_key[&a.key].get(&t.source).copied();
                diags.push(doc.warning_at(
                    &["translation", "source_hash"],
                    None,
                    format!(
                        "this translation is out of date: its source {} has changed since (source_hash is \"{hash}\", the source's is now \"{}\"); update the text, then write the new hash",
                        src.file.rel, src.body_hash()
                    ),
                ));
            }
            Some(_) => {}
            None => diags.push(doc.warning_at(
                &["translation", "source"],
                None,
                format!(
                    "the source version ({}) of this translation does not exist",
                    t.source
                ),
            )),
        }
    }
    r
}

pub fn resolve(site: &Site, diags: &Diagnostics) -> Graph {
    let t = crate::timing::Timer::new();
    let n = site.articles.len();
    let mut g = Graph {
        backlinks: vec![Vec::new(); n],
        also_read: vec![Vec::new(); n],
        outdated: vec![None; n],
        ..Graph::default()
    };
    // Each article's place in list order, so lists sort by integers.
    let mut order: Vec<usize> = (0..n).collect();
    // (key, language) is unique, so the order is total and an unstable
    // sort gives the stable one's; at 100,000 articles it is 80 ms alone.
    order.par_sort_unstable_by(|&x, &y| article_order(&site.articles[x], &site.articles[y]));
    let mut rank = vec![0usize; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    g.pager = pager(site, &order);

    // Every article's references, checked in parallel, then merged.
    let refs: Vec<Refs> = (0..n)
        .into_par_iter()
        .map(|i| article_refs(site, i, diags))
        .collect();
    for (i, r) in refs.into_iter().enumerate() {
        for s in r.skills {
            g.skill_articles.entry(s).or_default().push(i);
        }
        for t in r.targets {
            g.backlinks[t].push(i);
        }
        g.outdated[i] = r.outdated;
    }
    t.lap("resolve: links");
    for list in g.skill_articles.values_mut() {
        list.sort_by_key(|&x| rank[x]);
        list.dedup();
    }
    for list in &mut g.backlinks {
        list.sort_by_key(|&x| rank[x]);
        list.dedup();
    }
    g.also_read = also_read::also_read(site, &rank);
    t.lap("resolve: also read");
    yaml_refs::check_skills(site, diags);
    g.skill_checklists = yaml_refs::check_checklists(site, diags);
    fields::field_warnings(site, diags);
    t.lap("resolve: skills, checklists");
    g.topics = topics(site);
    g
}

/// Each article's previous and next in its topic and language.
fn pager(site: &Site, order: &[usize]) -> Vec<(Option<usize>, Option<usize>)> {
    let mut pager = vec![(None, None); site.articles.len()];
    let mut last: rustc_hash::FxHashMap<(&str, &str), usize> = rustc_hash::FxHashMap::default();
    for &i in order {
        let a = &site.articles[i];
        let Some(topic) = a.topic.as_deref() else {
            continue;
        };
        if let Some(p) = last.insert((topic, a.lang.as_str()), i) {
            pager[i].0 = Some(p);
            pager[p].1 = Some(i);
        }
    }
    pager
}

/// The topics: the ones site.yaml names, in its order, then any other folder.
fn topics(site: &Site) -> Vec<Topic> {
    let mut topics = Vec::new();
    let mut seen = BTreeSet::new();
    for a in &site.articles {
        if let Some(t) = &a.topic {
            seen.insert(t.clone());
        }
    }
    for (id, name) in &site.config.topics {
        if seen.remove(id) {
            topics.push(Topic {
                id: id.clone(),
                name: name.clone(),
            });
        }
    }
    for id in seen {
        let name = crate::urls::humanize(&id);
        topics.push(Topic {
            id,
            name: site
                .config
                .languages
                .iter()
                .map(|l| (l.code.clone(), name.clone()))
                .collect(),
        });
    }
    topics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_link_schemes() {
        let is_lang = |l: &str| l == "en" || l == "pl";
        assert_eq!(
            classify_with("@/articles/hiring/x.md#q", is_lang),
            LinkKind::Article {
                key: "hiring/x".into(),
                lang: None,
                anchor: Some("q")
            }
        );
        assert_eq!(
            classify_with("@/articles/x.pl.md", is_lang),
            LinkKind::Article {
                key: "x".into(),
                lang: Some("pl"),
                anchor: None
            }
        );
        assert_eq!(
            classify_with("@/skills/x.yaml", is_lang),
            LinkKind::BadInternal
        );
        assert_eq!(
            classify_with("skill:empathy", is_lang),
            LinkKind::Skill("empathy")
        );
        assert_eq!(
            classify_with("checklist:a", is_lang),
            LinkKind::Checklist("a")
        );
        assert_eq!(classify_with("#top", is_lang), LinkKind::Anchor("top"));
        assert_eq!(classify_with("https://x.org", is_lang), LinkKind::Other);
    }
}
