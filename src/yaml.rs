//! YAML parsing with positions: serde errors become diagnostics at the right
//! line, and values that are valid YAML but wrong (an unknown id, say) are
//! found in the text so the error can point at them.

use crate::diagnostics::{suggest, Diagnostic};
use crate::source::SourceFile;
use serde::de::DeserializeOwned;

/// A YAML document inside a source file: the whole file, or its front matter.
#[derive(Clone, Copy)]
pub struct YamlDoc<'a> {
    pub file: &'a SourceFile,
    /// Byte offset of the document in the file (always at a line start).
    pub base: usize,
    pub text: &'a str,
}

impl<'a> YamlDoc<'a> {
    pub fn whole(file: &'a SourceFile) -> Self {
        YamlDoc {
            file,
            base: 0,
            text: &file.text,
        }
    }

    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        if let Some(off) = too_deep(self.text) {
            return Err(Diagnostic::error(
                &self.file.rel,
                format!("the YAML nests more than {MAX_DEPTH} `[` or `{{` deep here"),
            )
            .at(Some(self.pos(off))));
        }
        serde_yaml::from_str(self.text).map_err(|e| self.error_from(&e))
    }

    /// File position of a byte offset inside this document.
    pub fn pos(&self, offset: usize) -> (usize, usize) {
        self.file.pos(self.base + offset)
    }

    /// An error at the place `keys` (and `value` under them) is written, or at
    /// the start of the document when it cannot be found.
    pub fn error_at(
        &self,
        keys: &[&str],
        value: Option<&str>,
        msg: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(&self.file.rel, msg).at(Some(self.locate_or_start(keys, value)))
    }

    pub fn warning_at(
        &self,
        keys: &[&str],
        value: Option<&str>,
        msg: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::warning(&self.file.rel, msg).at(Some(self.locate_or_start(keys, value)))
    }

    pub fn locate_or_start(&self, keys: &[&str], value: Option<&str>) -> (usize, usize) {
        let off = locate(self.text, keys, value)
            .or_else(|| locate(self.text, keys, None))
            .unwrap_or(0);
        self.pos(off)
    }

    fn error_from(&self, e: &serde_yaml::Error) -> Diagnostic {
        let raw = e.to_string();
        let msg = strip_location(&raw);
        if self.text.trim().is_empty() {
            return Diagnostic::error(&self.file.rel, "the file is empty").at(Some(self.pos(0)));
        }
        // Unknown keys: point at the key itself and suggest the right one.
        if let Some(name) = between(msg, "unknown field `", "`") {
            let expected: Vec<&str> = msg
                .split("expected one of ")
                .nth(1)
                .or_else(|| msg.split("expected ").nth(1))
                .map(|s| {
                    s.split(", ")
                        .flat_map(|k| k.split(" or "))
                        .map(|k| k.trim_matches('`'))
                        .filter(|k| !k.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            let hint = suggest(name, expected.iter().copied());
            let list = if expected.is_empty() {
                String::new()
            } else {
                format!("; allowed keys: {}", expected.join(", "))
            };
            let pos = match locate_key_anywhere(self.text, name) {
                Some(off) => self.pos(off),
                None => self.serde_pos(e),
            };
            return Diagnostic::error(&self.file.rel, format!("unknown key `{name}`{hint}{list}"))
                .at(Some(pos));
        }
        if let Some(name) = between(msg, "missing field `", "`") {
            return Diagnostic::error(
                &self.file.rel,
                format!("the required key `{name}` is missing"),
            )
            .at(Some(self.serde_pos(e)));
        }
        // An alias bomb has no location of its own: point at the first alias.
        let pos = match e.location() {
            None if msg.contains("repetition limit") => {
                first_alias(self.text).map_or_else(|| self.pos(0), |o| self.pos(o))
            }
            _ => self.serde_pos(e),
        };
        // A value of the wrong kind is valid YAML: say what is wrong with it.
        let text = if msg.contains("invalid type: ") || msg.contains("untagged enum") {
            plain_yaml(msg)
        } else {
            format!("invalid YAML: {}", plain_yaml(msg))
        };
        Diagnostic::error(&self.file.rel, text).at(Some(pos))
    }

    fn serde_pos(&self, e: &serde_yaml::Error) -> (usize, usize) {
        let Some(loc) = e.location() else {
            return self.pos(0);
        };
        // The parser reports errors at the end of input one line past it.
        let (line0, _) = self.pos(0);
        let (last_line, last_col) = self.pos(self.text.len());
        let line = (line0 + loc.line().max(1) - 1).min(last_line);
        if line == last_line {
            return (line, loc.column().clamp(1, last_col));
        }
        let len = self
            .text
            .split('\n')
            .nth(line - line0)
            .map_or(0, |l| l.chars().count());
        (line, loc.column().clamp(1, len + 1))
    }
}

fn strip_location(msg: &str) -> &str {
    match msg.find(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    }
}

/// Flow collections nested deeper than this are refused before parsing:
/// the YAML parser slows down quadratically with their depth.
const MAX_DEPTH: usize = 100;

/// Where `[` and `{` first nest deeper than [`MAX_DEPTH`], counting roughly
/// (quotes are not followed; no real file comes near the limit).
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Offset of the first `*alias` written as a value.
fn first_alias(text: &str) -> Option<usize> {
    text.match_indices('*').map(|(i, _)| i).find(|&i| {
        let before = text[..i].chars().next_back();
        let after = text[i + 1..].chars().next();
        matches!(before, Some(' ' | '[' | ',' | '{' | '\n' | '\t') | None)
            && after.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

fn plain_yaml(msg: &str) -> String {
    let m = msg.trim();
    if m.contains("repetition limit exceeded") {
        return "aliases (`*name`) expand to too much text here; write the values out instead"
            .into();
    }
    if m.contains("recursion limit exceeded") {
        return "the YAML nests too deeply here".into();
    }
    if m.contains("mapping values are not allowed") {
        return "a `:` followed by a space is not allowed here; put the value in quotes".into();
    }
    // serde's words: `title: invalid type: sequence, expected a string`.
    let (field, rest) = match m.split_once(": ") {
        Some((f, r)) if !f.contains(' ') => (Some(f), r),
        _ => (None, m),
    };
    let at = field.map_or(String::new(), |f| format!("`{f}` "));
    if rest.starts_with("data did not match any variant of untagged enum Localized") {
        return format!(
            "{at}must be a text, or one text per language such as {{ en: ..., he: ... }}"
        );
    }
    if let Some(kinds) = rest.strip_prefix("invalid type: ") {
        let (found, expected) = kinds.split_once(", expected ").unwrap_or((kinds, ""));
        return format!(
            "{at}should be {}, but it is {}",
            plain_expected(expected),
            plain_found(found)
        );
    }
    m.to_string()
}

/// What serde expected, in a consultant's words.
fn plain_expected(e: &str) -> String {
    match e {
        "a map" => "one text per language, such as { en: ..., he: ... }".into(),
        "a string" => "a text".into(),
        "a sequence" => "a list, such as [a, b]".into(),
        "a boolean" => "true or false".into(),
        "a borrowed string" => "a text".into(),
        e if e.starts_with('u') || e.starts_with('i') && e.len() <= 5 => "a whole number".into(),
        e if e.starts_with("struct ") || e.starts_with("a struct") => {
            "a group of keys (key: value lines)".into()
        }
        e => e.trim_start_matches("a ").to_string(),
    }
}

fn plain_found(f: &str) -> String {
    if f == "unit value" {
        return "empty".into();
    }
    if f == "sequence" {
        return "a list".into();
    }
    if f == "map" {
        return "a group of keys".into();
    }
    for (prefix, name) in [
        ("string ", "the text "),
        ("integer ", "the number "),
        ("floating point ", "the number "),
        ("boolean ", ""),
    ] {
        if let Some(v) = f.strip_prefix(prefix) {
            return format!("{name}{}", v.trim_matches('`'));
        }
    }
    f.to_string()
}

fn between<'s>(s: &'s str, start: &str, end: &str) -> Option<&'s str> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(&s[i..j])
}

fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// Offset of `key:` written as a mapping key anywhere in the text.
pub fn locate_key_anywhere(text: &str, key: &str) -> Option<usize> {
    find_key(text, 0, text.len(), key, None)
}

/// Find `key:` between `from` and `to`, as a mapping key: at a line start
/// (after indentation or `- `), or after `{` or `,` in a flow mapping. When
/// `min_indent` is given, block keys must be indented more than it.
fn find_key(
    text: &str,
    from: usize,
    to: usize,
    key: &str,
    min_indent: Option<usize>,
) -> Option<usize> {
    // An empty key (`"": x`) is found everywhere and nowhere.
    if key.is_empty() {
        return None;
    }
    let hay = &text[from..to];
    let mut start = 0;
    while let Some(i) = hay[start..].find(key) {
        let at = start + i;
        start = at + key.len();
        let after = hay[at + key.len()..].trim_start_matches([' ', '\t']);
        let quoted_before = hay[..at].ends_with(['"', '\'']);
        let after = if quoted_before {
            after.trim_start_matches(['"', '\''])
        } else {
            after
        };
        if !after.starts_with(':') {
            continue;
        }
        let mut k = at;
        if quoted_before {
            k -= 1;
        }
        let line_start = hay[..k].rfind('\n').map_or(0, |n| n + 1);
        let lead = &hay[line_start..k];
        let lead_trim = lead.trim_end_matches([' ', '\t']);
        let ok = if lead_trim.trim_start_matches([' ', '\t', '-']).is_empty() {
            // block key; its indentation counts `- ` as indentation
            match min_indent {
                Some(min) => lead.len() > min,
                None => true,
            }
        } else {
            lead_trim.ends_with(['{', ','])
        };
        if ok {
            return Some(from + at);
        }
    }
    None
}

/// End (exclusive) of the block that starts on the line holding `pos`: the
/// next non-blank line indented no more than that line.
fn block_end(text: &str, pos: usize) -> usize {
    let line_start = text[..pos].rfind('\n').map_or(0, |n| n + 1);
    let first_line_end = text[pos..].find('\n').map_or(text.len(), |n| pos + n);
    let indent = indent_of(&text[line_start..first_line_end]);
    let mut off = first_line_end;
    while off < text.len() {
        let ls = off + 1;
        if ls >= text.len() {
            return text.len();
        }
        let le = text[ls..].find('\n').map_or(text.len(), |n| ls + n);
        let line = &text[ls..le];
        let t = line.trim();
        if !t.is_empty() && !t.starts_with('#') && indent_of(line) <= indent && !t.starts_with("- ")
        {
            return ls;
        }
        if !t.is_empty() && !t.starts_with('#') && indent_of(line) < indent {
            return ls;
        }
        off = le;
    }
    text.len()
}

/// Byte offset where the key path `keys` is written (nested block or flow
/// mappings), and, with `value`, where that value token stands under it.
pub fn locate(text: &str, keys: &[&str], value: Option<&str>) -> Option<usize> {
    let mut from = 0;
    let mut to = text.len();
    let mut pos = None;
    for (depth, key) in keys.iter().enumerate() {
        let min = if depth == 0 {
            None
        } else {
            Some(indent_before(text, pos?))
        };
        let p = find_key(text, from, to, key, min)?;
        pos = Some(p);
        from = p;
        to = block_end(text, p).max(p + key.len());
    }
    match value {
        None => pos,
        Some(v) => {
            let hay = &text[from..to];
            let mut start = 0;
            while let Some(i) = hay[start..].find(v) {
                let at = start + i;
                start = at + v.len().max(1);
                let before_ok = hay[..at].chars().next_back().is_none_or(|c| !is_id_char(c));
                let after_ok = hay[at + v.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !is_id_char(c));
                if before_ok && after_ok && at > 0 {
                    return Some(from + at);
                }
            }
            None
        }
    }
}

fn indent_before(text: &str, pos: usize) -> usize {
    let line_start = text[..pos].rfind('\n').map_or(0, |n| n + 1);
    pos - line_start
}

/// Offsets of the lines holding `needle`, in order.
pub fn lines_with(text: &str, needle: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        if let Some(i) = line.find(needle) {
            out.push(off + i);
        }
        off += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SKILL: &str = "category: x\nname:\n  en: Empathy\nrelated: [listening, empaty]\nscale:\n  min: 1\n  labels:\n    en: [a, b]\n    pl: [c]\nextra:\n  - id: one\n    skill: lis\n";

    #[test]
    fn finds_values_under_keys() {
        let off = locate(SKILL, &["related"], Some("empaty")).unwrap();
        assert_eq!(&SKILL[off..off + 6], "empaty");
        let off = locate(SKILL, &["scale", "labels", "pl"], None).unwrap();
        assert!(SKILL[off..].starts_with("pl: [c]"));
        let off = locate(SKILL, &["skill"], Some("lis")).unwrap();
        assert!(SKILL[off..].starts_with("lis\n"));
    }

    #[test]
    fn finds_flow_mapping_keys() {
        let t = "labels: { en: [a], pl: [b] }\n";
        let off = locate(t, &["labels", "pl"], None).unwrap();
        assert!(t[off..].starts_with("pl:"));
    }

    #[test]
    fn unknown_keys_point_at_the_key() {
        let f = SourceFile::from_bytes("x.yaml", b"a: 1\nbb: 2\n".to_vec()).unwrap();
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct S {
            a: u32,
            b: Option<u32>,
        }
        let e = YamlDoc::whole(&f).parse::<S>().unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("unknown key `bb`"), "{}", e.message);
        assert!(e.message.contains("did you mean `b`"), "{}", e.message);
    }
}
