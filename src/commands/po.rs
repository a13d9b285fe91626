//! GNU gettext PO files, written and read by hand: servicekb needs only
//! msgctxt, msgid, msgstr, `#,` flags and `#:`/`#.` comments (no plurals,
//! no obsolete entries), which is smaller than any PO crate's model.

use super::exchange::{Doc, Incoming, Translated};

pub const PLACEHOLDER_NOTE: &str =
    "Placeholders: {1}…{/1} stand for the markup around a link's text\n\
(`[` and `](target)`), a lone {2} for inline code, an image, HTML or a\n\
link without text. Keep every placeholder exactly once and do not change\n\
its number; you may move it, and put your words between {1} and {/1}.\n\
Keep **bold** and *italic* marks. An entry marked fuzzy is an old\n\
translation of a changed text: update it, then clear the fuzzy mark.";

fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

fn field(out: &mut String, key: &str, s: &str) {
    if s.contains('\n') {
        out.push_str(&format!("{key} \"\"\n"));
        for piece in s.split_inclusive('\n') {
            out.push_str(&format!("\"{}\"\n", quote(piece)));
        }
    } else {
        out.push_str(&format!("{key} \"{}\"\n", quote(s)));
    }
}

/// The PO header's `Key: value` lines.
pub fn header_lines(doc: &Doc) -> Vec<String> {
    let headers = [
        ("Project-Id-Version", "servicekb".to_string()),
        (
            "PO-Revision-Date",
            chrono::Utc::now().format("%Y-%m-%d %H:%M+0000").to_string(),
        ),
        ("Last-Translator", "-".to_string()),
        ("Language-Team", doc.lang.clone()),
        ("Language", doc.lang.clone()),
        ("MIME-Version", "1.0".to_string()),
        ("Content-Type", "text/plain; charset=UTF-8".to_string()),
        ("Content-Transfer-Encoding", "8bit".to_string()),
        ("X-Servicekb-Source", doc.source_rel.clone()),
        ("X-Servicekb-Target", doc.target_rel.clone()),
        ("X-Servicekb-Source-Hash", doc.source_hash.clone()),
        ("X-Servicekb-Target-State", doc.target_state.clone()),
        ("X-Servicekb-Units", doc.units.len().to_string()),
    ];
    headers.iter().map(|(k, v)| format!("{k}: {v}")).collect()
}

pub fn write(doc: &Doc) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "# Translation of {} into `{}`, from servicekb.\n",
        doc.source_rel, doc.lang
    ));
    for l in PLACEHOLDER_NOTE.lines() {
        out.push_str(&format!("# {l}\n"));
    }
    out.push_str("#\nmsgid \"\"\nmsgstr \"\"\n");
    for l in header_lines(doc) {
        out.push_str(&format!("\"{}\\n\"\n", quote(&l)));
    }
    for (u, repeated) in doc.units.iter().zip(doc.repeated()) {
        out.push('\n');
        for c in &u.codes {
            match &c.close {
                Some(close) => out.push_str(&format!(
                    "#. {{{n}}}…{{/{n}}} = {}…{}\n",
                    c.open.replace('\n', " "),
                    close.replace('\n', " "),
                    n = c.n
                )),
                None => out.push_str(&format!("#. {{{}}} = {}\n", c.n, c.open.replace('\n', " "))),
            }
        }
        let file = u.file.as_deref().unwrap_or(&doc.source_rel);
        if repeated {
            out.push_str(&format!("#: {file}:{} {}\n", u.line, u.id));
        } else {
            out.push_str(&format!("#: {file}:{}\n", u.line));
        }
        if u.fuzzy {
            out.push_str("#, fuzzy\n");
        }
        field(&mut out, "msgctxt", &u.id);
        field(&mut out, "msgid", &u.source);
        field(&mut out, "msgstr", &u.target);
    }
    out
}

fn unquote(s: &str, name: &str, line: usize) -> Result<String, String> {
    let s = s.trim();
    let inner = s
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .filter(|_| s.len() >= 2)
        .ok_or_else(|| {
            format!("{name}:{line}: expected a quoted string (is the file truncated?)")
        })?;
    let mut out = String::with_capacity(inner.len());
    let mut it = inner.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                other => {
                    return Err(format!(
                        "{name}:{line}: unknown escape `\\{}`",
                        other.map(String::from).unwrap_or_default()
                    ))
                }
            }
        } else if c == '"' {
            return Err(format!(
                "{name}:{line}: a `\"` inside a string must be written `\\\"`"
            ));
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

#[derive(Default)]
struct Entry {
    ctxt: Option<String>,
    id: Option<String>,
    str_: Option<String>,
    fuzzy: bool,
    line: usize,
}

pub fn read(name: &str, text: &str) -> Result<Incoming, String> {
    let (entries, last_line) = read_entries(name, text)?;
    let mut headers = Vec::new();
    let mut units = Vec::new();
    for e in entries {
        let id = e.id.unwrap_or_default();
        if e.ctxt.is_none() && id.is_empty() {
            for h in e.str_.unwrap_or_default().lines() {
                if let Some((k, v)) = h.split_once(':') {
                    headers.push((k.trim().to_string(), v.trim().to_string()));
                }
            }
            continue;
        }
        units.push(Translated {
            id: e.ctxt.unwrap_or_default(),
            source: id,
            target: e.str_.unwrap_or_default(),
            fuzzy: e.fuzzy,
            line: e.line,
        });
    }
    if headers.is_empty() {
        return Err(format!("{name}:1: the PO header (msgid \"\") is missing"));
    }
    Ok(Incoming {
        file: name.to_string(),
        headers,
        units,
        last_line,
    })
}

/// The entries of a PO file, and its last line.
fn read_entries(name: &str, text: &str) -> Result<(Vec<Entry>, usize), String> {
    let mut r = Reader {
        name,
        entries: Vec::new(),
        cur: Entry::default(),
        field: None,
    };
    let mut last_line = 1;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        last_line = line;
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        if let Some(c) = l.strip_prefix('#') {
            r.comment(c)?;
            continue;
        }
        match l.split_once(char::is_whitespace) {
            Some((k, rest)) if k.starts_with("msg") => r.keyword(k, rest, line)?,
            _ => r.continued(l, line)?,
        }
    }
    r.push()?;
    Ok((r.entries, last_line))
}

