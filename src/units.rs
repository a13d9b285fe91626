//! Translation units: an article body cut at block level (headings,
//! paragraphs, list items, table cells) for translation exchange files.
//!
//! A unit's text keeps Markdown's inline syntax (emphasis, strong) but
//! replaces what a translator must not change with numbered placeholders:
//! `{1}`…`{/1}` for the markup around a link's text (its `[` and
//! `](target)`), and a lone `{2}` for inline code, images, inline HTML,
//! autolinks and links without text.

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};
use std::ops::Range;

/// One piece of markup a placeholder stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub n: usize,
    /// The markup `{n}` stands for.
    pub open: String,
    /// The markup `{/n}` stands for; `None` for a lone placeholder.
    pub close: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Unit {
    /// `h1`…`h6`, `p`, `li`, `th`, `td`.
    pub kind: &'static str,
    /// Position among the body's units, from 1.
    pub index: usize,
    /// Byte range of the unit's text in the body.
    pub span: Range<usize>,
    /// The text with placeholders, continuation lines unindented.
    pub text: String,
    pub codes: Vec<Code>,
}

impl Unit {
    pub fn id(&self) -> String {
        format!("b{}.{}", self.index, self.kind)
    }
}

struct Leaf {
    kind: &'static str,
    span: Option<Range<usize>>,
    /// (range, replacement marker) for each piece of protected markup.
    marks: Vec<(Range<usize>, String)>,
    codes: Vec<Code>,
}

impl Leaf {
    fn new(kind: &'static str) -> Leaf {
        Leaf {
            kind,
            span: None,
            marks: Vec::new(),
            codes: Vec::new(),
        }
    }
    fn extend(&mut self, r: &Range<usize>) {
        self.span = Some(match &self.span {
            None => r.clone(),
            Some(s) => s.start.min(r.start)..s.end.max(r.end),
        });
    }
}

/// An open link inside a leaf: where it starts and ends, and the extent of
/// its text.
struct OpenLink {
    range: Range<usize>,
    inner: Option<Range<usize>>,
}

fn heading_kind(level: pulldown_cmark::HeadingLevel) -> &'static str {
    use pulldown_cmark::HeadingLevel::*;
    match level {
        H1 => "h1",
        H2 => "h2",
        H3 => "h3",
        H4 => "h4",
        H5 => "h5",
        H6 => "h6",
    }
}

/// The units of a Markdown body, in order.
pub fn units(body: &str) -> Vec<Unit> {
    let mut c = Cutter {
        body,
        leaves: Vec::new(),
        cur: None,
        items: Vec::new(),
        links: Vec::new(),
        opaque: 0,
        in_table_head: false,
    };
    for (ev, r) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        if !c.block(&ev) {
            c.inline(ev, r);
        }
    }
    c.finish();
    c.leaves
        .into_iter()
        .enumerate()
        .map(|(i, l)| make_unit(body, i + 1, l))
        .collect()
}

/// A body being cut into leaves, event by event.
struct Cutter<'a> {
    body: &'a str,
    leaves: Vec<Leaf>,
    cur: Option<Leaf>,
    // Containers: true for a list item whose text is not in a paragraph.
    items: Vec<bool>,
    links: Vec<OpenLink>,
    // Depth inside markup kept whole (an image, a link without text).
    opaque: usize,
    in_table_head: bool,
}

