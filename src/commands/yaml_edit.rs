//! Setting one value in a YAML file written by hand, keeping every other
//! byte (comments, styles, key order). Only block mappings and lists are
//! walked; the caller re-parses the result to prove the edit did what it
//! meant (see [`verify`]).

use std::ops::Range;

/// One step of a path: a mapping key, the list item whose `key` is
/// `value`, or the n-th list item (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Item(String, String),
    Index(usize),
}

impl Seg {
    pub fn key(k: &str) -> Seg {
        Seg::Key(k.to_string())
    }
}

/// `indicators[id=x].text`, for messages.
pub fn path_name(path: &[Seg]) -> String {
    let mut out = String::new();
    for s in path {
        match s {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Item(k, v) => out.push_str(&format!("[{k}={v}]")),
            Seg::Index(n) => out.push_str(&format!("[{n}]")),
        }
    }
    out
}

struct Line {
    start: usize,
    text: String,
}

fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    for l in text.split_inclusive('\n') {
        out.push(Line {
            start,
            text: l.trim_end_matches('\n').trim_end_matches('\r').to_string(),
        });
        start += l.len();
    }
    out
}

fn indent(l: &str) -> usize {
    l.len() - l.trim_start_matches(' ').len()
}

fn blank(l: &str) -> bool {
    l.trim().is_empty()
}

fn comment(l: &str) -> bool {
    l.trim_start().starts_with('#')
}

/// Where a key is written: its line, column, and the bytes of its value
/// (after `key:`, through its last non-blank line).
#[derive(Debug, Clone)]
pub struct Found {
    /// Line of the key, from 1.
    pub line: usize,
    pub col: usize,
    pub value: Range<usize>,
    /// Line index of the key and one past the value's last line.
    lines: Range<usize>,
}

/// The key on line `i` at column `col` (`key: …`, or `- key: …` with the
/// dash two columns before): the text after the colon.
fn key_at<'a>(l: &'a str, col: usize, key: &str) -> Option<&'a str> {
    let i = indent(l);
    // At `col` itself, or after a list dash with only spaces up to `col`.
    let dash_item = i < col
        && l[i..].starts_with('-')
        && l.get(i + 1..col)
            .is_some_and(|gap| !gap.is_empty() && gap.trim().is_empty());
    if i != col && !dash_item {
        return None;
    }
    let rest = l.get(col..)?;
    let after = rest.strip_prefix(key)?.strip_prefix(':')?;
    (after.is_empty() || after.starts_with([' ', '\t'])).then_some(after)
}

/// Lines after `i` that belong to a node at column `col`: up to the first
/// non-blank line indented `col` or less. Trailing blank lines excluded.
fn extent(ls: &[Line], i: usize, col: usize, end: usize) -> usize {
    let mut last = i + 1;
    for (j, l) in ls.iter().enumerate().take(end).skip(i + 1) {
        if blank(&l.text) {
            continue;
        }
        if indent(&l.text) <= col {
            break;
        }
        last = j + 1;
    }
    last
}

/// The column of the first non-blank, non-comment line in `r`.
fn child_col(ls: &[Line], r: Range<usize>) -> Option<(usize, usize)> {
    ls[r.clone()]
        .iter()
        .enumerate()
        .find(|(_, l)| !blank(&l.text) && !comment(&l.text))
        .map(|(k, l)| (r.start + k, indent(&l.text)))
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    let v = v.split(" #").next().unwrap_or(v).trim();
    v.trim_matches(|c| c == '"' || c == '\'').to_string()
}

/// Finds the key at `path`. `None` when it is not there or is written in
/// a form this walker does not follow (flow mappings, anchors).
pub fn find(text: &str, path: &[Seg]) -> Option<Found> {
    let ls = lines(text);
    let (_, col) = child_col(&ls, 0..ls.len())?;
    walk(text, &ls, 0..ls.len(), col, path)
}

