//! `servicekb i18n` and `servicekb translate`: the translator's tools.

use crate::diagnostics::Diagnostics;
use crate::hash::source_hash;
use crate::load::article::{parse_article_path, split_front_matter, ArticlePath, ARTICLES_DIR};
use crate::load::config::load_config;
use crate::load::LoadOptions;
use crate::model::SiteConfig;
use crate::pipeline::load_resolved;
use crate::source::SourceFile;
use crate::translations::{report, table};
use std::path::{Path, PathBuf};

pub fn i18n(root: &Path, lang: Option<&str>, json: bool) -> u8 {
    let diags = Diagnostics::new();
    let Some((site, graph)) = load_resolved(
        root,
        &LoadOptions {
            drafts: true,
            base_url: None,
            prepare: crate::load::article::Prepare::Nothing,
            drop_bodies: false,
        },
        &diags,
    ) else {
        for d in diags.into_sorted() {
            eprintln!("{d}");
        }
        return 1;
    };
    if let Some(l) = lang {
        if !site.config.has_language(l) {
            let codes: Vec<&str> = site
                .config
                .languages
                .iter()
                .map(|x| x.code.as_str())
                .collect();
            eprintln!(
                "error: `{l}` is not a language of this site (languages: {})",
                codes.join(", ")
            );
            return 1;
        }
    }
    let errors = diags
        .into_sorted()
        .into_iter()
        .filter(|d| d.is_error())
        .count();
    if errors > 0 {
        eprintln!("note: {errors} error(s) in the site leave some files out of this report; run `servicekb check`");
    }
    let r = report(&site, &graph, lang, true);
    if json {
        match serde_json::to_string_pretty(&r) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("error: cannot write the report: {e}");
                return 1;
            }
        }
    } else {
        print!("{}", table(&r));
    }
    0
}