impl Cutter<'_> {
    fn finish(&mut self) {
        if let Some(l) = self.cur.take() {
            if l.span.is_some() {
                self.leaves.push(l);
            }
        }
    }

    fn start(&mut self, kind: &'static str) {
        self.finish();
        self.cur = Some(Leaf::new(kind));
    }

    /// Where leaves start and end; `true` when that is all the event is.
    fn block(&mut self, ev: &Event) -> bool {
        match ev {
            Event::Start(Tag::Paragraph) => self.start("p"),
            Event::Start(Tag::Heading { level, .. }) => self.start(heading_kind(*level)),
            Event::Start(Tag::TableHead) => {
                self.in_table_head = true;
                return false;
            }
            Event::End(TagEnd::TableHead) => {
                self.in_table_head = false;
                return false;
            }
            Event::Start(Tag::TableCell) => {
                self.start(if self.in_table_head { "th" } else { "td" });
            }
            Event::Start(Tag::Item) => {
                self.finish();
                self.items.push(true);
                self.cur = Some(Leaf::new("li"));
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::TableCell) => {
                self.finish();
            }
            Event::End(TagEnd::Item) => {
                self.finish();
                self.items.pop();
            }
            Event::Start(
                Tag::List(_)
                | Tag::BlockQuote(_)
                | Tag::CodeBlock(_)
                | Tag::HtmlBlock
                | Tag::Table(_)
                | Tag::FootnoteDefinition(_)
                | Tag::MetadataBlock(_),
            )
            | Event::Rule => self.finish(),
            _ => return false,
        }
        true
    }

    /// An event inside a leaf: its extent, and placeholders for markup.
    fn inline(&mut self, ev: Event, r: Range<usize>) {
        let body = self.body;
        let Some(leaf) = self.cur.as_mut() else {
            return;
        };
        if matches!(ev, Event::TaskListMarker(_)) {
            return;
        }
        leaf.extend(&r);
        if self.opaque > 0 {
            match ev {
                Event::Start(_) => self.opaque += 1,
                Event::End(_) => self.opaque -= 1,
                _ => {}
            }
            return;
        }
        let outer = if matches!(ev, Event::End(TagEnd::Link)) {
            self.links.len().saturating_sub(1)
        } else {
            self.links.len()
        };
        for l in self.links[..outer].iter_mut() {
            l.inner = Some(match &l.inner {
                None => r.clone(),
                Some(s) => s.start.min(r.start)..s.end.max(r.end),
            });
        }
        match ev {
            Event::Code(_)
            | Event::InlineHtml(_)
            | Event::Html(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_) => lone(leaf, body, &r),
            Event::Start(Tag::Image { .. }) => {
                lone(leaf, body, &r);
                self.opaque = 1;
            }
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => {
                lone(leaf, body, &r);
                self.opaque = 1;
            }
            Event::Start(Tag::Link { .. }) => self.links.push(OpenLink {
                range: r.clone(),
                inner: None,
            }),
            Event::End(TagEnd::Link) => {
                if let Some(l) = self.links.pop() {
                    close_link(leaf, body, l);
                }
            }
            _ => {}
        }
    }
}

/// A placeholder `{n}` for the markup at `r`.
fn lone(leaf: &mut Leaf, body: &str, r: &Range<usize>) {
    let n = leaf.codes.len() + 1;
    leaf.codes.push(Code {
        n,
        open: body[r.clone()].to_string(),
        close: None,
    });
    leaf.marks.push((r.clone(), format!("{{{n}}}")));
}

/// A link that ends: `{n}`…`{/n}` around its text, or one `{n}` for a
/// link without text.
fn close_link(leaf: &mut Leaf, body: &str, l: OpenLink) {
    match l.inner {
        Some(inner) if inner.start > l.range.start => {
            let text_end = last_text_end(body, &l.range, inner.start);
            let n = leaf.codes.len() + 1;
            leaf.codes.push(Code {
                n,
                open: body[l.range.start..inner.start].to_string(),
                close: Some(body[text_end..l.range.end].to_string()),
            });
            leaf.marks
                .push((l.range.start..inner.start, format!("{{{n}}}")));
            leaf.marks
                .push((text_end..l.range.end, format!("{{/{n}}}")));
        }
        _ => {
            // Remove marks made inside it, then keep it whole.
            leaf.marks
                .retain(|(m, _)| !(m.start >= l.range.start && m.end <= l.range.end));
            lone(leaf, body, &l.range);
        }
    }
}

/// Where a link's text ends: the `]` that closes it, found after the last
/// piece of its text.
fn last_text_end(body: &str, link: &Range<usize>, text_start: usize) -> usize {
    // The link is `[text](dest)` or `[text][ref]` or `[text]`: its text ends
    // at the `]` matching the opening `[`.
    let bytes = body.as_bytes();
    let mut depth = 0i32;
    let mut i = text_start;
    while i < link.end {
        match bytes[i] {
            b'\\' => i += 1,
            b'`' => {
                // Skip a code span: brackets in it do not count.
                let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                let fence = &body[i..i + run];
                match body[i + run..link.end].find(fence) {
                    Some(p) => i += run + p + run - 1,
                    None => i += run - 1,
                }
            }
            b'[' => depth += 1,
            b']' => {
                if depth == 0 {
                    return i;
                }
                depth -= 1;
            }
            _ => {}
        }
        i += 1;
    }
    link.end
}

fn make_unit(body: &str, index: usize, mut leaf: Leaf) -> Unit {
    let span = leaf.span.clone().unwrap_or(0..0);
    // Trailing whitespace (and a heading's closing #s) is not text.
    let mut end = span.end;
    let mut start = span.start;
    while end > start && body.as_bytes()[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    while start < end && body.as_bytes()[start].is_ascii_whitespace() {
        start += 1;
    }
    leaf.marks.sort_by_key(|(r, _)| r.start);
    let mut text = String::new();
    let mut at = start;
    for (r, m) in &leaf.marks {
        if r.start < at {
            continue;
        }
        text.push_str(&body[at..r.start]);
        text.push_str(m);
        at = r.end;
    }
    if at < end {
        text.push_str(&body[at..end]);
    }
    Unit {
        kind: leaf.kind,
        index,
        span: start..end.max(at),
        text: unindent(&text),
        codes: leaf.codes,
    }
}

/// Continuation lines without their indentation (and block-quote markers).
fn unindent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(line.trim_start_matches([' ', '\t', '>']).trim_start());
        } else {
            out.push_str(line);
        }
    }
    out
}