/// The value starts on the key's line (it is not a block below it).
pub fn inline_value(text: &str, f: &Found) -> bool {
    let v = &text[f.value.clone()];
    let first = v.split('\n').next().unwrap_or("").trim();
    !first.is_empty() && !first.starts_with('#')
}

fn walk(text: &str, ls: &[Line], region: Range<usize>, col: usize, path: &[Seg]) -> Option<Found> {
    let (seg, rest) = path.split_first()?;
    match seg {
        Seg::Key(k) => {
            let i = region
                .clone()
                .find(|&i| key_at(&ls[i].text, col, k).is_some())?;
            let f = value_of(text, ls, i, col, k, region.end);
            if rest.is_empty() {
                return Some(f);
            }
            if inline_value(text, &f) {
                // Nothing below an inline value to walk into.
                return None;
            }
            let sub = f.lines.start + 1..f.lines.end;
            let (_, c) = child_col(ls, sub.clone())?;
            walk(text, ls, sub, c, rest)
        }
        Seg::Item(..) | Seg::Index(_) => {
            // List items: dashes at `col`, their keys two columns further.
            let dashes: Vec<usize> = region
                .clone()
                .filter(|&i| indent(&ls[i].text) == col && ls[i].text[col..].starts_with("- "))
                .collect();
            let pick = match seg {
                Seg::Index(n) => *dashes.get(n.checked_sub(1)?)?,
                Seg::Item(k, v) => *dashes.iter().find(|&&d| {
                    let end = extent(ls, d, col, region.end);
                    (d..end)
                        .any(|i| key_at(&ls[i].text, col + 2, k).is_some_and(|a| unquote(a) == *v))
                })?,
                Seg::Key(_) => return None,
            };
            let end = extent(ls, pick, col, region.end);
            walk(text, ls, pick..end, col + 2, rest)
        }
    }
}

fn value_of(text: &str, ls: &[Line], i: usize, col: usize, k: &str, end: usize) -> Found {
    let last = extent(ls, i, col, end);
    let l = &ls[i];
    let after_colon = l.start + col + k.len() + 1;
    let value_end = ls[last - 1].start + ls[last - 1].text.len();
    Found {
        line: i + 1,
        col,
        value: after_colon.min(value_end)..value_end.min(text.len()),
        lines: i..last,
    }
}

/// The line to insert a new key before, among the keys of the mapping at
/// `path` (which must exist): before the first of `after_keys` present,
/// else after the mapping's last line. Gives (byte offset, column).
pub fn insert_point(text: &str, path: &[Seg], later_keys: &[&str]) -> Option<(usize, usize)> {
    let (region_start, region_end, col) = if path.is_empty() {
        let ls = lines(text);
        let c = child_col(&ls, 0..ls.len()).map_or(0, |x| x.1);
        (0, ls.len(), c)
    } else {
        let f = find(text, path)?;
        if inline_value(text, &f) {
            return None;
        }
        let ls = lines(text);
        let r = f.lines.start + 1..f.lines.end;
        let (_, c) = child_col(&ls, r.clone())?;
        (r.start, r.end, c)
    };
    let ls = lines(text);
    for k in later_keys {
        if let Some(i) = (region_start..region_end).find(|&i| key_at(&ls[i].text, col, k).is_some())
        {
            if indent(&ls[i].text) == col {
                return Some((ls[i].start, col));
            }
        }
    }
    let at = ls.get(region_end).map_or(text.len(), |l| l.start);
    Some((at, col))
}

