//! Importing a translated exchange file: checking it against the article
//! as it is now, and writing the translation.

use super::doc::renumber;
use super::{Doc, Incoming, Translated, XUnit};
use crate::commands::translate::stub_front_matter;
use crate::units::{continuation_prefix, restore, units};

fn yaml_scalar(s: &str) -> String {
    serde_yaml::to_string(s)
        .map(|y| y.trim_end_matches('\n').to_string())
        .unwrap_or_else(|_| format!("{s:?}"))
}

/// `fm` with the top-level `key:` (and its continuation lines) set to
/// `value`, or added at the end.
fn set_fm_key(fm: &str, key: &str, value: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    let mut done = false;
    for line in fm.lines() {
        let top_key = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        if top_key {
            skipping = false;
            if line.starts_with(&format!("{key}:")) {
                out.push_str(&format!("{key}: {value}\n"));
                skipping = true;
                done = true;
                continue;
            }
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !done {
        out.push_str(&format!("{key}: {value}\n"));
    }
    out
}

/// The unit's text made into Markdown for its place in a body.
pub(in crate::commands) fn markdown_of(
    u: &XUnit,
    text: &str,
    prefix: &str,
) -> Result<String, String> {
    let md = restore(text, &u.codes).map_err(|e| e.0)?;
    let md = md.trim().replace("\r\n", "\n");
    Ok(match u.kind {
        "th" | "td" => md.replace('\n', " "),
        k if k.starts_with('h') => md.replace('\n', " "),
        _ => md.replace('\n', &format!("\n{prefix}")),
    })
}

/// The text of a unit that a converter (xliff2po) wrote with the markup
/// itself instead of placeholders, in placeholders again; `None` when its
/// markup is not exactly the source's.
fn from_markup(u: &XUnit, text: &str) -> Option<String> {
    if text.is_empty() {
        return Some(String::new());
    }
    let parsed = units(text);
    match parsed.as_slice() {
        [] if u.codes.is_empty() => Some(text.to_string()),
        [one] => renumber(one, &u.codes),
        _ => None,
    }
}

/// Checks that `inc` was exported from `doc` as it is now, and gives its
/// units in the source's placeholders. Errors are `file:line: message`.
pub fn check_units(doc: &Doc, inc: &Incoming, force: bool) -> Result<Vec<Translated>, String> {
    let at = |line: usize, msg: String| format!("{}:{line}: {msg}", inc.file);
    if inc.header("X-Servicekb-Source") != Some(doc.source_rel.as_str()) {
        return Err(at(1, format!("this file is not for {}", doc.source_rel)));
    }
    if let Some(n) = inc.header("X-Servicekb-Units") {
        if n.parse::<usize>().ok() != Some(inc.units.len()) {
            return Err(at(
                inc.last_line,
                format!(
                    "the file has {} units but was exported with {n}: it is truncated or units were deleted",
                    inc.units.len()
                ),
            ));
        }
    }
    if inc.units.len() != doc.units.len() {
        return Err(at(
            inc.last_line,
            format!(
                "the file has {} units but {} has {} now: export it again",
                inc.units.len(),
                doc.source_rel,
                doc.units.len()
            ),
        ));
    }
    let mut out = Vec::with_capacity(inc.units.len());
    for (t, u) in inc.units.iter().zip(&doc.units) {
        // Units are matched by position and source text: converters
        // (po2xliff) may drop or rename the context that holds the id.
        let mut t = t.clone();
        if t.source != u.source {
            let markup = restore(&u.source, &u.codes).ok();
            let target = (markup.as_deref() == Some(t.source.as_str()))
                .then(|| from_markup(u, &t.target))
                .flatten();
            match target {
                Some(target) => {
                    t.source = u.source.clone();
                    t.target = target;
                }
                None => {
                    return Err(at(
                        t.line,
                        format!(
                            "unit `{}`: its source text is not that of the current {} (the source changed since the export, the file is for another text, or the source text or a link in it was edited); export it again",
                            u.id, doc.source_rel
                        ),
                    ));
                }
            }
        }
        t.id = u.id.clone();
        out.push(t);
    }
    let exported_state = inc.header("X-Servicekb-Target-State").unwrap_or("none");
    if exported_state != doc.target_state && !force {
        return Err(at(
            1,
            format!(
                "{} changed since this file was exported; importing would overwrite that work (use --force to import anyway)",
                doc.target_rel
            ),
        ));
    }
    Ok(out)
}

/// What importing `inc` into `doc` writes: the target file's new text, or
/// `None` when nothing changed. Errors are `file:line: message`.
pub fn apply(doc: &Doc, inc: &Incoming, force: bool) -> Result<Option<String>, String> {
    let checked = check_units(doc, inc, force)?;
    let inc = Incoming {
        file: inc.file.clone(),
        headers: Vec::new(),
        units: checked,
        last_line: inc.last_line,
    };
    let md = unit_markdown(doc, &inc)?;
    let changed = inc
        .units
        .iter()
        .zip(&doc.units)
        .any(|(t, u)| t.target != u.target || t.fuzzy != u.fuzzy);
    if !changed {
        return Ok(None);
    }
    if inc.units.iter().all(|t| t.target.is_empty()) {
        return Ok(None);
    }
    let any_fuzzy = inc.units.iter().any(|t| t.fuzzy && !t.target.is_empty());
    let hash = if any_fuzzy {
        doc.recorded
            .clone()
            .unwrap_or_else(|| doc.source_hash.clone())
    } else {
        doc.source_hash.clone()
    };
    let (mut fm, body) = match (&doc.target_text, doc.target_fm, doc.aligned) {
        (Some(tt), Some(f), true) => patch_target(doc, &inc, &md, tt, f),
        _ => from_source(doc, &inc, &hash)?,
    };
    for ((t, u), m) in inc.units.iter().zip(&doc.units).zip(&md) {
        if u.kind == "fm" {
            if let Some(m) = m {
                if t.target != u.target || !doc.aligned {
                    fm = set_fm_key(&fm, &u.id, &yaml_scalar(m));
                }
            }
        }
    }
    let fm = set_fm_key(
        &fm,
        "translation",
        &format!("\n  source: {}\n  source_hash: \"{hash}\"", doc.source_lang),
    );
    let fm = fm.replace("translation: \n", "translation:\n");
    let body = body.trim_start_matches('\n');
    Ok(Some(format!("---\n{fm}---\n\n{body}")))
}

/// `file:line: message` for an error in the exchange file.
fn at(inc: &Incoming, line: usize, msg: String) -> String {
    format!("{}:{line}: {msg}", inc.file)
}

/// Each unit's translation as Markdown for its place in the target (`None`
/// where it has none); every placeholder is checked here, before anything
/// is written.
fn unit_markdown(doc: &Doc, inc: &Incoming) -> Result<Vec<Option<String>>, String> {
    let mut md = Vec::new();
    for (t, u) in inc.units.iter().zip(&doc.units) {
        if t.target.is_empty() {
            md.push(None);
            continue;
        }
        let prefix = match (&u.target_span, &doc.target_text, doc.target_fm) {
            (Some(s), Some(tt), Some(f)) => continuation_prefix(&tt[f.2..], s.start),
            _ => String::new(),
        };
        let m = if u.kind == "fm" {
            Ok(t.target.clone())
        } else {
            markdown_of(u, &t.target, &prefix)
        };
        md.push(Some(m.map_err(|e| {
            at(inc, t.line, format!("unit `{}`: {e}", t.id))
        })?));
    }
    Ok(md)
}

/// The translation `tt` (front matter at `f`) patched in place: only the
/// units that changed. Gives its front matter and new body.
fn patch_target(
    doc: &Doc,
    inc: &Incoming,
    md: &[Option<String>],
    tt: &str,
    f: (usize, usize, usize),
) -> (String, String) {
    let mut body = tt[f.2..].to_string();
    let mut edits: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
    for ((t, u), m) in inc.units.iter().zip(&doc.units).zip(md) {
        if let (Some(span), Some(m)) = (&u.target_span, m) {
            if t.target != u.target {
                edits.push((span.clone(), m.as_str()));
            }
        }
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    for (r, m) in edits {
        body.replace_range(r, m);
    }
    (tt[f.0..f.1].to_string(), body)
}

/// A translation built from the source: its front matter (as a stub
/// recording `hash`) and its body with the translated units replaced.
fn from_source(doc: &Doc, inc: &Incoming, hash: &str) -> Result<(String, String), String> {
    let s = &doc.source_text;
    let (a, b, c) = doc.source_fm;
    let fm = stub_front_matter(&s[a..b], &doc.source_lang, hash);
    let body_src = &s[c..];
    let su = units(body_src);
    let mut body = body_src.to_string();
    let body_units = inc
        .units
        .iter()
        .zip(&doc.units)
        .filter(|(_, u)| u.kind != "fm");
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for ((t, u), s_unit) in body_units.zip(&su) {
        if !t.target.is_empty() {
            let prefix = continuation_prefix(body_src, s_unit.span.start);
            let m = markdown_of(u, &t.target, &prefix)
                .map_err(|e| at(inc, t.line, format!("unit `{}`: {e}", t.id)))?;
            edits.push((s_unit.span.clone(), m));
        }
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    for (r, m) in edits {
        body.replace_range(r, &m);
    }
    Ok((fm, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_fm_key_replaces_blocks() {
        assert_eq!(
            set_fm_key(
                "title: A\ndescription: >-\n  x\n  y\nd: 1\n",
                "description",
                "B"
            ),
            "title: A\ndescription: B\nd: 1\n"
        );
    }
}
