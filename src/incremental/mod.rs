//! The site kept in memory, and rebuilt by the change: `serve` re-loads only
//! the files that changed, re-resolves the link graph, and re-renders only
//! the pages that show what changed. The result is the same, byte for byte,
//! as a full build of the same files.

mod change;
mod derived;
mod neighbours;

pub use change::{classify, is_content, Change};
use derived::Derived;
use neighbours::{
    article_neighbours, article_signature, checklist_neighbours, key_of, skill_neighbours,
};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::article::load_article;
use crate::load::reload::{reload, Changed, Undo};
use crate::load::skill::id_of;
use crate::load::{index_articles, LoadOptions};
use crate::model::Site;
use crate::pipeline::run;
use crate::render::{render_site, Output, PageId};
use crate::resolve::{resolve, Graph};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Whether a file of the output already has these bytes.
fn same_bytes(old: Option<&Arc<Vec<u8>>>, new: &[u8]) -> bool {
    old.is_some_and(|o| o.as_slice() == new)
}

/// What one rebuild did.
#[derive(Debug, Default, Clone)]
pub struct Rebuild {
    pub full: bool,
    pub pages: usize,
    /// Output paths written or removed.
    pub files: Vec<String>,
    /// Warnings about the changed files.
    pub warnings: Vec<Diagnostic>,
}

impl Rebuild {
    /// Only stylesheets changed: browsers can swap them without a reload.
    pub fn css_only(&self) -> bool {
        !self.files.is_empty() && self.files.iter().all(|f| f.ends_with(".css"))
    }
}

pub struct State {
    pub root: PathBuf,
    pub opts: LoadOptions,
    pub site: Site,
    pub graph: Graph,
    pub out: Output,
    /// Feeds and search indexes (by language) and the sitemap that pages
    /// rendered since need made again: see [`State::apply_pages`].
    derived: Derived,
}

/// What a change touched before it was loaded.
#[derive(Default)]
struct Before {
    /// Pages that showed the old skills and checklists.
    ids: BTreeSet<PageId>,
    /// Each changed article's signature before.
    signatures: BTreeMap<String, String>,
    /// Pages and languages that showed the old articles.
    article_ids: BTreeSet<PageId>,
    article_langs: BTreeSet<String>,
    skills_changed: bool,
}

impl State {
    /// Load, resolve and render everything.
    pub fn load(
        root: &Path,
        opts: &LoadOptions,
    ) -> Result<(State, Vec<Diagnostic>), Vec<Diagnostic>> {
        let diags = Diagnostics::new();
        let built = run(root, opts, &diags, None, true);
        let list = diags.into_sorted();
        match built {
            Some(b) => Ok((
                State {
                    root: root.to_path_buf(),
                    opts: opts.clone(),
                    site: b.site,
                    graph: b.graph,
                    out: b.output,
                    derived: Derived::default(),
                },
                list,
            )),
            None => Err(list),
        }
    }

    /// Apply changed paths. On errors the state stays as it was (the last
    /// good site) and the errors are returned.
    pub fn apply(&mut self, paths: &[PathBuf]) -> Result<Rebuild, Vec<Diagnostic>> {
        let mut r = self.apply_pages(paths)?;
        r.files.extend(self.finish_derived());
        Ok(r)
    }

    /// As [`State::apply`], but the feeds, search indexes and sitemap the
    /// change touches are left for [`State::finish_derived`]: a language's
    /// search index takes longer to make than the pages of an edit, and a
    /// reader waits only for the pages.
    pub fn apply_pages(&mut self, paths: &[PathBuf]) -> Result<Rebuild, Vec<Diagnostic>> {
        let mut changes: BTreeSet<Change> = paths
            .iter()
            .filter_map(|p| classify(&self.root, p))
            .filter_map(|c| match c {
                // A vanished folder that held articles needs a full build;
                // a vanished temporary file needs nothing.
                Change::Gone(rel) => {
                    let under = format!("{rel}/");
                    self.site
                        .articles
                        .iter()
                        .any(|a| a.file.rel.starts_with(&under))
                        .then_some(Change::Full)
                }
                c => Some(c),
            })
            .collect();
        if changes.is_empty() {
            return Ok(Rebuild::default());
        }
        let statics: Vec<String> = changes
            .iter()
            .filter_map(|c| {
                if let Change::Static(s) = c {
                    Some(s.clone())
                } else {
                    None
                }
            })
            .collect();
        changes.retain(|c| !matches!(c, Change::Static(_)));
        let mut report = Rebuild::default();
        if changes.contains(&Change::Full) {
            report = self.full()?;
        } else if !changes.is_empty() {
            report = self.partial(&changes)?;
        }
        for rel in statics {
            let p = self.root.join("static").join(&rel);
            let src = format!("static/{rel}");
            let read =
                crate::fsguard::read_site_file(&self.root, &src, crate::source::MAX_STATIC_BYTES);
            // A link out of the site or a pipe: the full build reports it.
            if read.is_err() && std::fs::symlink_metadata(&p).is_ok() && !p.is_dir() {
                return self.full().map(|mut r| {
                    r.files.extend(report.files);
                    r
                });
            }
            match read {
                Ok(bytes) => {
                    if !same_bytes(self.out.files.get(&rel), &bytes) {
                        self.out.files.insert(rel.clone(), Arc::new(bytes));
                        report.files.push(rel.clone());
                    }
                    if !self.site.static_files.contains(&rel) {
                        self.site.static_files.push(rel.clone());
                        self.site.static_files.sort();
                    }
                }
                _ => {
                    if p.is_dir() {
                        return self.full().map(|mut r| {
                            r.files.extend(report.files);
                            r
                        });
                    }
                    if self.out.files.remove(&rel).is_some() {
                        report.files.push(rel.clone());
                    }
                    self.site.static_files.retain(|s| s != &rel);
                }
            }
        }
        Ok(report)
    }