/// Plain-scalar safe: starts with a letter, has nothing YAML would read
/// as syntax or as another type.
fn plain_ok(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !first.is_alphabetic() || s.ends_with([' ', ':']) {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
    ) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.chars().any(|c| c.is_control()) {
        return false;
    }
    !(in_flow && s.contains([',', '[', ']', '{', '}']))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `value` written after `key:` for a key at column `col`: a literal block
/// for text with line breaks, folded when the old value was, else plain
/// or double-quoted on one line. Starts with a space.
pub fn scalar(value: &str, col: usize, old_style: &str) -> String {
    let pad = " ".repeat(col + 2);
    let blockable = !value.starts_with([' ', '\t', '\n'])
        && !value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        && !value.trim_end_matches('\n').ends_with([' ', '\t']);
    if value.contains('\n') && blockable {
        let body = value.trim_end_matches('\n');
        let trailing = value.len() - body.len();
        let chomp = match trailing {
            0 => "|-",
            1 => "|",
            _ => "|+",
        };
        let mut out = format!(" {chomp}\n");
        for l in body.split('\n') {
            if !l.is_empty() {
                out.push_str(&pad);
                out.push_str(l);
            }
            out.push('\n');
        }
        for _ in 1..trailing {
            out.push('\n');
        }
        return out.trim_end_matches('\n').to_string();
    }
    let folded = old_style.trim_start().starts_with('>');
    if folded && blockable && !value.contains("  ") && value.len() > 72 {
        let mut out = String::from(" >-");
        let mut line = String::new();
        for w in value.split(' ') {
            if !line.is_empty() && pad.len() + line.len() + 1 + w.len() > 78 {
                out.push('\n');
                out.push_str(&pad);
                out.push_str(&line);
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(w);
        }
        out.push('\n');
        out.push_str(&pad);
        out.push_str(&line);
        return out;
    }
    if plain_ok(value, false) {
        format!(" {value}")
    } else {
        format!(" {}", double_quoted(value))
    }
}

/// A one-line flow mapping of texts (`{ en: A, he: B }`) with `key` set to
/// `value` (added before the first of `later` when new), or `None` when
/// `old` is not such a mapping.
pub fn flow_map_set(old: &str, key: &str, value: &str, later: &[&str]) -> Option<String> {
    let v = old.trim();
    if !v.starts_with('{') || v.contains('\n') {
        return None;
    }
    let m: serde_yaml::Mapping = serde_yaml::from_str(v).ok()?;
    let mut entries: Vec<(String, String)> = m
        .iter()
        .map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
        .collect::<Option<_>>()?;
    match entries.iter_mut().find(|(k, _)| k == key) {
        Some(e) => e.1 = value.to_string(),
        None => {
            let at = entries
                .iter()
                .position(|(k, _)| later.contains(&k.as_str()))
                .unwrap_or(entries.len());
            entries.insert(at, (key.to_string(), value.to_string()));
        }
    }
    let parts: Vec<String> = entries
        .iter()
        .map(|(k, v)| {
            if plain_ok(v, true) {
                format!("{k}: {v}")
            } else {
                format!("{k}: {}", double_quoted(v))
            }
        })
        .collect();
    Some(format!(" {{ {} }}", parts.join(", ")))
}

/// A flow list of texts, `[a, "b, c"]`.
pub fn flow_list(items: &[String]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|s| {
            if plain_ok(s, true) {
                s.clone()
            } else {
                double_quoted(s)
            }
        })
        .collect();
    format!(" [{}]", parts.join(", "))
}

/// One edit: replace `range` with `text`.
pub type Edit = (Range<usize>, String);

pub fn apply_edits(text: &str, mut edits: Vec<Edit>) -> String {
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = text.to_string();
    for (r, t) in edits {
        out.replace_range(r, &t);
    }
    out
}

fn get_mut<'a>(v: &'a mut serde_yaml::Value, path: &[Seg]) -> Option<&'a mut serde_yaml::Value> {
    let mut cur = v;
    for s in path {
        cur = match s {
            Seg::Key(k) => {
                let m = cur.as_mapping_mut()?;
                let key = serde_yaml::Value::String(k.clone());
                if !m.contains_key(&key) {
                    m.insert(key.clone(), serde_yaml::Value::Null);
                }
                m.get_mut(&key)?
            }
            Seg::Index(n) => cur.as_sequence_mut()?.get_mut(n.checked_sub(1)?)?,
            Seg::Item(k, val) => cur
                .as_sequence_mut()?
                .iter_mut()
                .find(|i| i.get(k.as_str()).and_then(|x| x.as_str()) == Some(val.as_str()))?,
        };
    }
    Some(cur)
}

