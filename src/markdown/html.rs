//! From a parsed text to HTML: links filled in, raw HTML handled as the
//! site says, footnotes and tables wrapped.

use super::escape::EscapeHtml;
use super::*;

/// A resolved link: where it goes, and what the renderer adds.
#[derive(Debug, Clone)]
pub struct ResolvedLink {
    pub href: String,
    /// Set when the target is in another language than the page.
    pub hreflang: Option<String>,
    /// The target's localized name, for links written with empty text.
    pub name: String,
}

pub trait LinkResolver {
    /// `None` leaves the link as written (external links, plain paths).
    fn resolve(&self, dest: &str) -> Option<ResolvedLink>;
}

/// A text rendered to HTML but for its links, which depend on the rest of
/// the site: the load stage prepares it, the render stage finishes it.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// The HTML without the opening tags of links; each slot says where one goes.
    html: super::held::Held,
    slots: Vec<Slot>,
    /// Where each group of blocks ends in the HTML (see [`MIN_GROUP_BYTES`]),
    /// and whether it goes through the sanitizer once finished.
    groups: Vec<(usize, bool)>,
    /// The text's distinct folded words (as `search_index::words` gives them),
    /// when the search index needs them, but for ...
    words: Option<crate::search_index::WordSet>,
    /// ... the runs of letters where links with empty text show their
    /// target's name, with their offsets in the text: the name joins the
    /// letters around it (`ב[](skill:x)`).
    runs: Vec<(usize, String)>,
}

impl Prepared {
    /// The same, its HTML packed as past the budget.
    #[cfg(test)]
    pub fn packed(&self) -> Prepared {
        Prepared {
            html: self.html.packed(),
            ..self.clone()
        }
    }

    /// Made with search words.
    pub fn has_words(&self) -> bool {
        self.words.is_some()
    }

    /// The search words of the text and of `more` (a title, say), once
    /// `names` (from [`finish`]) are known.
    pub fn words(
        &self,
        names: &[(usize, String)],
        more: &[&str],
    ) -> Option<crate::search_index::WordSet> {
        use crate::search_index::words;
        let base = self.words.as_ref()?;
        let runs: Vec<String> = self
            .runs
            .iter()
            .map(|(start, run)| {
                let mut full = String::with_capacity(run.len() + 32);
                let mut last = 0;
                for (at, name) in names {
                    if let Some(k) = at.checked_sub(*start).filter(|k| *k <= run.len()) {
                        full.push_str(&run[last..k]);
                        full.push_str(name);
                        last = k;
                    }
                }
                full.push_str(&run[last..]);
                full
            })
            .collect();
        let mut texts: Vec<&str> = runs.iter().map(String::as_str).collect();
        texts.extend_from_slice(more);
        Some(base.union(&words(texts)))
    }
}

#[derive(Debug, Clone)]
struct Slot {
    at: usize,
    dest: String,
    title: String,
    email: bool,
    /// Written with empty text: the target's name goes in (into the search
    /// text at `text_at`).
    empty: bool,
    text_at: usize,
}

/// A finished text.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// Names put into links written with empty text, with where they go in
    /// the search text.
    pub names: Vec<(usize, String)>,
}

/// Stands for a link's opening tag in the events given to the HTML writer,
/// which writes it by reference: the writer knows it by its address, so no
/// text of the user's can be taken for it.
static SLOT: &str = "\u{FDD0}";

/// Collects the HTML, noting where each [`SLOT`] was written.
struct SlotWriter<'a> {
    html: &'a mut String,
    at: Vec<usize>,
    len: &'a Cell<usize>,
}

impl std::fmt::Write for SlotWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if std::ptr::eq(s, SLOT) {
            self.at.push(self.html.len());
        } else {
            self.html.push_str(s);
            self.len.set(self.html.len());
        }
        Ok(())
    }
}

/// Whether an event of the source can put into the HTML something the
/// sanitizer would remove.
pub(super) fn needs_sanitizer(e: &Event) -> bool {
    match e {
        Event::Html(_) | Event::InlineHtml(_) => true,
        Event::Start(Tag::Heading { classes, attrs, .. }) => {
            !classes.is_empty() || !attrs.is_empty()
        }
        Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
            !plain_url(dest_url)
        }
        _ => false,
    }
}

