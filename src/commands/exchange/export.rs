//! `servicekb i18n export`: every article, and the skill, checklist and UI
//! texts, written as exchange files for translators.

use super::{check_lang, load_config_or_print, load_doc, Doc, ExFormat};
use crate::commands::{fields, po, xliff};
use crate::load::article::{parse_article_path, ARTICLES_DIR};
use crate::model::SiteConfig;
use std::path::{Path, PathBuf};

/// Every article of the default language, relative to the site root.
fn source_articles(root: &Path, config: &SiteConfig) -> Vec<String> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root.join(ARTICLES_DIR))
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !e.file_type().is_file() {
            continue;
        }
        let Ok(rel) = e.path().strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let under = rel[ARTICLES_DIR.len()..].trim_start_matches('/');
        if let Ok(p) = parse_article_path(under, config) {
            if p.lang == config.default_language {
                out.push(rel);
            }
        }
    }
    out
}

/// The exchange file's name for an article: its path under the articles
/// folder, `/` made `--`.
fn exchange_name(doc: &Doc, ext: &str) -> String {
    let under = doc.source_rel[ARTICLES_DIR.len()..].trim_start_matches('/');
    let stem = under.trim_end_matches(".md");
    let stem = stem
        .strip_suffix(&format!(".{}", doc.source_lang))
        .unwrap_or(stem);
    format!("{}.{}.{ext}", stem.replace('/', "--"), doc.lang)
}

pub fn i18n_export(root: &Path, to: &str, format: ExFormat, out: Option<PathBuf>) -> u8 {
    let Some(config) = load_config_or_print(root) else {
        return 1;
    };
    if let Err(m) = check_lang(&config, to) {
        eprintln!("error: {m}");
        return 1;
    }
    if to == config.default_language {
        eprintln!("error: `{to}` is the source language; export into another language");
        return 1;
    }
    let out = out.unwrap_or_else(|| root.join("translations").join(to));
    match exchange_files(root, &config, to, format) {
        Ok(files) => write_files(&out, files),
        Err(m) => {
            eprintln!("error: {m}");
            1
        }
    }
}

/// The name and text of each exchange file: one per article, then one for
/// each of the skill, checklist and UI texts that has any.
fn exchange_files(
    root: &Path,
    config: &SiteConfig,
    to: &str,
    format: ExFormat,
) -> Result<Vec<(String, String)>, String> {
    let mut files = Vec::new();
    for rel in source_articles(root, config) {
        let doc = load_doc(root, config, &rel, to)?;
        let (name, text) = match format {
            ExFormat::Po => (exchange_name(&doc, "po"), po::write(&doc)),
            ExFormat::Xliff => (exchange_name(&doc, "xlf"), xliff::write(&doc)),
        };
        files.push((name, text));
    }
    for (name, source) in [
        ("skills", fields::SKILLS),
        ("checklists", fields::CHECKLISTS),
        ("ui", fields::UI),
    ] {
        let fd = match fields::load(root, config, source, to) {
            Some(fd) => fd?,
            None => continue,
        };
        if fd.doc.units.is_empty() {
            continue;
        }
        files.push(match format {
            ExFormat::Po => (format!("_{name}.{to}.po"), po::write(&fd.doc)),
            ExFormat::Xliff => (format!("_{name}.{to}.xlf"), xliff::write(&fd.doc)),
        });
    }
    Ok(files)
}

/// Writes the exchange files into `out`, naming each one written.
fn write_files(out: &Path, files: Vec<(String, String)>) -> u8 {
    let base = crate::fsguard::absolute(out);
    let parent = base.parent().map(Path::to_path_buf).unwrap_or_default();
    if let Err(e) = std::fs::create_dir_all(&parent)
        .and_then(|_| crate::fsguard::create_dirs_no_links(&parent, &base))
    {
        eprintln!(
            "error: {}: cannot create: {}",
            out.display(),
            crate::diagnostics::plain_io(&e)
        );
        return 1;
    }
    for (name, text) in files {
        let p = base.join(&name);
        if let Err(e) = crate::fsguard::replace_file(&p, text.as_bytes()) {
            eprintln!(
                "error: {}: cannot write: {}",
                p.display(),
                crate::diagnostics::plain_io(&e)
            );
            return 1;
        }
        println!("{}", out.join(&name).display());
    }
    0
}