/// Checks that `new` parses to `old` with exactly `sets` changed.
pub fn verify(old: &str, new: &str, sets: &[(Vec<Seg>, serde_yaml::Value)]) -> Result<(), String> {
    let mut want: serde_yaml::Value =
        serde_yaml::from_str(old).map_err(|e| format!("cannot be read: {e}"))?;
    if want.is_null() {
        // A file with only comments: an empty mapping.
        want = serde_yaml::Value::Mapping(Default::default());
    }
    for (path, v) in sets {
        *get_mut(&mut want, path).ok_or("a value to set has no place")? = v.clone();
    }
    let got: serde_yaml::Value =
        serde_yaml::from_str(new).map_err(|e| format!("the edited text is not valid YAML: {e}"))?;
    if got != want {
        return Err("the edited text does not read back as the translation".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const Y: &str = "name:\n  en: Empathy\n  he: אמפתיה\nwhy:\n  en: >-\n    a b\n    c\n\n  pl: x\nindicators:\n  - id: one\n    text:\n      en: One\n  - id: two\n    text:\n      en: Two\n      lt: Du\nlist:\n  - text:\n      en: Q1\n  - text:\n      en: Q2\n";

    fn set(path: &[Seg], v: &str) -> String {
        let f = find(Y, path).unwrap();
        let style = &Y[f.value.clone()];
        apply_edits(Y, vec![(f.value.clone(), scalar(v, f.col, style))])
    }

    #[test]
    fn finds_and_sets_nested_values() {
        let p = [Seg::key("why"), Seg::key("en")];
        assert_eq!(find(Y, &p).unwrap().line, 5);
        let out = set(&p, "new words");
        assert!(out.contains("why:\n  en: new words\n\n  pl: x\n"), "{out}");
        let p = vec![
            Seg::key("indicators"),
            Seg::Item("id".into(), "two".into()),
            Seg::key("text"),
            Seg::key("lt"),
        ];
        let out = set(&p, "Dvi: trys");
        assert!(out.contains("      lt: \"Dvi: trys\"\n"), "{out}");
        verify(
            Y,
            &out,
            &[(p.clone(), serde_yaml::Value::String("Dvi: trys".into()))],
        )
        .unwrap();
        let p = vec![
            Seg::key("list"),
            Seg::Index(2),
            Seg::key("text"),
            Seg::key("en"),
        ];
        assert_eq!(find(Y, &p).unwrap().line, 22);
        let out = set(&p, "- a\n- b\n");
        assert!(
            out.ends_with("      en: |\n        - a\n        - b\n"),
            "{out}"
        );
        verify(
            Y,
            &out,
            &[(p, serde_yaml::Value::String("- a\n- b\n".into()))],
        )
        .unwrap();
    }

    #[test]
    fn sets_a_value_in_a_flow_mapping() {
        let old = " { en: Adaptability, pl: Zdolność }";
        assert_eq!(
            flow_map_set(old, "he", "יכולת: הסתגלות", &["lt", "pl"]).unwrap(),
            " { en: Adaptability, he: \"יכולת: הסתגלות\", pl: Zdolność }"
        );
        assert!(flow_map_set(" x", "he", "y", &[]).is_none());
    }

    #[test]
    fn inserts_in_language_order() {
        let p = [Seg::key("name")];
        let (at, col) = insert_point(Y, &p, &["he"]).unwrap();
        assert_eq!((&Y[at..at + 6], col), ("  he: ", 2));
        let (at, _) = insert_point(Y, &p, &[]).unwrap();
        assert!(Y[at..].starts_with("why:"));
    }
}
