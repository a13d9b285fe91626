//! What a changed path is to the site: an article, a skill, a template...

use crate::load::article::ARTICLES_DIR;
use crate::load::skill::{CHECKLISTS_DIR, SKILLS_DIR};
use std::path::Path;

/// What a changed path means for the site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// site.yaml, the theme, UI strings, or a folder: rebuild everything.
    Full,
    /// A file under `static/` (path relative to it).
    Static(String),
    Article(String),
    Skill(String),
    Checklist(String),
    /// A path under `content/articles/` that is gone and was no article:
    /// a folder of articles, or an editor's temporary file (sed -i, a
    /// JetBrains safe write, gedit) renamed over an article already.
    Gone(String),
}

/// Classify a changed path (absolute or relative to `root`); `None` for
/// paths the site does not use (editor temp files, `public/`).
pub fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let rel = rel.to_string_lossy().replace('\\', "/");
    let name = rel.rsplit('/').next().unwrap_or(&rel);
    // Hidden files under static/ are published (`.well-known/`, `.nojekyll`).
    if let Some(s) = rel.strip_prefix("static/") {
        if s.split('/').any(crate::fsguard::is_litter) || name.ends_with(".tmp") {
            return None;
        }
        // The site's favicon.ico stands in for the theme's: both ways, a full build.
        if s == crate::render::ROOT_FAVICON {
            return Some(Change::Full);
        }
        return Some(Change::Static(s.to_string()));
    }
    if name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
    {
        return None;
    }
    if rel == "site.yaml"
        || rel.starts_with("themes/")
        || rel.starts_with("i18n/")
        || rel == "content"
        || rel == "themes"
        || rel == "i18n"
    {
        return Some(Change::Full);
    }
    if rel == "static"
        || rel == "content/articles"
        || rel == "content/skills"
        || rel == "content/checklists"
    {
        return Some(Change::Full);
    }
    if rel.starts_with("content/articles/") {
        if rel.ends_with(".md") {
            return Some(Change::Article(rel));
        }
        // Anything else is a folder (a full build), a file the site does
        // not use, or gone.
        return match std::fs::symlink_metadata(root.join(&rel)) {
            Ok(m) if m.is_dir() => Some(Change::Full),
            Ok(_) => None,
            Err(_) => Some(Change::Gone(rel)),
        };
    }
    if rel.starts_with("content/skills/") && (rel.ends_with(".yaml") || rel.ends_with(".yml")) {
        return Some(Change::Skill(rel));
    }
    if rel.starts_with("content/checklists/") && (rel.ends_with(".yaml") || rel.ends_with(".yml")) {
        return Some(Change::Checklist(rel));
    }
    None
}

/// Where an article file lives, for messages.
pub fn is_content(rel: &str) -> bool {
    rel.starts_with(ARTICLES_DIR) || rel.starts_with(SKILLS_DIR) || rel.starts_with(CHECKLISTS_DIR)
}