/// The indentation a continuation line of the unit at `start` takes: the
/// text before it on its line, with every mark but `>` made a space.
pub fn continuation_prefix(body: &str, start: usize) -> String {
    let line_start = body[..start].rfind('\n').map_or(0, |p| p + 1);
    body[line_start..start]
        .chars()
        .map(|c| if c == '>' { '>' } else { ' ' })
        .collect()
}

/// A problem with a translated text's placeholders.
#[derive(Debug, PartialEq, Eq)]
pub struct PlaceholderError(pub String);

/// The translated text made into Markdown: placeholders replaced by their
/// markup. Every placeholder must appear exactly once, `{n}` before `{/n}`.
pub fn restore(text: &str, codes: &[Code]) -> Result<String, PlaceholderError> {
    let mut out = String::with_capacity(text.len() + 32);
    let mut seen_open = vec![false; codes.len() + 1];
    let mut seen_close = vec![false; codes.len() + 1];
    let mut rest = text;
    while let Some(p) = rest.find('{') {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        let (closing, digits_from) = match after.strip_prefix('/') {
            Some(a) => (true, a),
            None => (false, after),
        };
        let digits: String = digits_from
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        let is_mark = !digits.is_empty() && digits_from[digits.len()..].starts_with('}');
        if !is_mark {
            out.push('{');
            rest = after;
            continue;
        }
        let marker = format!("{{{}{digits}}}", if closing { "/" } else { "" });
        let n: usize = digits.parse().unwrap_or(0);
        let Some(code) = codes.iter().find(|c| c.n == n) else {
            return Err(PlaceholderError(format!(
                "`{marker}` is not a placeholder of this text"
            )));
        };
        if closing {
            let Some(close) = &code.close else {
                return Err(PlaceholderError(format!(
                    "`{marker}` is not a placeholder of this text (`{{{n}}}` stands alone)"
                )));
            };
            if !seen_open[n] {
                return Err(PlaceholderError(format!(
                    "`{marker}` comes before `{{{n}}}`"
                )));
            }
            if std::mem::replace(&mut seen_close[n], true) {
                return Err(PlaceholderError(format!("`{marker}` appears twice")));
            }
            out.push_str(close);
        } else {
            if std::mem::replace(&mut seen_open[n], true) {
                return Err(PlaceholderError(format!("`{marker}` appears twice")));
            }
            out.push_str(&code.open);
        }
        rest = &digits_from[digits.len() + 1..];
    }
    out.push_str(rest);
    for c in codes {
        if !seen_open[c.n] {
            return Err(PlaceholderError(format!(
                "placeholder `{{{}}}` is missing (it stands for `{}`)",
                c.n, c.open
            )));
        }
        if c.close.is_some() && !seen_close[c.n] {
            return Err(PlaceholderError(format!(
                "placeholder `{{/{}}}` is missing (it stands for `{}`)",
                c.n,
                c.close.as_deref().unwrap_or("")
            )));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_code_become_placeholders() {
        let body = "Read [](skill:patience) and the [**check**](checklist:x \"t\").\n\n## Name it {#name}\n\n- one `code`\n  two\n- [a [b] c](x)\n";
        let u = units(body);
        let texts: Vec<(&str, &str)> = u.iter().map(|u| (u.kind, u.text.as_str())).collect();
        assert_eq!(
            texts,
            vec![
                ("p", "Read {1} and the {2}**check**{/2}."),
                ("h2", "Name it"),
                ("li", "one {1}\ntwo"),
                ("li", "{1}a [b] c{/1}"),
            ]
        );
        assert_eq!(u[0].codes[1].close.as_deref(), Some("](checklist:x \"t\")"));
        assert_eq!(
            restore(&u[0].text, &u[0].codes).unwrap(),
            &body[u[0].span.clone()]
        );
        assert_eq!(
            restore("{2}x{/2} {1}", &u[0].codes).unwrap(),
            "[x](checklist:x \"t\") [](skill:patience)"
        );
        assert!(restore("{2}x", &u[0].codes).is_err());
        assert!(restore("{1} {2}x{/2} {3}", &u[0].codes).is_err());
        assert!(restore("{/2}x{2} {1}", &u[0].codes).is_err());
    }

    #[test]
    fn table_cells_are_units() {
        let u = units("| A | B |\n|---|---|\n| c | `d` |\n");
        let texts: Vec<(&str, &str)> = u.iter().map(|u| (u.kind, u.text.as_str())).collect();
        assert_eq!(
            texts,
            vec![("th", "A"), ("th", "B"), ("td", "c"), ("td", "{1}")]
        );
    }
}