    /// Reload everything; keep the old state on errors.
    pub fn full(&mut self) -> Result<Rebuild, Vec<Diagnostic>> {
        let (new, warnings) = State::load(&self.root, &self.opts)?;
        let files: Vec<String> = new
            .out
            .files
            .iter()
            .filter(|(k, v)| self.out.files.get(*k) != Some(*v))
            .map(|(k, _)| k.clone())
            .chain(
                self.out
                    .files
                    .keys()
                    .filter(|k| !new.out.files.contains_key(*k))
                    .cloned(),
            )
            .collect();
        let pages = new.out.metas.len();
        *self = new;
        Ok(Rebuild {
            full: true,
            pages,
            files,
            warnings,
        })
    }

    /// The common case while writing: one article's text changes, and none
    /// of its front matter, links or headings. The link graph stays as it
    /// is, but for which translations of it are outdated, so this skips
    /// loading and resolving the rest of the site. `None`: not such a change.
    fn body_edit(
        &mut self,
        changes: &BTreeSet<Change>,
    ) -> Option<Result<Rebuild, Vec<Diagnostic>>> {
        let [Change::Article(rel)] = changes.iter().collect::<Vec<_>>()[..] else {
            return None;
        };
        let t = crate::timing::Timer::new();
        let pos = self.site.articles.iter().position(|a| &a.file.rel == rel)?;
        let new = load_article(&self.root, rel, &self.site.config, self.opts.prepare, true).ok()?;
        t.lap("rebuild: load the article");
        let old = &self.site.articles[pos];
        let same_headings = old.headings.len() == new.headings.len()
            && old
                .headings
                .iter()
                .zip(&new.headings)
                .all(|(a, b)| a.id == b.id && a.level == b.level);
        if new.key != old.key
            || new.lang != old.lang
            || new.fm.draft
            || !same_headings
            || article_signature(&self.site, old) != article_signature(&self.site, &new)
        {
            return None;
        }
        let key = new.key.clone();
        let previous = std::mem::replace(&mut self.site.articles[pos], new);
        // Its own references and whether each version is outdated now.
        let diags = Diagnostics::new();
        let versions: Vec<usize> = self.site.by_key[&key].values().copied().collect();
        let mut outdated = Vec::new();
        for &i in &versions {
            let d = Diagnostics::new();
            let r = crate::resolve::article_refs(&self.site, i, &d);
            outdated.push((i, r.outdated));
            for x in d.into_sorted() {
                if &x.file == rel {
                    diags.push(x);
                }
            }
        }
        if diags.has_errors() {
            self.site.articles[pos] = previous;
            return None;
        }
        for (i, o) in outdated {
            self.graph.outdated[i] = o;
        }
        let mut ids = BTreeSet::new();
        let mut langs = BTreeSet::new();
        article_neighbours(&self.site, &self.graph, &key, true, &mut ids, &mut langs);
        // Other versions only change their outdated notice: their feed and
        // search entries are as they were.
        langs = BTreeSet::from([self.site.articles[pos].lang.clone()]);
        // The status pages show a body only through its hash, and only when
        // a translation of it records one.
        let lang = &self.site.articles[pos].lang;
        let is_source = versions.iter().any(|&j| {
            self.site.articles[j]
                .fm
                .translation
                .as_ref()
                .is_some_and(|t| &t.source == lang)
        });
        if self.site.config.translation_status && is_source {
            for l in &self.site.config.languages {
                ids.insert(PageId::TranslationStatus(l.code.clone()));
            }
        }
        let warnings = diags.into_sorted();
        t.lap("rebuild: references");
        Some(self.render_into_output(ids, &langs, warnings))
    }