/// The article path relative to the site root, from what the user typed.
pub(crate) fn relative_to_root(root: &Path, article: &Path) -> Option<String> {
    let candidates = [article.to_path_buf(), root.join(article)];
    let root_abs = root.canonicalize().ok()?;
    for c in candidates {
        if let Ok(abs) = c.canonicalize() {
            if let Ok(rel) = abs.strip_prefix(&root_abs) {
                return Some(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    None
}

/// The source front matter, made into a translation's: `translation:` set,
/// `draft:` dropped, comments and order kept.
pub(crate) fn stub_front_matter(fm: &str, source_lang: &str, hash: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in fm.lines() {
        let top_key = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        if top_key {
            skipping = line.starts_with("translation:") || line.starts_with("draft:");
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "translation:\n  source: {source_lang}\n  source_hash: \"{hash}\"\n"
    ));
    out
}

/// Paragraphs of `new` that `old` does not have.
fn changed_paragraphs(old: &str, new: &str) -> Vec<String> {
    let olds: std::collections::HashSet<&str> = old.split("\n\n").map(str::trim).collect();
    new.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty() && !olds.contains(p))
        .map(str::to_string)
        .collect()
}

/// The source body as it was when its hash was `hash`, from git history.
pub(crate) fn body_at_hash(root: &Path, rel: &str, hash: &str) -> Option<String> {
    let log = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["log", "--format=%H", "--"])
        .arg(rel)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let prefix = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--show-prefix"])
        .output()
        .ok()?;
    let prefix = String::from_utf8_lossy(&prefix.stdout).trim().to_string();
    for rev in String::from_utf8_lossy(&log.stdout).lines().take(200) {
        let show = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .arg("show")
            .arg(format!("{rev}:{prefix}{rel}"))
            .stderr(std::process::Stdio::null())
            .output()
            .ok()?;
        let f = SourceFile::from_bytes(rel, show.stdout).ok()?;
        let (_, _, body) = split_front_matter(&f).ok()?;
        if source_hash(&f.text[body..]) == hash {
            return Some(f.text[body..].to_string());
        }
    }
    None
}

pub fn translate(root: &Path, article: &Path, to: &str, force: bool, update: bool) -> u8 {
    let config = match load_config(root) {
        Ok(c) => c,
        Err(ds) => {
            for d in ds {
                eprintln!("{d}");
            }
            return 1;
        }
    };
    match translate_article(root, &config, article, to, force, update) {
        Ok(()) => 0,
        Err(msg) => {
            eprintln!("error: {msg}");
            1
        }
    }
}

/// Writes the stub of `article` in `to` (or, `update`, adds to the
/// translation what changed in the source).
fn translate_article(
    root: &Path,
    config: &SiteConfig,
    article: &Path,
    to: &str,
    force: bool,
    update: bool,
) -> Result<(), String> {
    let (rel, path) = article_to_translate(root, config, article, to)?;
    let src = SourceFile::read(root, &rel).map_err(plain)?;
    let (fm_start, fm_end, body_start) = split_front_matter(&src).map_err(plain)?;
    let body = &src.text[body_start..];
    let hash = source_hash(body);
    let target_rel = target_rel_of(&rel, &path.stem, to);
    let target: PathBuf = root.join(&target_rel);
    if target.exists() && update {
        return update_translation(root, &rel, &target_rel, body, &hash);
    }
    if std::fs::symlink_metadata(&target).is_ok() && !force {
        return Err(format!(
            "{target_rel} already exists: use --update to add what changed in the source, or --force to overwrite it"
        ));
    }
    let stub = format!(
        "---\n{}---\n\n{}\n",
        stub_front_matter(&src.text[fm_start..fm_end], &path.lang, &hash),
        body.trim_matches('\n')
    );
    let written = if force {
        crate::fsguard::replace_file(&target, stub.as_bytes())
    } else {
        crate::fsguard::create_new_file(&target, stub.as_bytes())
    };
    written.map_err(|e| {
        format!(
            "{target_rel}: cannot write: {}",
            crate::diagnostics::plain_io(&e)
        )
    })?;
    println!("{target_rel}");
    Ok(())
}

/// The article's path relative to the site root and what it says, refusing
/// one that is not an article of the site or already in `to`.
fn article_to_translate(
    root: &Path,
    config: &SiteConfig,
    article: &Path,
    to: &str,
) -> Result<(String, ArticlePath), String> {
    let Some(rel) = relative_to_root(root, article) else {
        return Err(format!(
            "{}: no such article in the site folder {}",
            article.display(),
            root.display()
        ));
    };
    let Some(under) = rel
        .strip_prefix(ARTICLES_DIR)
        .map(|s| s.trim_start_matches('/'))
    else {
        return Err(format!(
            "{rel}: not an article (articles live under {ARTICLES_DIR}/)"
        ));
    };
    let path = parse_article_path(under, config).map_err(|m| format!("{rel}: {m}"))?;
    if !config.has_language(to) {
        let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
        return Err(format!(
            "`{to}` is not a language of this site (languages: {})",
            codes.join(", ")
        ));
    }
    if to == path.lang {
        return Err(format!("{rel} is already the `{to}` version"));
    }
    Ok((rel, path))
}

/// `translate --update`: adds to the translation, in a comment, what
/// changed in the source since the version it records.
fn update_translation(
    root: &Path,
    rel: &str,
    target_rel: &str,
    body: &str,
    hash: &str,
) -> Result<(), String> {
    let old = SourceFile::read(root, target_rel).map_err(plain)?;
    let recorded = old
        .text
        .lines()
        .find_map(|l| l.trim().strip_prefix("source_hash:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
        .unwrap_or_default();
    if recorded == hash {
        println!("{target_rel} is up to date (source_hash \"{hash}\")");
        return Ok(());
    }
    let (paras, how) = match body_at_hash(root, rel, &recorded) {
        Some(old_body) => (
            changed_paragraphs(&old_body, body),
            "the paragraphs of the source that changed since",
        ),
        None => (
            vec![body.trim().to_string()],
            "the source's current text (no history to compare with)",
        ),
    };
    let mut text = old.text.trim_end().to_string();
    text.push_str(&format!(
        "\n\n<!-- servicekb translate --update: below is {how}. Translate what changed into the text above, delete this note, then set translation.source_hash to \"{hash}\".\n\n"
    ));
    for p in paras {
        text.push_str(&p.replace("-->", "-- >"));
        text.push_str("\n\n");
    }
    text.push_str("-->\n");
    crate::fsguard::replace_file(&root.join(target_rel), text.as_bytes()).map_err(|e| {
        format!(
            "{target_rel}: cannot write: {}",
            crate::diagnostics::plain_io(&e)
        )
    })?;
    println!("{target_rel}");
    Ok(())
}

/// A diagnostic as a plain message, without its `error: `.
pub(super) fn plain(d: crate::diagnostics::Diagnostic) -> String {
    d.to_string().trim_start_matches("error: ").to_string()
}

/// A translation's path: beside the article, `<stem>.<to>.md`.
pub(super) fn target_rel_of(rel: &str, stem: &str, to: &str) -> String {
    let dir = Path::new(rel)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    dir.join(format!("{stem}.{to}.md"))
        .to_string_lossy()
        .replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stub_front_matter_replaces_translation_and_draft() {
        let fm = "title: A\ndraft: true\ntranslation:\n  source: he\n  source_hash: \"00000000\"\nskills: [x]\n";
        let out = stub_front_matter(fm, "en", "12345678");
        assert_eq!(
            out,
            "title: A\nskills: [x]\ntranslation:\n  source: en\n  source_hash: \"12345678\"\n"
        );
    }

    #[test]
    fn changed_paragraphs_are_the_new_ones() {
        assert_eq!(
            changed_paragraphs("a\n\nb", "a\n\nc\n\nb"),
            vec!["c".to_string()]
        );
    }
}
