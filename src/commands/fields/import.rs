//! Importing skill, checklist and UI translations: each field's new value,
//! written into its YAML file in place.

use super::{Field, FieldDoc, Kind};
use crate::commands::exchange::{check_units, markdown_of, Incoming, Translated, XUnit};
use crate::commands::yaml_edit::{self, Seg};
use crate::units::{continuation_prefix, units};
use std::collections::BTreeMap;
use std::ops::Range;

/// `{name}` placeholders of a UI string.
fn ui_names(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(p) = rest.find('{') {
        let after = &rest[p + 1..];
        match after.find('}') {
            Some(e) if e > 0 && after[..e].chars().all(|c| c.is_alphanumeric() || c == '_') => {
                out.push(&after[..e]);
                rest = &after[e + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

fn check_ui(source: &str, target: &str) -> Result<(), String> {
    let (s, t) = (ui_names(source), ui_names(target));
    if let Some(n) = t.iter().find(|n| !s.contains(n)) {
        return Err(format!("`{{{n}}}` is not a placeholder of this text"));
    }
    if let Some(n) = s.iter().find(|n| !t.contains(n)) {
        return Err(format!(
            "placeholder `{{{n}}}` is missing (the program fills it in)"
        ));
    }
    Ok(())
}

/// A Markdown value from its translated units: the aligned translation
/// patched unit by unit, else the source with its units replaced.
fn compose(
    field: &Field,
    doc_units: &[XUnit],
    inc: &[Translated],
    at: &dyn Fn(usize, String) -> String,
) -> Result<Option<String>, String> {
    let us = &doc_units[field.units.clone()];
    let ts = &inc[field.units.clone()];
    if us.iter().zip(ts).all(|(u, t)| u.target == t.target) {
        return Ok(None);
    }
    let aligned = us.iter().all(|u| u.target_span.is_some());
    let (base, spans): (&str, Vec<Option<Range<usize>>>) = match (&field.target, aligned) {
        (Some(t), true) => (
            t.as_str(),
            us.iter().map(|u| u.target_span.clone()).collect(),
        ),
        _ => {
            if ts.iter().all(|t| t.target.is_empty()) {
                return Ok(None);
            }
            (
                field.source.as_str(),
                units(&field.source)
                    .into_iter()
                    .map(|u| Some(u.span))
                    .collect(),
            )
        }
    };
    let mut edits = Vec::new();
    for ((u, t), span) in us.iter().zip(ts).zip(spans) {
        let Some(span) = span else { continue };
        if t.target.is_empty() || (aligned && t.target == u.target) {
            continue;
        }
        let prefix = continuation_prefix(base, span.start);
        let md = markdown_of(u, &t.target, &prefix)
            .map_err(|e| at(t.line, format!("unit `{}`: {e}", u.id)))?;
        edits.push((span, md));
    }
    Ok(Some(yaml_edit::apply_edits(base, edits)))
}

/// The files importing `inc` writes: (site-relative path, text, new file).
pub fn apply(
    fd: &FieldDoc,
    inc: &Incoming,
    force: bool,
) -> Result<Vec<(String, String, bool)>, String> {
    let at = |line: usize, msg: String| format!("{}:{line}: {msg}", inc.file);
    let ts = check_units(&fd.doc, inc, force)?;
    let us = &fd.doc.units;
    // (file) → [(path to the key, new value)]
    let mut sets: BTreeMap<&str, Vec<(&Field, serde_yaml::Value)>> = BTreeMap::new();
    for f in &fd.fields {
        if let Some(new) = new_value(f, us, &ts, &at)? {
            sets.entry(f.file.as_str()).or_default().push((f, new));
        }
    }
    let mut out = Vec::new();
    for (file, fs) in sets {
        out.push(edit_file(fd, file, &fs)?);
    }
    Ok(out)
}

/// The field's new value from the translated units, or `None` when it
/// stays as it is.
fn new_value(
    f: &Field,
    us: &[XUnit],
    ts: &[Translated],
    at: &dyn Fn(usize, String) -> String,
) -> Result<Option<serde_yaml::Value>, String> {
    Ok(Some(match f.kind {
        Kind::Plain => {
            let (u, t) = (&us[f.units.start], &ts[f.units.start]);
            if t.target.is_empty() || t.target == u.target {
                return Ok(None);
            }
            if f.ui {
                check_ui(&f.source, &t.target)
                    .map_err(|e| at(t.line, format!("unit `{}`: {e}", u.id)))?;
            }
            serde_yaml::Value::String(t.target.clone())
        }
        Kind::Markdown => match compose(f, us, ts, at)? {
            Some(v) => serde_yaml::Value::String(v),
            None => return Ok(None),
        },
        Kind::Labels => return labels_value(f, us, ts, at),
    }))
}

/// A scale's labels: all translated, or (when the translation had them)
/// the untranslated ones kept.
fn labels_value(
    f: &Field,
    us: &[XUnit],
    ts: &[Translated],
    at: &dyn Fn(usize, String) -> String,
) -> Result<Option<serde_yaml::Value>, String> {
    let r = f.units.clone();
    if us[r.clone()]
        .iter()
        .zip(&ts[r.clone()])
        .all(|(u, t)| u.target == t.target)
    {
        return Ok(None);
    }
    let mut labels = Vec::new();
    for (i, t) in ts[r.clone()].iter().enumerate() {
        match (t.target.is_empty(), &f.target_labels) {
            (false, _) => labels.push(t.target.clone()),
            (true, Some(old)) => labels.push(old[i].clone()),
            (true, None) => {
                return Err(at(
                    t.line,
                    format!(
                        "unit `{}`: translate every label of the scale, or none",
                        us[r.start + i].id
                    ),
                ))
            }
        }
    }
    Ok(Some(serde_yaml::Value::Sequence(
        labels.into_iter().map(serde_yaml::Value::String).collect(),
    )))
}

/// One YAML file with the new values set: (site-relative path, text, new
/// file). Refuses when the edit would change anything else.
fn edit_file(
    fd: &FieldDoc,
    file: &str,
    fs: &[(&Field, serde_yaml::Value)],
) -> Result<(String, String, bool), String> {
    let old = fd.texts.get(file).cloned().flatten();
    let is_new = old.is_none();
    let old = old.unwrap_or_else(|| {
        format!(
            "# UI strings in `{}` (servicekb i18n import).\n",
            fd.doc.lang
        )
    });
    let mut edits = Vec::new();
    let mut checks = Vec::new();
    for (n, (f, v)) in fs.iter().enumerate() {
        let mut path = f.path.clone();
        path.push(Seg::Key(f.key.clone()));
        let (r, w) = field_edit(&old, file, f, &path, v)?;
        edits.push((r, w, n));
        checks.push((path, v.clone()));
    }
    // Inserts at one place keep their order.
    edits.sort_by_key(|(r, _, n)| (std::cmp::Reverse(r.start), std::cmp::Reverse(*n)));
    let mut new = old.clone();
    for (r, w, _) in edits {
        new.replace_range(r, &w);
    }
    yaml_edit::verify(&old, &new, &checks).map_err(|e| {
        format!("{file}: the translation cannot be written into this file safely ({e})")
    })?;
    Ok((file.to_string(), new, is_new))
}

/// The edit that sets field `f` (at `path`) to `v` in `old`: its value
/// replaced in the same style, added to a flow mapping, or added as a line.
fn field_edit(
    old: &str,
    file: &str,
    f: &Field,
    path: &[Seg],
    v: &serde_yaml::Value,
) -> Result<(Range<usize>, String), String> {
    let written = match v {
        serde_yaml::Value::Sequence(items) => yaml_edit::flow_list(
            &items
                .iter()
                .map(|i| i.as_str().unwrap_or_default().to_string())
                .collect::<Vec<_>>(),
        ),
        _ => String::new(),
    };
    let text = v.as_str().unwrap_or_default();
    if let Some(found) = yaml_edit::find(old, path) {
        let style = &old[found.value.clone()];
        let w = if f.kind == Kind::Labels {
            written
        } else {
            yaml_edit::scalar(text, found.col, style)
        };
        return Ok((found.value.clone(), w));
    }
    let later: Vec<&str> = f.later.iter().map(String::as_str).collect();
    let flow = yaml_edit::find(old, &f.path)
        .filter(|p| !f.path.is_empty() && yaml_edit::inline_value(old, p))
        .and_then(|p| {
            let w = yaml_edit::flow_map_set(&old[p.value.clone()], &f.key, text, &later)?;
            Some((p.value, w))
        });
    if let Some((r, w)) = flow {
        return Ok((r, w));
    }
    let (pos, col) = yaml_edit::insert_point(old, &f.path, &later).ok_or_else(|| {
        format!(
            "{file}: cannot add `{}` under `{}`: write it as a block of `key: text` lines, one per line",
            f.key,
            yaml_edit::path_name(&f.path)
        )
    })?;
    let w = if f.kind == Kind::Labels {
        written
    } else {
        yaml_edit::scalar(text, col, "")
    };
    let nl = if pos == old.len() && !old.is_empty() && !old.ends_with('\n') {
        "\n"
    } else {
        ""
    };
    Ok((pos..pos, format!("{nl}{}{}:{w}\n", " ".repeat(col), f.key)))
}
