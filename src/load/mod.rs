//! The load stage: read and validate `site.yaml`, articles, skills,
//! checklists, UI strings and the theme into typed structs.

pub mod article;
pub mod config;
pub mod git;
pub mod reload;
pub mod skill;
pub mod ui;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Article, Failed, Site, SiteConfig};
use crate::theme::{load_theme, rel_path, walk_error};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use walkdir::WalkDir;

#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub drafts: bool,
    /// Replaces `base_url` of site.yaml (`--base-url`, and `serve`).
    pub base_url: Option<String>,
    /// How much of each article body is rendered at load: its HTML, and its
    /// search words too (`build`, `serve`), or nothing (`check`, `i18n`).
    pub prepare: article::Prepare,
    /// Articles' text goes once prepared (`build`, `check`: one render each).
    pub drop_bodies: bool,
}

/// Files under `dir` (site-relative) whose name passes `want`, sorted.
/// Hidden files and folders are skipped (under `static/`, only version
/// control and editor litter); unreadable ones are reported, and so is a
/// link that leads outside the site or anything that is not a regular file.
/// With `content`, a folder whose name is a content file's (`x.md`) is an error.
fn list_files(
    root: &Path,
    dir: &str,
    max_depth: usize,
    content: bool,
    diags: &Diagnostics,
    want: impl Fn(&str) -> bool,
) -> Vec<String> {
    let full = root.join(dir);
    if !full.exists() {
        return Vec::new();
    }
    let skip = |name: &str| {
        if dir == "static" {
            crate::fsguard::is_litter(name)
        } else {
            name.starts_with('.')
        }
    };
    let mut out = Vec::new();
    let mut walker = WalkDir::new(&full)
        .follow_links(true)
        .max_depth(max_depth)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let e = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(walk_error(root, &e));
                continue;
            }
        };
        let name = e.file_name().to_string_lossy();
        if e.file_name().to_str().is_none() {
            diags.push(Diagnostic::error(
                rel_path(root, e.path()),
                "this name is not valid UTF-8 text; rename it",
            ));
            if e.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        if e.depth() > 0 && skip(&name) {
            if e.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        let rel = rel_path(root, e.path());
        if e.path_is_symlink() {
            if let Err(d) = crate::fsguard::check_link(root, e.path(), &rel) {
                diags.push(d);
                if e.file_type().is_dir() {
                    walker.skip_current_dir();
                }
                continue;
            }
        }
        if e.file_type().is_dir() {
            if e.depth() > 0 && content && want(&name) {
                diags.push(Diagnostic::error(
                    rel,
                    "this is a folder, but its name is that of a content file",
                ));
            }
            continue;
        }
        if !want(&name) {
            continue;
        }
        out.push(rel);
    }
    out
}

fn is_yaml(name: &str) -> bool {
    name.ends_with(".yaml") || name.ends_with(".yml")
}

/// Load the whole site. Problems go to `diags`; files that fail are left out
/// (and named in `Site::failed`), so later stages can still check the rest.
/// `None` when the site cannot be used at all (an unreadable site.yaml, say).
pub fn load_site(root: &Path, opts: &LoadOptions, diags: &Diagnostics) -> Option<Site> {
    let t = crate::timing::Timer::new();
    let config = site_config(root, opts, diags)?;
    let theme = match load_theme(root, &config.theme) {
        Ok(t) => Some(t),
        Err(ds) => {
            diags.extend(ds);
            None
        }
    };
    let article_files = list_files(root, article::ARTICLES_DIR, usize::MAX, true, diags, |n| {
        n.ends_with(".md")
    });
    let skill_files = list_files(root, skill::SKILLS_DIR, 1, true, diags, is_yaml);
    let checklist_files = list_files(root, skill::CHECKLISTS_DIR, 1, true, diags, is_yaml);
    t.lap("load: config, theme, file list");

    let mut failed = HashSet::new();
    let loaded = load_articles(root, &article_files, &config, opts, diags);
    t.lap("load: articles");
    let skills = load_all(&skill_files, Failed::Skill, &mut failed, diags, |rel| {
        skill::load_skill(root, rel, &config)
    });
    let checklists = load_all(
        &checklist_files,
        Failed::Checklist,
        &mut failed,
        diags,
        |rel| skill::load_checklist(root, rel, &config),
    );
    let (ui, ui_diags) = ui::load_ui(root, &config);
    diags.extend(ui_diags);
    let (mut articles, drafts) = set_drafts_aside(loaded, opts, &mut failed);
    t.lap("load: skills, checklists, UI strings");
    let by_key = index_articles(&mut articles, diags);
    t.lap("load: index");
    let static_files = list_files(root, "static", usize::MAX, false, diags, |_| true)
        .into_iter()
        .map(|p| p["static/".len()..].to_string())
        .collect();
    let last_commits = git::last_commit_dates(root, article::ARTICLES_DIR);
    Some(Site {
        last_commits,
        failed,
        root: root.to_path_buf(),
        config,
        articles,
        by_key,
        drafts,
        skills: skills.into_iter().map(|s| (s.id.clone(), s)).collect(),
        checklists: checklists.into_iter().map(|c| (c.id.clone(), c)).collect(),
        ui,
        theme: theme?,
        static_files,
    })
}

/// `site.yaml`, with `--base-url` in place of its own when given.
fn site_config(root: &Path, opts: &LoadOptions, diags: &Diagnostics) -> Option<SiteConfig> {
    let mut config = match config::load_config(root) {
        Ok(c) => c,
        Err(ds) => {
            diags.extend(ds);
            return None;
        }
    };
    if let Some(u) = &opts.base_url {
        let u = u.trim().trim_end_matches('/');
        if !config::valid_base_url(u) {
            diags.push(Diagnostic::error(
                "--base-url",
                format!("`{u}` must be an absolute http(s) URL, such as https://kb.example.org"),
            ));
            return None;
        }
        config.set_base_url(u);
    }
    Some(config)
}

