//! Reading an article and its translation into units.

use super::{Doc, XUnit};
use crate::commands::translate::{body_at_hash, plain, target_rel_of};
use crate::hash::source_hash;
use crate::load::article::{parse_article_path, split_front_matter, ArticlePath, ARTICLES_DIR};
use crate::model::SiteConfig;
use crate::source::SourceFile;
use crate::units::{units, Code, Unit};
use std::path::Path;

fn fm_string(fm: &str, key: &str) -> Option<String> {
    let v: serde_yaml::Value = serde_yaml::from_str(fm).ok()?;
    v.get(key)?.as_str().map(str::to_string)
}

fn recorded_hash(fm: &str) -> Option<String> {
    let v: serde_yaml::Value = serde_yaml::from_str(fm).ok()?;
    let h = v.get("translation")?.get("source_hash")?;
    match h {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The target's text in the source's placeholders, when every piece of
/// markup it has is one the source has.
pub(in crate::commands) fn renumber(target: &Unit, source: &[Code]) -> Option<String> {
    if target.codes.len() != source.len() {
        return None;
    }
    let mut used = vec![false; source.len()];
    let mut map = Vec::new();
    for c in &target.codes {
        let i = source
            .iter()
            .enumerate()
            .position(|(i, s)| !used[i] && s.open == c.open && s.close == c.close)?;
        used[i] = true;
        map.push((c.n, source[i].n));
    }
    // Swap through a form no text has, then into the source's numbers.
    let mut t = target.text.clone();
    for (from, _) in &map {
        t = t
            .replace(&format!("{{{from}}}"), &format!("\u{1}{from}\u{2}"))
            .replace(&format!("{{/{from}}}"), &format!("\u{1}/{from}\u{2}"));
    }
    for (from, to) in &map {
        t = t
            .replace(&format!("\u{1}{from}\u{2}"), &format!("{{{to}}}"))
            .replace(&format!("\u{1}/{from}\u{2}"), &format!("{{/{to}}}"));
    }
    Some(t)
}

/// Reads an article and its translation into `to` as units.
pub fn load_doc(root: &Path, config: &SiteConfig, rel: &str, to: &str) -> Result<Doc, String> {
    let path = article_path(config, rel, to)?;
    let src = SourceFile::read(root, rel).map_err(plain)?;
    let sfm = split_front_matter(&src).map_err(plain)?;
    let body = &src.text[sfm.2..];
    let hash = source_hash(body);
    let target_rel = target_rel_of(rel, &path.stem, to);
    let (target_text, tfm) = read_target(root, &target_rel)?.unzip();
    let tfm_text = match (&target_text, tfm) {
        (Some(t), Some(f)) => Some(&t[f.0..f.1]),
        _ => None,
    };
    let recorded = tfm_text.and_then(recorded_hash);
    let outdated = recorded.as_deref().is_some_and(|r| r != hash);
    // Which source units changed since the translation, when history tells.
    let old_units: Option<Vec<Unit>> = match (&recorded, outdated) {
        (Some(r), true) => body_at_hash(root, rel, r).map(|b| units(&b)),
        _ => None,
    };
    let mut out = front_matter_units(&src.text, sfm, tfm_text, outdated);
    let target_body = match (&target_text, tfm) {
        (Some(t), Some(f)) => Some(&t[f.2..]),
        _ => None,
    };
    let (body_units, aligned) = body_units(
        &src.text,
        sfm.2,
        target_body,
        outdated,
        old_units.as_deref(),
    );
    out.extend(body_units);
    Ok(Doc {
        source_rel: rel.to_string(),
        target_rel,
        lang: to.to_string(),
        source_lang: path.lang,
        source_hash: hash,
        target_state: target_text
            .as_deref()
            .map_or_else(|| "none".to_string(), source_hash),
        units: out,
        aligned,
        recorded,
        source_text: src.text.clone(),
        source_fm: sfm,
        target_text,
        target_fm: tfm,
    })
}

/// What the path of the article `rel` says, refusing one already in `to`.
fn article_path(config: &SiteConfig, rel: &str, to: &str) -> Result<ArticlePath, String> {
    let under = rel
        .strip_prefix(ARTICLES_DIR)
        .map(|s| s.trim_start_matches('/'))
        .ok_or_else(|| format!("{rel}: not an article (articles live under {ARTICLES_DIR}/)"))?;
    let path = parse_article_path(under, config).map_err(|m| format!("{rel}: {m}"))?;
    if to == path.lang {
        return Err(format!("{rel} is already the `{to}` version"));
    }
    Ok(path)
}

/// Where a file's front matter starts and ends, and where its body starts.
type FrontMatterSpan = (usize, usize, usize);

/// The translation's text and front matter, if it exists.
fn read_target(root: &Path, target_rel: &str) -> Result<Option<(String, FrontMatterSpan)>, String> {
    if root.join(target_rel).exists() {
        let t = SourceFile::read(root, target_rel).map_err(plain)?;
        let tfm = split_front_matter(&t).map_err(plain)?;
        Ok(Some((t.text, tfm)))
    } else {
        Ok(None)
    }
}

/// The title and description, with their translations from `tfm_text`.
fn front_matter_units(
    text: &str,
    sfm: (usize, usize, usize),
    tfm_text: Option<&str>,
    outdated: bool,
) -> Vec<XUnit> {
    let sfm_text = &text[sfm.0..sfm.1];
    let mut out = Vec::new();
    for key in ["title", "description"] {
        if let Some(s) = fm_string(sfm_text, key) {
            let line = text[sfm.0..sfm.1]
                .lines()
                .position(|l| l.starts_with(&format!("{key}:")))
                .map_or(1, |p| p + 2);
            let target = tfm_text.and_then(|f| fm_string(f, key)).unwrap_or_default();
            out.push(XUnit {
                id: key.to_string(),
                kind: "fm",
                source: s,
                codes: Vec::new(),
                line,
                fuzzy: outdated && !target.is_empty(),
                target,
                target_span: None,
                file: None,
            });
        }
    }
    out
}

/// The body's units (it starts at `start` in `text`), each with the
/// translation's unit at the same place when the kinds agree; and whether
/// the two bodies align unit for unit.
fn body_units(
    text: &str,
    start: usize,
    target_body: Option<&str>,
    outdated: bool,
    old_units: Option<&[Unit]>,
) -> (Vec<XUnit>, bool) {
    let su = units(&text[start..]);
    let tu = target_body.map(units).unwrap_or_default();
    let aligned = target_body.is_some()
        && su.len() == tu.len()
        && su.iter().zip(&tu).all(|(a, b)| a.kind == b.kind);
    let line_of = |off: usize| text[..off].matches('\n').count() + 1;
    let mut out = Vec::new();
    for (i, u) in su.iter().enumerate() {
        let t = tu.get(i).filter(|t| t.kind == u.kind);
        let target = t.and_then(|t| renumber(t, &u.codes)).unwrap_or_default();
        let fuzzy = !target.is_empty()
            && outdated
            && match old_units {
                Some(old) => old
                    .get(i)
                    .is_none_or(|o| o.kind != u.kind || o.text != u.text),
                None => true,
            };
        out.push(XUnit {
            id: u.id(),
            kind: u.kind,
            source: u.text.clone(),
            codes: u.codes.clone(),
            line: line_of(start + u.span.start),
            target,
            fuzzy,
            target_span: if aligned {
                t.map(|t| t.span.clone())
            } else {
                None
            },
            file: None,
        });
    }
    (out, aligned)
}
