//! XLIFF 1.2 files: placeholders as `<bpt id="n">`/`<ept id="n">` pairs
//! (holding the link markup) and `<ph id="n">` (inline code and the like).

use super::exchange::{Doc, Incoming, Translated};
use quick_xml::events::Event;
use quick_xml::Reader;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Unit text with `{n}`/`{/n}` made into XLIFF inline elements.
fn inline(text: &str, codes: &[crate::units::Code]) -> String {
    let mut out = String::new();
    let mut rest = text;
    'outer: while let Some(p) = rest.find('{') {
        out.push_str(&esc(&rest[..p]));
        for c in codes {
            let open = format!("{{{}}}", c.n);
            let close = format!("{{/{}}}", c.n);
            if rest[p..].starts_with(&open) {
                let tag = if c.close.is_some() { "bpt" } else { "ph" };
                out.push_str(&format!("<{tag} id=\"{}\">{}</{tag}>", c.n, esc(&c.open)));
                rest = &rest[p + open.len()..];
                continue 'outer;
            }
            if let (true, Some(cl)) = (rest[p..].starts_with(&close), &c.close) {
                out.push_str(&format!("<ept id=\"{}\">{}</ept>", c.n, esc(cl)));
                rest = &rest[p + close.len()..];
                continue 'outer;
            }
        }
        out.push('{');
        rest = &rest[p + 1..];
    }
    out.push_str(&esc(rest));
    out
}

pub fn write(doc: &Doc) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\" xmlns:skb=\"urn:servicekb\">\n");
    out.push_str(&format!(
        "  <file original=\"{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"x-markdown\" tool-id=\"servicekb\" skb:target=\"{}\" skb:source-hash=\"{}\" skb:target-state=\"{}\" skb:units=\"{}\">\n",
        esc(&doc.source_rel),
        esc(&doc.source_lang),
        esc(&doc.lang),
        esc(&doc.target_rel),
        esc(&doc.source_hash),
        esc(&doc.target_state),
        doc.units.len()
    ));
    out.push_str(&format!(
        "    <header>\n      <tool tool-id=\"servicekb\" tool-name=\"servicekb\" tool-version=\"{}\"/>\n      <note>{}</note>\n    </header>\n    <body>\n",
        env!("CARGO_PKG_VERSION"),
        esc(&super::po::PLACEHOLDER_NOTE
            .replace("{1}…{/1}", "bpt/ept")
            .replace("a lone {2}", "ph")
            .replace("between {1} and {/1}", "between bpt and ept"))
    ));
    // The file's facts again as a gettext header, which CAT tools skip
    // (translate="no") and xliff2po turns into the PO header.
    let header = super::po::header_lines(doc).join("\n");
    out.push_str(&format!(
        "      <trans-unit id=\"po-header\" restype=\"x-gettext-domain-header\" translate=\"no\" xml:space=\"preserve\">\n        <source>{h}</source>\n        <target state=\"final\">{h}</target>\n      </trans-unit>\n",
        h = esc(&header)
    ));
    for (u, repeated) in doc.units.iter().zip(doc.repeated()) {
        out.push_str(&format!(
            "      <trans-unit id=\"{id}\" resname=\"{id}\"{approved} xml:space=\"preserve\">\n        <source>{src}</source>\n",
            id = esc(&u.id),
            approved = if !u.target.is_empty() && !u.fuzzy {
                " approved=\"yes\""
            } else {
                ""
            },
            src = inline(&u.source, &u.codes)
        ));
        if !u.target.is_empty() {
            let state = if u.fuzzy {
                "needs-review-translation"
            } else {
                "translated"
            };
            out.push_str(&format!(
                "        <target state=\"{state}\">{}</target>\n",
                inline(&u.target, &u.codes)
            ));
        }
        out.push_str(&format!(
            "        <context-group name=\"po-reference\" purpose=\"location\"><context context-type=\"sourcefile\">{}</context><context context-type=\"linenumber\">{}</context></context-group>\n",
            esc(u.file.as_deref().unwrap_or(&doc.source_rel)),
            u.line
        ));
        if repeated {
            out.push_str(&format!(
                "        <context-group name=\"po-reference\" purpose=\"location\"><context context-type=\"sourcefile\">{}</context></context-group>\n",
                esc(&u.id)
            ));
        }
        out.push_str("      </trans-unit>\n");
    }
    out.push_str("    </body>\n  </file>\n</xliff>\n");
    out
}