    fn partial(&mut self, changes: &BTreeSet<Change>) -> Result<Rebuild, Vec<Diagnostic>> {
        if let Some(r) = self.body_edit(changes) {
            return r;
        }
        let before = self.before(changes);
        let diags = Diagnostics::new();
        let (undo, touched_files) = self.reload(changes, &diags);
        self.site.by_key = index_articles(&mut self.site.articles, &diags);
        let graph = resolve(&self.site, &diags);
        if diags.has_errors() {
            // Restore the last good site.
            undo.restore(&mut self.site);
            self.site.by_key = index_articles(&mut self.site.articles, &Diagnostics::new());
            return Err(diags
                .into_sorted()
                .into_iter()
                .filter(|d| d.is_error())
                .collect());
        }
        let warnings: Vec<Diagnostic> = diags
            .into_sorted()
            .into_iter()
            .filter(|d| touched_files.contains(&d.file))
            .collect();
        // A new or vanished topic changes every page's menu.
        if graph
            .topics
            .iter()
            .map(|t| &t.id)
            .ne(self.graph.topics.iter().map(|t| &t.id))
        {
            self.graph = graph;
            return self.full().map(|mut r| {
                r.warnings = warnings;
                r
            });
        }
        self.graph = graph;
        let (ids, langs) = self.after(changes, before);
        self.out.renderer.refresh(&self.site, &self.graph);
        self.render_into_output(ids, &langs, warnings)
    }

    /// Pages that show what `changes` change, as the site is before them.
    fn before(&self, changes: &BTreeSet<Change>) -> Before {
        let mut b = Before::default();
        for c in changes {
            match c {
                Change::Article(rel) => {
                    if let Some(old) = self.site.articles.iter().find(|a| &a.file.rel == rel) {
                        b.signatures
                            .insert(rel.clone(), article_signature(&self.site, old));
                        let key = old.key.clone();
                        let (ids, langs) = (&mut b.article_ids, &mut b.article_langs);
                        article_neighbours(&self.site, &self.graph, &key, false, ids, langs);
                    }
                }
                Change::Skill(rel) => {
                    if let Ok(id) = id_of(rel) {
                        skill_neighbours(&self.site, &self.graph, &id, &mut b.ids);
                    }
                    b.skills_changed = true;
                }
                Change::Checklist(rel) => {
                    if let Ok(id) = id_of(rel) {
                        checklist_neighbours(&self.site, &id, &mut b.ids);
                    }
                    b.skills_changed = true;
                }
                _ => {}
            }
        }
        b
    }

    /// Loads the changed files into the site: what they replaced, and the
    /// files' paths.
    fn reload(&mut self, changes: &BTreeSet<Change>, diags: &Diagnostics) -> (Undo, Vec<String>) {
        let mut undo = Undo::default();
        let mut touched_files = Vec::new();
        for c in changes {
            let (changed, rel) = match c {
                Change::Article(rel) => (Changed::Article(rel), rel),
                Change::Skill(rel) => (Changed::Skill(rel), rel),
                Change::Checklist(rel) => (Changed::Checklist(rel), rel),
                _ => continue,
            };
            touched_files.push(rel.clone());
            let (site, root) = (&mut self.site, &self.root);
            reload(site, root, changed, &self.opts, diags, &mut undo);
        }
        (undo, touched_files)
    }

    /// Pages and languages to render again after `changes`: those that
    /// showed what changed (`before`) and those that show it now.
    fn after(
        &self,
        changes: &BTreeSet<Change>,
        before: Before,
    ) -> (BTreeSet<PageId>, BTreeSet<String>) {
        let Before {
            mut ids,
            signatures,
            article_ids,
            article_langs,
            skills_changed,
        } = before;
        let mut langs = BTreeSet::new();
        let body_only = changes.iter().all(|c| match c {
            Change::Article(rel) => self
                .site
                .articles
                .iter()
                .find(|a| &a.file.rel == rel)
                .is_some_and(|a| signatures.get(rel) == Some(&article_signature(&self.site, a))),
            _ => false,
        });
        if !body_only {
            ids.extend(article_ids);
            langs.extend(article_langs);
        }
        for c in changes {
            match c {
                Change::Article(rel) => {
                    let found = self.site.articles.iter().find(|a| &a.file.rel == rel);
                    if let Some(key) = found.map(|a| a.key.clone()) {
                        let (ids, langs) = (&mut ids, &mut langs);
                        article_neighbours(&self.site, &self.graph, &key, body_only, ids, langs);
                    }
                }
                Change::Skill(rel) => {
                    if let Ok(id) = id_of(rel) {
                        skill_neighbours(&self.site, &self.graph, &id, &mut ids);
                    }
                }
                Change::Checklist(rel) => {
                    if let Ok(id) = id_of(rel) {
                        checklist_neighbours(&self.site, &id, &mut ids);
                    }
                }
                _ => {}
            }
        }
        self.changed_lists(&mut ids);
        if skills_changed {
            langs.extend(self.site.config.languages.iter().map(|l| l.code.clone()));
        }
        // Any content change can change what is missing or outdated.
        if self.site.config.translation_status {
            for l in &self.site.config.languages {
                ids.insert(PageId::TranslationStatus(l.code.clone()));
            }
        }
        (ids, langs)
    }