fn load_articles(
    root: &Path,
    files: &[String],
    config: &SiteConfig,
    opts: &LoadOptions,
    diags: &Diagnostics,
) -> Vec<Result<Article, String>> {
    files
        .par_iter()
        .map(|rel| load_one_article(root, rel, config, opts, diags))
        .collect()
}

/// One article file; when it fails, its problems go to `diags` and its key
/// (as far as its path tells) is returned, to name it among the failed.
pub(crate) fn load_one_article(
    root: &Path,
    rel: &str,
    config: &SiteConfig,
    opts: &LoadOptions,
    diags: &Diagnostics,
) -> Result<Article, String> {
    article::load_article(root, rel, config, opts.prepare, !opts.drop_bodies).map_err(|ds| {
        diags.extend(ds);
        let under = rel[article::ARTICLES_DIR.len()..].trim_start_matches('/');
        article::parse_article_path(under, config)
            .map(|p| p.key)
            .unwrap_or_default()
    })
}

/// Every skill or checklist (`kind`) file, loaded in parallel; one that
/// fails is named in `failed` as `<kind>:<id>`.
fn load_all<T: Send>(
    files: &[String],
    failed_as: fn(String) -> Failed,
    failed: &mut HashSet<Failed>,
    diags: &Diagnostics,
    load: impl Fn(&str) -> skill::Loaded<T> + Sync,
) -> Vec<T> {
    let mut out = Vec::new();
    for (rel, (v, ds)) in files
        .iter()
        .zip(files.par_iter().map(|rel| load(rel)).collect::<Vec<_>>())
    {
        diags.extend(ds);
        match v {
            Some(v) => out.push(v),
            None => failed.extend(skill::id_of(rel).ok().map(failed_as)),
        }
    }
    out
}

/// The loaded articles, drafts set aside (unless shown) as (key, language);
/// those that failed are named in `failed`.
fn set_drafts_aside(
    loaded: Vec<Result<Article, String>>,
    opts: &LoadOptions,
    failed: &mut HashSet<Failed>,
) -> (Vec<Article>, Vec<(String, String)>) {
    let mut drafts = Vec::new();
    // Collected where `loaded` was (the two have one size): a second vector
    // of 100,000 articles would be some 80 MB more at the peak.
    let articles = loaded
        .into_iter()
        .filter_map(|a| kept_article(a, opts, &mut drafts, failed))
        .collect();
    (articles, drafts)
}

/// Where a loaded article goes: among the articles, the drafts set aside
/// (unless shown), or, when it failed, among the failed.
pub(crate) fn place_article(
    a: Result<Article, String>,
    opts: &LoadOptions,
    articles: &mut Vec<Article>,
    drafts: &mut Vec<(String, String)>,
    failed: &mut HashSet<Failed>,
) {
    articles.extend(kept_article(a, opts, drafts, failed));
}

/// A loaded article if it is one of the site's, else `None` once it is
/// set aside as a draft or named among the failed.
fn kept_article(
    a: Result<Article, String>,
    opts: &LoadOptions,
    drafts: &mut Vec<(String, String)>,
    failed: &mut HashSet<Failed>,
) -> Option<Article> {
    match a {
        Err(key) => {
            failed.insert(Failed::Article(key));
            None
        }
        Ok(a) if a.fm.draft && !opts.drafts => {
            drafts.push((a.key.clone(), a.lang.clone()));
            None
        }
        Ok(a) => Some(a),
    }
}

/// Drop second versions of one article in one language and pages that would
/// share a URL (each an error), then index the rest: key → lang → index.
pub fn index_articles(
    articles: &mut Vec<Article>,
    diags: &Diagnostics,
) -> FxHashMap<String, BTreeMap<String, usize>> {
    // Loading keeps the walk's sorted order, so this is one pass.
    if !articles.is_sorted_by(|a, b| a.file.rel <= b.file.rel) {
        articles.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));
    }
    let mut keep = vec![true; articles.len()];
    {
        let n = articles.len();
        let mut seen_version: FxHashMap<(&str, &str), &str> =
            FxHashMap::with_capacity_and_hasher(n, Default::default());
        let mut urls: FxHashMap<&str, &str> =
            FxHashMap::with_capacity_and_hasher(n, Default::default());
        for (i, a) in articles.iter().enumerate() {
            if let Some(other) = seen_version.get(&(a.key.as_str(), a.lang.as_str())) {
                diags.push(Diagnostic::error(
                    &a.file.rel,
                    format!(
                        "this is a second `{}` version of the article {} (the other is {other})",
                        a.lang, a.key
                    ),
                ));
                keep[i] = false;
                continue;
            }
            if let Some(other) = urls.get(a.url.as_str()) {
                diags.push(
                    Diagnostic::error(
                        &a.file.rel,
                        format!(
                            "two pages would have the URL {}: this one and {other} (change `slug:`)",
                            a.url
                        ),
                    )
                    .at(Some(a.file.pos(a.fm_offset))),
                );
                keep[i] = false;
                continue;
            }
            seen_version.insert((&a.key, &a.lang), &a.file.rel);
            urls.insert(&a.url, &a.file.rel);
        }
    }
    let mut kept = keep.iter();
    articles.retain(|_| *kept.next().unwrap_or(&true));
    let mut by_key: FxHashMap<String, BTreeMap<String, usize>> =
        FxHashMap::with_capacity_and_hasher(articles.len(), Default::default());
    for (i, a) in articles.iter().enumerate() {
        by_key
            .entry(a.key.clone())
            .or_default()
            .insert(a.lang.clone(), i);
    }
    by_key
}
