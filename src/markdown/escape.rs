//! Raw HTML shown as text, for sites that do not allow it.

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Raw HTML becomes text: an HTML block a paragraph of it, inline HTML
/// inline text. Comments (translators' notes) are dropped, not shown.
pub(super) struct EscapeHtml<'a, I: Iterator<Item = Event<'a>>> {
    inner: I,
    in_comment: bool,
    /// The text of the HTML block being read.
    block: Option<String>,
    pending: std::collections::VecDeque<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> EscapeHtml<'a, I> {
    pub(super) fn new(inner: I) -> Self {
        EscapeHtml {
            inner,
            in_comment: false,
            block: None,
            pending: std::collections::VecDeque::new(),
        }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for EscapeHtml<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(e) = self.pending.pop_front() {
            return Some(e);
        }
        loop {
            match self.inner.next()? {
                Event::Start(Tag::HtmlBlock) => self.block = Some(String::new()),
                Event::End(TagEnd::HtmlBlock) => {
                    self.in_comment = false;
                    let text = self.block.take().unwrap_or_default();
                    let text = text.trim_end();
                    if !text.trim_start().is_empty() {
                        self.pending
                            .push_back(Event::Text(CowStr::from(text.to_string())));
                        self.pending.push_back(Event::End(TagEnd::Paragraph));
                        return Some(Event::Start(Tag::Paragraph));
                    }
                }
                Event::Html(t) => {
                    let text = without_comments(&t, &mut self.in_comment);
                    match self.block.as_mut() {
                        Some(b) => b.push_str(&text),
                        None => return Some(Event::Text(CowStr::from(text))),
                    }
                }
                Event::InlineHtml(t) => {
                    if !t.starts_with("<!--") {
                        return Some(Event::Text(t));
                    }
                }
                e => return Some(e),
            }
        }
    }
}

/// `text` without its `<!-- … -->` parts; `in_comment` carries an open
/// comment over to the next line.
fn without_comments(text: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = text;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(i) => {
                    rest = &rest[i + 3..];
                    *in_comment = false;
                }
                None => return out,
            }
        } else {
            match rest.find("<!--") {
                Some(i) => {
                    out.push_str(&rest[..i]);
                    rest = &rest[i + 4..];
                    *in_comment = true;
                }
                None => {
                    out.push_str(rest);
                    return out;
                }
            }
        }
    }
}