/// A URL with no scheme, or one of the schemes links here use. Browsers
/// ignore spaces and control characters in a scheme, so this does too.
pub(super) fn plain_url(url: &str) -> bool {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_ascii_control() && *c != ' ')
        .take(32)
        .collect::<String>()
        .to_ascii_lowercase();
    match squeezed.find([':', '/', '?', '#']) {
        Some(i) if squeezed[i..].starts_with(':') => matches!(
            &squeezed[..i],
            "http" | "https" | "mailto" | "tel" | "skill" | "checklist"
        ),
        _ => true,
    }
}

/// Render Markdown to HTML, resolving links with `links`; raw HTML in it is
/// treated as `raw` says.
pub fn render(body: &str, links: &dyn LinkResolver, raw: RawHtml) -> Rendered {
    finish(&parse(body, 0).prepare(raw, false).1, links)
}

impl<'a> Parsed<'a> {
    /// Everything of the rendering that does not depend on other pages; with
    /// `words`, the text's search words too. The scan comes back with it.
    pub fn prepare(self, raw: RawHtml, words: bool) -> (Scan, Prepared) {
        let len = self.body.len();
        // Raw HTML made text leaves every top-level block on its own.
        let every = raw == RawHtml::Escape;
        let events = source_events(self.events, self.body, raw);
        let html_len = Cell::new(0);
        let mut p = Prepare {
            inner: events.peekable(),
            headings: self.scan.headings.iter(),
            // The sanitizer costs more than the rest of rendering; Markdown
            // without raw HTML, heading attributes or unusual URL schemes
            // produces only what it would keep, so it runs only when the
            // source has one of them.
            check: raw != RawHtml::Allow,
            words,
            text: String::new(),
            slots: Vec::new(),
            notes: Footnotes::default(),
            in_image: 0,
            definitions: Vec::new(),
            n: 0,
            cuts: self.scan.cuts.iter().peekable(),
            every,
            depth: 0,
            html_len: &html_len,
            group_from: 0,
            group_untrusted: false,
            groups: Vec::new(),
        };
        // Every article's HTML waits in memory for its page, so it is sized to
        // fit: about as long as the Markdown (99 % of a large site's within 8 %).
        let mut html = String::with_capacity(len + len / 10 + 128);
        let mut w = SlotWriter {
            html: &mut html,
            at: Vec::new(),
            len: &html_len,
        };
        // Writing to a String cannot fail.
        let _ = pulldown_cmark::html::write_html_fmt(&mut w, &mut p);
        let at = w.at;
        let Prepare {
            text,
            mut slots,
            mut groups,
            group_untrusted,
            ..
        } = p;
        groups.push((html.len(), group_untrusted));
        for (s, at) in slots.iter_mut().zip(at) {
            s.at = at;
        }
        if html.capacity() > html.len() + html.len() / 4 + 128 {
            html.shrink_to_fit();
        }
        let (search, runs) = if words {
            let (w, runs) = search_words(&text, &slots);
            (Some(w), runs)
        } else {
            (None, Vec::new())
        };
        let prepared = Prepared {
            html: super::held::Held::new(html),
            slots,
            groups,
            words: search,
            runs,
        };
        (self.scan, prepared)
    }
}

/// The events of `body` (kept from the scan, or parsed again), raw HTML
/// made text when `raw` says so.
fn source_events<'a>(
    kept: Option<Vec<Event<'a>>>,
    body: &'a str,
    raw: RawHtml,
) -> Box<dyn Iterator<Item = Event<'a>> + 'a> {
    let events: Box<dyn Iterator<Item = Event<'a>> + 'a> = match kept {
        Some(v) => Box::new(v.into_iter()),
        None => Box::new(Parser::new_ext(body, options())),
    };
    if raw == RawHtml::Escape {
        Box::new(EscapeHtml::new(events))
    } else {
        events
    }
}

/// The search words of `text` but for the runs of letters touching the
/// links with empty text (their text comes from other pages), and those
/// runs, for [`Prepared`].
fn search_words(
    text: &str,
    slots: &[Slot],
) -> (crate::search_index::WordSet, Vec<(usize, String)>) {
    let at: Vec<usize> = slots
        .iter()
        .filter(|s| s.empty)
        .map(|s| s.text_at)
        .collect();
    let (pieces, runs) = crate::search_index::cut_word_runs(text, &at);
    (crate::search_index::words(pieces), runs)
}