fn line_at(text: &str, pos: usize) -> usize {
    text[..pos.min(text.len())].matches('\n').count() + 1
}

pub fn read(name: &str, text: &str) -> Result<Incoming, String> {
    let mut r = Reader::from_str(text);
    let mut st = ReadState::default();
    loop {
        let pos = r.buffer_position() as usize;
        let ev = r
            .read_event()
            .map_err(|e| format!("{name}:{}: not well-formed XML: {e}", line_at(text, pos)))?;
        let line = line_at(text, pos);
        match ev {
            Event::Start(ref e) | Event::Empty(ref e) if st.skip_depth == 0 => {
                st.start(e, matches!(ev, Event::Empty(_)), line);
            }
            Event::Start(_) => st.skip_depth += 1,
            Event::End(_) if st.skip_depth > 0 => st.skip_depth -= 1,
            Event::End(e) => st.end(e.name().as_ref()),
            Event::Text(t) if st.skip_depth == 0 && st.into > 0 => {
                let s = t
                    .unescape()
                    .map_err(|e| format!("{name}:{line}: {e}"))?
                    .into_owned();
                st.push_text(&s);
            }
            Event::CData(t) if st.skip_depth == 0 && st.into > 0 => {
                st.push_text(&String::from_utf8_lossy(&t));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !st.closed {
        return Err(format!(
            "{name}:{}: the file ends before </xliff>: it is truncated",
            line_at(text, text.len())
        ));
    }
    Ok(Incoming {
        file: name.to_string(),
        headers: st.headers,
        units: st.units,
        last_line: line_at(text, text.len()),
    })
}

/// What has been read of an XLIFF file so far.
#[derive(Default)]
struct ReadState {
    headers: Vec<(String, String)>,
    units: Vec<Translated>,
    /// Where the text being read goes: 1 source, 2 target.
    into: u8,
    cur: Option<Translated>,
    /// How deep inside an element whose content is skipped.
    skip_depth: usize,
    closed: bool,
}

fn attr(e: &quick_xml::events::BytesStart, key: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

impl ReadState {
    /// An opening (or, `empty`, self-closing) tag outside skipped content.
    fn start(&mut self, e: &quick_xml::events::BytesStart, empty: bool, line: usize) {
        let tag = e.name().as_ref().to_vec();
        match tag.as_slice() {
            b"file" => {
                for (k, h) in [
                    (&b"original"[..], "X-Servicekb-Source"),
                    (b"target-language", "Language"),
                    (b"skb:target-state", "X-Servicekb-Target-State"),
                    (b"skb:units", "X-Servicekb-Units"),
                ] {
                    if let Some(v) = attr(e, k) {
                        self.headers.push((h.to_string(), v));
                    }
                }
            }
            b"trans-unit"
                if attr(e, b"restype").is_some_and(|r| r.contains("gettext-domain-header")) =>
            {
                self.cur = None;
                if !empty {
                    self.skip_depth = 1;
                }
            }
            b"trans-unit" => {
                self.cur = Some(Translated {
                    id: attr(e, b"id").unwrap_or_default(),
                    source: String::new(),
                    target: String::new(),
                    fuzzy: false,
                    line,
                })
            }
            b"source" => self.into = 1,
            b"target" => {
                self.into = 2;
                if let Some(c) = self.cur.as_mut() {
                    let st = attr(e, b"state").unwrap_or_default();
                    c.fuzzy = st.starts_with("needs-");
                }
            }
            b"bpt" | b"ept" | b"ph" | b"x" if self.into > 0 => {
                let id = attr(e, b"id").unwrap_or_default();
                let m = if tag == b"ept" {
                    format!("{{/{id}}}")
                } else {
                    format!("{{{id}}}")
                };
                self.push_text(&m);
                if !empty {
                    self.skip_depth = 1;
                }
            }
            _ => {}
        }
        if empty && (tag == b"source" || tag == b"target") {
            self.into = 0;
        }
    }

    /// A closing tag outside skipped content.
    fn end(&mut self, tag: &[u8]) {
        match tag {
            b"source" | b"target" => self.into = 0,
            b"trans-unit" => {
                if let Some(c) = self.cur.take() {
                    self.units.push(c);
                }
            }
            b"xliff" => self.closed = true,
            _ => {}
        }
    }

    /// Text for the current unit's source or target.
    fn push_text(&mut self, s: &str) {
        if let Some(c) = self.cur.as_mut() {
            if self.into == 1 {
                c.source.push_str(s)
            } else {
                c.target.push_str(s)
            }
        }
    }
}