    /// Adds the articles whose "also read", backlinks or pager changed.
    fn changed_lists(&self, ids: &mut BTreeSet<PageId>) {
        for (i, a) in self.site.articles.iter().enumerate() {
            let id = PageId::Article(a.key.clone(), a.lang.clone());
            if ids.contains(&id) {
                continue;
            }
            let (prev, next) = self.graph.pager[i];
            let deps: Vec<(String, String)> = self.graph.also_read[i]
                .iter()
                .chain(self.graph.backlinks[i].iter())
                .chain(prev.iter())
                .chain(next.iter())
                .map(|&j| key_of(&self.site, j))
                .collect();
            if self.out.metas.get(&id).is_none_or(|m| m.deps != deps) {
                ids.insert(id);
            }
        }
    }

    /// Renders `ids` into the output kept in memory, and notes the feeds and
    /// search indexes of `langs` and, when a page moved or vanished, the
    /// sitemap for [`State::finish_derived`].
    fn render_into_output(
        &mut self,
        ids: BTreeSet<PageId>,
        langs: &BTreeSet<String>,
        warnings: Vec<Diagnostic>,
    ) -> Result<Rebuild, Vec<Diagnostic>> {
        let t = crate::timing::Timer::new();
        let ids: Vec<PageId> = ids.into_iter().collect();
        let rendered = self
            .out
            .renderer
            .render_pages(&self.site, &self.graph, &ids)?;
        t.lap("rebuild: pages");
        let mut report = Rebuild {
            warnings,
            ..Rebuild::default()
        };
        let mut sitemap_changed = false;
        for (id, page) in rendered {
            sitemap_changed |= self.take_page(id, page, &mut report);
        }
        self.derived.langs.extend(langs.iter().cloned());
        self.derived.sitemap |= sitemap_changed;
        Ok(report)
    }

    /// Puts a page rendered again (`None`: one that is gone) into the
    /// output; whether the sitemap changes.
    fn take_page(
        &mut self,
        id: PageId,
        page: Option<crate::render::RenderedPage>,
        report: &mut Rebuild,
    ) -> bool {
        let old_meta = self.out.metas.get(&id).cloned();
        let search_key = match &id {
            PageId::Article(k, l) => Some((k.clone(), l.clone())),
            _ => None,
        };
        let Some(p) = page else {
            if let Some(k) = search_key {
                self.out.article_search.remove(&k);
            }
            let Some(old) = old_meta else {
                return false;
            };
            let path = crate::render::out_path(&old.url);
            self.out.files.remove(&path);
            report.files.push(path);
            self.out.metas.remove(&id);
            return true;
        };
        report.pages += 1;
        if let Some(old) = old_meta.as_ref().filter(|old| old.url != p.meta.url) {
            self.out.files.remove(&crate::render::out_path(&old.url));
            report.files.push(crate::render::out_path(&old.url));
        }
        let sitemap_changed = old_meta.as_ref().is_none_or(|m| {
            m.url != p.meta.url
                || m.alternates != p.meta.alternates
                || m.lastmod != p.meta.lastmod
                || m.in_sitemap != p.meta.in_sitemap
        });
        if let Some(k) = search_key {
            match p.search {
                Some(e) => self.out.article_search.insert(k, e),
                None => self.out.article_search.remove(&k),
            };
        }
        if !same_bytes(self.out.files.get(&p.file.path), &p.file.bytes) {
            report.files.push(p.file.path.clone());
            self.out.files.insert(p.file.path, Arc::new(p.file.bytes));
        }
        self.out.metas.insert(id, p.meta);
        sitemap_changed
    }

    /// A full render of the files as they are now, to compare with (tests).
    pub fn fresh_files(&self) -> Option<BTreeMap<String, Arc<Vec<u8>>>> {
        let diags = Diagnostics::new();
        let site = crate::load::load_site(&self.root, &self.opts, &diags)?;
        let (g, templates) = crate::pipeline::resolve_and_compile(&site, &diags);
        render_site(&site, &g, templates, &diags, None, true).map(|o| o.files)
    }
}