/// The events of a text as the HTML writer gets them: heading ids from the
/// scan, links left as slots, footnotes numbered; collects the search text.
struct Prepare<'a, 's, I: Iterator<Item = Event<'a>>> {
    inner: std::iter::Peekable<I>,
    headings: std::slice::Iter<'s, Heading>,
    /// Whether to look for what needs the sanitizer.
    check: bool,
    words: bool,
    text: String,
    slots: Vec<Slot>,
    notes: Footnotes,
    /// Links inside an image's alt text are not links: they stay as written.
    in_image: usize,
    /// The footnote definitions open, each shown or (a second definition of
    /// its label: the first one counts) left out.
    definitions: Vec<bool>,
    /// The number of the next event, the events that begin groups (from the
    /// scan), or whether every top-level block may (`every`, with the depth).
    n: u32,
    cuts: std::iter::Peekable<std::slice::Iter<'s, u32>>,
    every: bool,
    depth: usize,
    /// The length of the HTML written so far.
    html_len: &'s Cell<usize>,
    group_from: usize,
    group_untrusted: bool,
    groups: Vec<(usize, bool)>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Prepare<'a, '_, I> {
    /// The next event of the text, ending a group before it if one ends.
    fn next_event(&mut self) -> Option<Event<'a>> {
        let at = self.html_len.get();
        let cut = if self.every {
            self.depth == 0
                && self.n > 0
                && (self.group_untrusted || at >= self.group_from + MIN_GROUP_BYTES)
        } else {
            self.cuts.next_if(|c| **c == self.n).is_some()
        };
        if cut {
            self.groups.push((at, self.group_untrusted));
            self.group_from = at;
            self.group_untrusted = false;
        }
        let ev = self.inner.next()?;
        self.n += 1;
        match ev {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        Some(ev)
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Prepare<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            let mut ev = self.next_event()?;
            if self.definitions.last() == Some(&false) {
                match ev {
                    Event::Start(Tag::FootnoteDefinition(_)) => self.definitions.push(false),
                    Event::End(TagEnd::FootnoteDefinition) => {
                        self.definitions.pop();
                    }
                    _ => {}
                }
                continue;
            }
            if self.check && !self.group_untrusted && needs_sanitizer(&ev) {
                self.group_untrusted = true;
            }
            match &mut ev {
                Event::Start(Tag::Image { .. }) => self.in_image += 1,
                Event::End(TagEnd::Image) => self.in_image = self.in_image.saturating_sub(1),
                Event::Start(Tag::Heading { id, .. }) => {
                    // The scan gave each heading its id, in this order.
                    if let Some(h) = self.headings.next() {
                        *id = Some(CowStr::from(h.id.clone()));
                    }
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    ..
                }) if self.in_image == 0 => {
                    self.slots.push(Slot {
                        at: 0,
                        dest: dest_url.to_string(),
                        title: title.to_string(),
                        email: *link_type == pulldown_cmark::LinkType::Email,
                        empty: matches!(self.inner.peek(), Some(Event::End(TagEnd::Link))),
                        text_at: self.text.len(),
                    });
                    ev = Event::InlineHtml(CowStr::Borrowed(SLOT));
                }
                Event::FootnoteReference(label) => {
                    let (id, num) = self.notes.number(label);
                    ev = Event::InlineHtml(CowStr::from(format!(
                        "<sup class=\"footnote-reference\"><a href=\"#{}\">{num}</a></sup>",
                        escape_html(&id)
                    )));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let label = label.to_string();
                    let shown = self.notes.defined.insert(label.clone());
                    self.definitions.push(shown);
                    if !shown {
                        continue;
                    }
                    let (id, num) = self.notes.number(&label);
                    ev = Event::Html(CowStr::from(format!(
                        "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{num}</sup>\n",
                        escape_html(&id)
                    )));
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    self.definitions.pop();
                    ev = Event::Html(CowStr::Borrowed("</div>\n"));
                }
                Event::Text(t) | Event::Code(t) if self.words => self.text.push_str(t),
                Event::SoftBreak | Event::HardBreak if self.words => self.text.push(' '),
                Event::End(
                    TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
                ) if self.words => self.text.push('\n'),
                _ => {}
            }
            return Some(ev);
        }
    }
}