/// A PO file being read, line by line.
struct Reader<'a> {
    name: &'a str,
    entries: Vec<Entry>,
    cur: Entry,
    /// The field a line of quoted text alone continues.
    field: Option<&'static str>,
}

impl Reader<'_> {
    /// Ends the current entry, refusing one without its msgid or msgstr.
    fn push(&mut self) -> Result<(), String> {
        let e = std::mem::take(&mut self.cur);
        if e.id.is_some() || e.ctxt.is_some() {
            if e.id.is_none() || e.str_.is_none() {
                return Err(format!(
                    "{}:{}: the entry has no {}: the file is truncated or damaged",
                    self.name,
                    e.line,
                    if e.id.is_none() { "msgid" } else { "msgstr" }
                ));
            }
            self.entries.push(e);
        }
        Ok(())
    }

    /// A comment line (after its `#`): it may start the next entry, mark
    /// the entry fuzzy, or (`#~`, obsolete) end the field.
    fn comment(&mut self, c: &str) -> Result<(), String> {
        if self.cur.str_.is_some() {
            self.push()?;
        }
        if let Some(flags) = c.strip_prefix(',') {
            self.cur.fuzzy |= flags.split(',').any(|f| f.trim() == "fuzzy");
        }
        if c.starts_with('~') {
            self.field = None;
        }
        Ok(())
    }

    /// A `msgctxt`, `msgid` or `msgstr` line.
    fn keyword(&mut self, k: &str, rest: &str, line: usize) -> Result<(), String> {
        let name = self.name;
        let value = unquote(rest, name, line)?;
        let f: &'static str = match k {
            "msgctxt" => "ctxt",
            "msgid" => "id",
            "msgstr" => "str",
            other => {
                return Err(format!(
                "{name}:{line}: `{other}` is not supported (servicekb files have no plural forms)"
            ))
            }
        };
        // A msgctxt or msgid after a msgstr starts the next entry.
        if (f == "ctxt" || f == "id") && self.cur.str_.is_some() {
            self.push()?;
        }
        let cur = &mut self.cur;
        if cur.line == 0 {
            cur.line = line;
        }
        let slot = match f {
            "ctxt" => &mut cur.ctxt,
            "id" => &mut cur.id,
            _ => &mut cur.str_,
        };
        if slot.is_some() {
            return Err(format!("{name}:{line}: `{k}` appears twice in one entry"));
        }
        *slot = Some(value);
        self.field = Some(f);
        Ok(())
    }

    /// A line of quoted text alone, continuing the current field.
    fn continued(&mut self, rest: &str, line: usize) -> Result<(), String> {
        let name = self.name;
        let value = unquote(rest, name, line)?;
        let cur = &mut self.cur;
        let slot = match self.field {
            Some("ctxt") => &mut cur.ctxt,
            Some("id") => &mut cur.id,
            Some(_) => &mut cur.str_,
            None => return Err(format!("{name}:{line}: text outside an entry")),
        };
        slot.get_or_insert_with(String::new).push_str(&value);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_quotes() {
        let po = "msgid \"\"\nmsgstr \"\"\n\"Language: he\\n\"\n\n#, fuzzy\nmsgctxt \"b1.p\"\nmsgid \"\"\n\"a \\\"b\\\"\\n\"\n\"c\"\nmsgstr \"x\"\n";
        let inc = read("t.po", po).unwrap();
        assert_eq!(inc.header("Language"), Some("he"));
        assert_eq!(inc.units.len(), 1);
        assert_eq!(inc.units[0].source, "a \"b\"\nc");
        assert!(inc.units[0].fuzzy);
        assert_eq!(inc.units[0].line, 6);
        assert!(read(
            "t.po",
            "msgid \"\"\nmsgstr \"\"\n\"Language: he\\n\"\nmsgctxt \"a\"\nmsgid \"x"
        )
        .is_err());
    }
}