/// The HTML of a prepared text, its links resolved with `links`.
pub fn finish(p: &Prepared, links: &dyn LinkResolver) -> Rendered {
    let held = p.html.html();
    let mut html = String::with_capacity(held.len() + 64 * p.slots.len());
    let mut names = Vec::new();
    let mut last = 0;
    let mut slots = p.slots.iter().peekable();
    // Where each group ends in the finished HTML.
    let mut groups = Vec::with_capacity(p.groups.len());
    for &(end, untrusted) in &p.groups {
        // A link that opens where a group ends is the next group's.
        while let Some(s) = slots.next_if(|s| s.at < end) {
            html.push_str(&held[last..s.at]);
            last = s.at;
            open_link(&mut html, s, links, &mut names);
        }
        html.push_str(&held[last..end]);
        last = end;
        match groups.last_mut() {
            Some((e, u)) if *u == untrusted => *e = html.len(),
            _ => groups.push((html.len(), untrusted)),
        }
    }
    for s in slots {
        html.push_str(&held[last..s.at]);
        last = s.at;
        open_link(&mut html, s, links, &mut names);
    }
    html.push_str(&held[last..]);
    // The last group takes whatever follows.
    match groups.last_mut() {
        Some(g) => g.0 = html.len(),
        None => groups.push((html.len(), false)),
    }
    let sanitize = groups.iter().any(|g| g.1);
    if !sanitize && !html.contains("<table>") && !html.contains("<pre>") {
        return Rendered { html, names };
    }
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut start = 0;
    for (end, untrusted) in groups {
        let part = wrap_tables(&html[start..end]);
        // Escaped text can still carry `javascript:` links and heading
        // attributes; each group parses the same on its own.
        if untrusted {
            out.push_str(&crate::sanitize::clean(&part));
        } else {
            out.push_str(&part);
        }
        start = end;
    }
    Rendered { html: out, names }
}

/// Wide tables and long lines of code scroll on a phone; the wrapper and
/// the code block are focusable so keyboards can scroll them.
fn wrap_tables(html: &str) -> std::borrow::Cow<'_, str> {
    let mut out = std::borrow::Cow::Borrowed(html);
    if out.contains("<table>") {
        out = std::borrow::Cow::Owned(
            out.replace(
                "<table>",
                "<div class=\"table-wrap\" tabindex=\"0\"><table>",
            )
            .replace("</table>", "</table></div>"),
        );
    }
    if out.contains("<pre>") {
        out = std::borrow::Cow::Owned(out.replace("<pre>", "<pre tabindex=\"0\">"));
    }
    out
}

/// Writes the opening tag of the link of `s`.
fn open_link(
    html: &mut String,
    s: &Slot,
    links: &dyn LinkResolver,
    names: &mut Vec<(usize, String)>,
) {
    use pulldown_cmark_escape::{escape_href, escape_html_body_text};
    match links.resolve(&s.dest) {
        Some(r) => {
            html.push_str("<a href=\"");
            html.push_str(&escape_html(&r.href));
            if let Some(l) = &r.hreflang {
                html.push_str("\" hreflang=\"");
                html.push_str(&escape_html(l));
            }
            if !s.title.is_empty() {
                html.push_str("\" title=\"");
                html.push_str(&escape_html(&s.title));
            }
            html.push_str("\">");
            if s.empty {
                let _ = escape_html_body_text(&mut *html, &r.name);
                names.push((s.text_at, r.name));
            }
        }
        // As the HTML writer writes a link it is given.
        None => {
            html.push_str(if s.email {
                "<a href=\"mailto:"
            } else {
                "<a href=\""
            });
            let _ = escape_href(&mut *html, &s.dest);
            if !s.title.is_empty() {
                html.push_str("\" title=\"");
                let _ = pulldown_cmark_escape::escape_html(&mut *html, &s.title);
            }
            html.push_str("\">");
        }
    }
}

/// Footnote numbers in order of first mention, and ids apart from the
/// headings' (`fn-<label>`), so a note can share its label with a heading.
#[derive(Default)]
struct Footnotes {
    numbers: HashMap<String, usize>,
    defined: std::collections::HashSet<String>,
}

impl Footnotes {
    fn number(&mut self, label: &str) -> (String, usize) {
        let next = self.numbers.len() + 1;
        let n = *self.numbers.entry(label.to_string()).or_insert(next);
        (format!("fn-{label}"), n)
    }
}
