//! Markdown: one scan at load time (headings and links, with positions, for
//! the resolve stage) and the rendering to HTML with links resolved.

use crate::model::{Heading, LinkRef, RawHtml};
use crate::render::templates::escape_html;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Ids the theme uses on pages that show Markdown (every page's frame, and
/// articles, skills and checklists, with the checklist script's): headings
/// never take them, and the sanitizer drops them from raw HTML, so no id is
/// on a page twice.
pub const THEME_IDS: &[&str] = &[
    // base.html
    "main",
    "top",
    "site-header",
    "site-footer",
    // article.html
    "page-toc",
    "toc-title",
    "article-skills-title",
    "also-read-title",
    "backlinks-title",
    "versions-title",
    // skill.html
    "skill-why",
    "skill-indicators",
    "skill-questions",
    "skill-development",
    "skill-articles",
    "skill-checklists",
    "skill-related",
    // checklist.html
    "scale-title",
    "checklist-form",
    "checklist-notes",
    "checklist-results",
    "checklist-data",
    // checklist.js
    "cl-tools-title",
    "cl-name",
    "cl-date",
    "cl-save",
    "cl-new",
    "cl-export-json",
    "cl-export-csv",
    "cl-print",
    "cl-import",
    "cl-saved",
    "cl-results-title",
    "cl-team",
    "cl-team-title",
    "cl-team-table",
    "cl-compare",
    "cl-chart-current-title",
    "cl-chart-team-title",
];

/// Lists, quotes and HTML elements nested deeper than this are refused: no
/// real text needs it, and the HTML sanitizer slows down quadratically with
/// depth.
pub const MAX_NESTING: usize = 100;

/// More links than this in one text are refused, so that one page cannot
/// flood the link checks and the error output.
pub const MAX_LINKS: usize = 10_000;

/// What the resolve stage needs to know of a Markdown text.
#[derive(Debug, Default)]
pub struct Scan {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    /// Explicit `{#id}`s written twice (offset of the second).
    pub duplicate_ids: Vec<(String, usize)>,
    /// Where nesting first goes deeper than [`MAX_NESTING`].
    pub too_deep: Option<usize>,
}

impl Scan {
    /// The limits this text breaks, each with the offset to report it at.
    pub fn limit_errors(&self) -> Vec<(usize, String)> {
        let mut out = Vec::new();
        if let Some(off) = self.too_deep {
            out.push((
                off,
                format!(
                    "lists, quotes or HTML elements nest more than {MAX_NESTING} levels deep here; flatten the text"
                ),
            ));
        }
        if let Some(l) = self.links.get(MAX_LINKS) {
            out.push((
                l.offset,
                format!(
                    "this text has {} links; the limit is {MAX_LINKS}: split it into several articles",
                    self.links.len()
                ),
            ));
        }
        out
    }
}

/// Elements that never take content, or close by themselves: they do not
/// deepen the tree when left unclosed.
const SHALLOW_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "rp", "rt",
];

/// Follows the element depth of raw HTML, tag by tag; returns the deepest.
fn html_depth(html: &str, depth: &mut usize) -> usize {
    let mut max = *depth;
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix("!--") {
            rest = r.find("-->").map_or("", |j| &r[j + 3..]);
            continue;
        }
        let closing = rest.starts_with('/');
        let name_start = usize::from(closing);
        let name: String = rest[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if name.is_empty() || SHALLOW_TAGS.contains(&name.as_str()) {
            continue;
        }
        let end = rest.find('>').unwrap_or(rest.len());
        if closing {
            *depth = depth.saturating_sub(1);
        } else if !rest[..end].ends_with('/') {
            *depth += 1;
            max = max.max(*depth);
        }
    }
    max
}

/// A heading id from its text: lower case, letters and digits of any script,
/// other runs turned into `-`.
pub fn slugify(text: &str) -> String {
    let text = crate::urls::nfc(text);
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else if !is_mark(c) {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

/// Combining marks (Hebrew niqqud among them) stay inside words.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0591..=0x05C7 | 0x200C | 0x200D)
}

/// Gives every heading an id: its `{#id}`, or one made from its text, unique
/// within the page (and apart from the theme's own ids).
#[derive(Default)]
struct IdAllocator {
    used: HashMap<String, usize>,
    /// The next suffix to try per base, so many equal headings stay linear.
    next: HashMap<String, usize>,
}

impl IdAllocator {
    fn taken(&self, id: &str) -> bool {
        THEME_IDS.contains(&id) || self.used.contains_key(id)
    }

    /// Whether `id` was free.
    fn explicit(&mut self, id: &str) -> bool {
        let free = !self.taken(id);
        *self.used.entry(id.to_string()).or_insert(0) += 1;
        free
    }

    fn auto(&mut self, text: &str) -> String {
        let base = slugify(text);
        let mut id = base.clone();
        let mut n = self.next.get(&base).copied().unwrap_or(0);
        while self.taken(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        if n > 0 {
            self.next.insert(base, n);
        }
        self.used.insert(id.clone(), 1);
        id
    }
}

fn level_num(l: HeadingLevel) -> u8 {
    l as u8
}

/// A Markdown text parsed once: its events, and what the resolve stage needs.
pub struct Parsed<'a> {
    events: Vec<Event<'a>>,
    /// Length of the Markdown, to size the HTML.
    len: usize,
    pub scan: Scan,
}

/// Headings and links of `body`, which starts at byte `base` of its file.
pub fn scan(body: &str, base: usize) -> Scan {
    parse(body, base).scan
}

/// Parse `body` (which starts at byte `base` of its file) and scan it.
pub fn parse(body: &str, base: usize) -> Parsed<'_> {
    let mut scan = Scan::default();
    let mut ids = IdAllocator::default();
    let mut heading: Option<(u8, Option<String>, String, usize)> = None;
    let (mut md_depth, mut html) = (0usize, 0usize);
    let mut events = Vec::new();
    for (ev, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let deepest = match &ev {
            Event::Start(_) => {
                md_depth += 1;
                md_depth + html
            }
            Event::End(_) => {
                md_depth = md_depth.saturating_sub(1);
                0
            }
            Event::Html(t) | Event::InlineHtml(t) => md_depth + html_depth(t, &mut html),
            _ => 0,
        };
        if deepest > MAX_NESTING && scan.too_deep.is_none() {
            scan.too_deep = Some(base + range.start);
        }
        match &ev {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading = Some((
                    level_num(*level),
                    id.as_ref().map(|s| s.to_string()),
                    String::new(),
                    range.start,
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, explicit, text, start)) = heading.take() {
                    let text = text.trim().to_string();
                    let id = match explicit {
                        Some(id) => {
                            if !ids.explicit(&id) {
                                scan.duplicate_ids.push((id.clone(), base + start));
                            }
                            id
                        }
                        None => ids.auto(&text),
                    };
                    scan.headings.push(Heading { level, id, text });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.2.push_str(t);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let src = &body[range.clone()];
                let at = src
                    .rfind(dest_url.as_ref())
                    .map_or(range.start, |i| range.start + i);
                scan.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    offset: base + at,
                    pos: (0, 0),
                });
            }
            _ => {}
        }
        events.push(ev);
    }
    Parsed {
        events,
        len: body.len(),
        scan,
    }
}

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
    html: String,
    slots: Vec<Slot>,
    /// The HTML goes through the sanitizer once finished.
    untrusted: bool,
    /// The text's distinct folded words (as `search_index::words` gives them),
    /// when the search index needs them, but for ...
    words: Option<String>,
    /// ... the runs of letters where links with empty text show their
    /// target's name, with their offsets in the text: the name joins the
    /// letters around it (`ב[](skill:x)`).
    runs: Vec<(usize, String)>,
}

impl Prepared {
    /// Made with search words.
    pub fn has_words(&self) -> bool {
        self.words.is_some()
    }

    /// The search words of the text and of `more` (a title, say), once
    /// `names` (from [`finish`]) are known.
    pub fn words(&self, names: &[(usize, String)], more: &[&str]) -> Option<String> {
        use crate::render::search_index::{merge_words, words};
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
        Some(merge_words(base, &words(texts)))
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
}

impl std::fmt::Write for SlotWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if std::ptr::eq(s, SLOT) {
            self.at.push(self.html.len());
        } else {
            self.html.push_str(s);
        }
        Ok(())
    }
}

/// Whether an event of the source can put into the HTML something the
/// sanitizer would remove.
fn needs_sanitizer(e: &Event) -> bool {
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
fn plain_url(url: &str) -> bool {
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

impl Parsed<'_> {
    /// Everything of the rendering that does not depend on other pages; with
    /// `words`, the text's search words too. The scan comes back with it.
    pub fn prepare(self, raw: RawHtml, words: bool) -> (Scan, Prepared) {
        let mut events = self.events;
        if raw == RawHtml::Escape {
            events = escape_raw_html(events);
        }
        // The sanitizer costs more than the rest of rendering; Markdown without
        // raw HTML, heading attributes or unusual URL schemes produces only
        // what it would keep, so it runs only when the source has one of them.
        let untrusted = raw != RawHtml::Allow && events.iter().any(needs_sanitizer);
        let mut headings = self.scan.headings.iter();
        let mut text = String::new();
        let mut slots = Vec::new();
        let mut notes = Footnotes::default();
        // Links inside an image's alt text are not links: they stay as written.
        let mut in_image = 0usize;
        let mut i = 0;
        while i < events.len() {
            match &events[i] {
                Event::Start(Tag::Image { .. }) => in_image += 1,
                Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
                Event::Start(Tag::Heading { .. }) => {
                    // The scan gave each heading its id, in this order.
                    if let Some(h) = headings.next() {
                        if let Event::Start(Tag::Heading { id, .. }) = &mut events[i] {
                            *id = Some(CowStr::from(h.id.clone()));
                        }
                    }
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    ..
                }) if in_image == 0 => {
                    slots.push(Slot {
                        at: 0,
                        dest: dest_url.to_string(),
                        title: title.to_string(),
                        email: *link_type == pulldown_cmark::LinkType::Email,
                        empty: matches!(events.get(i + 1), Some(Event::End(TagEnd::Link))),
                        text_at: text.len(),
                    });
                    events[i] = Event::InlineHtml(CowStr::Borrowed(SLOT));
                }
                Event::FootnoteReference(label) => {
                    let (id, num) = notes.number(label);
                    events[i] = Event::InlineHtml(CowStr::from(format!(
                        "<sup class=\"footnote-reference\"><a href=\"#{}\">{num}</a></sup>",
                        escape_html(&id)
                    )));
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let label = label.to_string();
                    let end = events[i..]
                        .iter()
                        .position(|e| matches!(e, Event::End(TagEnd::FootnoteDefinition)))
                        .map_or(events.len() - 1, |k| i + k);
                    if notes.defined.insert(label.clone()) {
                        let (id, num) = notes.number(&label);
                        events[i] = Event::Html(CowStr::from(format!(
                            "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{num}</sup>\n",
                            escape_html(&id)
                        )));
                        events[end] = Event::Html(CowStr::Borrowed("</div>\n"));
                    } else {
                        // A second definition of a label: the first one counts.
                        for e in &mut events[i..=end] {
                            *e = Event::Html(CowStr::Borrowed(""));
                        }
                    }
                }
                Event::Text(t) | Event::Code(t) if words => text.push_str(t),
                Event::SoftBreak | Event::HardBreak if words => text.push(' '),
                Event::End(
                    TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
                ) if words => text.push('\n'),
                _ => {}
            }
            i += 1;
        }
        // Every article's HTML waits in memory for its page, so it is sized to
        // fit: about as long as the Markdown (99 % of a large site's within 8 %).
        let mut html = String::with_capacity(self.len + self.len / 10 + 128);
        let mut w = SlotWriter {
            html: &mut html,
            at: Vec::with_capacity(slots.len()),
        };
        // Writing to a String cannot fail.
        let _ = pulldown_cmark::html::write_html_fmt(&mut w, events.into_iter());
        for (s, at) in slots.iter_mut().zip(w.at) {
            s.at = at;
        }
        if html.capacity() > html.len() + html.len() / 4 + 128 {
            html.shrink_to_fit();
        }
        let (mut search, mut runs) = (None, Vec::new());
        if words {
            let at: Vec<usize> = slots
                .iter()
                .filter(|s| s.empty)
                .map(|s| s.text_at)
                .collect();
            let (rest, r) = crate::render::search_index::cut_word_runs(&text, &at);
            search = Some(crate::render::search_index::words([rest.as_str()]));
            runs = r;
        }
        let prepared = Prepared {
            html,
            slots,
            untrusted,
            words: search,
            runs,
        };
        (self.scan, prepared)
    }
}

/// The HTML of a prepared text, its links resolved with `links`.
pub fn finish(p: &Prepared, links: &dyn LinkResolver) -> Rendered {
    use pulldown_cmark_escape::{escape_href, escape_html_body_text};
    let mut html = String::with_capacity(p.html.len() + 64 * p.slots.len());
    let mut names = Vec::new();
    let mut last = 0;
    for s in &p.slots {
        html.push_str(&p.html[last..s.at]);
        last = s.at;
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
                    let _ = escape_html_body_text(&mut html, &r.name);
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
                let _ = escape_href(&mut html, &s.dest);
                if !s.title.is_empty() {
                    html.push_str("\" title=\"");
                    let _ = pulldown_cmark_escape::escape_html(&mut html, &s.title);
                }
                html.push_str("\">");
            }
        }
    }
    html.push_str(&p.html[last..]);
    if html.contains("<table>") {
        // Wide tables scroll on a phone; the wrapper is focusable so keyboards can scroll it.
        html = html
            .replace(
                "<table>",
                "<div class=\"table-wrap\" tabindex=\"0\"><table>",
            )
            .replace("</table>", "</table></div>");
    }
    // Escaped text can still carry `javascript:` links and heading attributes.
    if p.untrusted {
        html = crate::sanitize::clean(&html);
    }
    Rendered { html, names }
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

/// Raw HTML becomes text: an HTML block a paragraph of it, inline HTML
/// inline text. Comments (translators' notes) are dropped, not shown.
fn escape_raw_html(events: Vec<Event>) -> Vec<Event> {
    let mut out = Vec::with_capacity(events.len());
    let mut in_comment = false;
    let mut block: Option<String> = None;
    for ev in events {
        match ev {
            Event::Start(Tag::HtmlBlock) => block = Some(String::new()),
            Event::End(TagEnd::HtmlBlock) => {
                let text = block.take().unwrap_or_default();
                let text = text.trim_end();
                if !text.trim_start().is_empty() {
                    out.push(Event::Start(Tag::Paragraph));
                    out.push(Event::Text(CowStr::from(text.to_string())));
                    out.push(Event::End(TagEnd::Paragraph));
                }
                in_comment = false;
            }
            Event::Html(t) => {
                let text = without_comments(&t, &mut in_comment);
                match block.as_mut() {
                    Some(b) => b.push_str(&text),
                    None => out.push(Event::Text(CowStr::from(text))),
                }
            }
            Event::InlineHtml(t) => {
                if !t.starts_with("<!--") {
                    out.push(Event::Text(t));
                }
            }
            e => out.push(e),
        }
    }
    out
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

#[cfg(test)]
mod sanitizer_choice {
    use super::*;

    #[test]
    fn only_plain_urls_skip_the_sanitizer() {
        for ok in [
            "https://x.org/a",
            "/en/x/",
            "#top",
            "x.md",
            "mailto:a@b.c",
            "skill:empathy",
            "@/articles/a.md",
        ] {
            assert!(plain_url(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:x",
            "java\tscript:x",
            " javascript:x",
            "java\nscript:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc",
        ] {
            assert!(!plain_url(bad), "{bad:?}");
        }
    }

    #[test]
    fn hostile_markdown_without_raw_html_is_still_cleaned() {
        struct NoLinks;
        impl LinkResolver for NoLinks {
            fn resolve(&self, _: &str) -> Option<ResolvedLink> {
                None
            }
        }
        let r = render(
            "[x](javascript:alert(1)) [y](java&#9;script:alert(2))\n\n## H {onclick=alert(3)}\n",
            &NoLinks,
            RawHtml::Sanitize,
        );
        assert!(!r.html.contains("javascript"), "{}", r.html);
        // A percent-encoded tab stays in the URL, which makes it a harmless relative one.
        assert!(!r.html.contains("href=\"java\t"), "{}", r.html);
        assert!(!r.html.contains("onclick"), "{}", r.html);
        let plain = render(
            "[x](https://x.org) and **bold**\n",
            &NoLinks,
            RawHtml::Sanitize,
        );
        assert_eq!(
            plain.html,
            "<p><a href=\"https://x.org\">x</a> and <strong>bold</strong></p>\n"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoLinks;
    impl LinkResolver for NoLinks {
        fn resolve(&self, _: &str) -> Option<ResolvedLink> {
            None
        }
    }

    struct Skills;
    impl LinkResolver for Skills {
        fn resolve(&self, dest: &str) -> Option<ResolvedLink> {
            dest.strip_prefix("skill:").map(|id| ResolvedLink {
                href: format!("/en/skills/{id}/"),
                hreflang: None,
                name: "Empathy".into(),
            })
        }
    }

    #[test]
    fn the_theme_ids_list_has_every_id_of_pages_with_markdown() {
        let mut ids = Vec::new();
        let templates = crate::theme::builtin_files("templates");
        for (name, bytes) in &templates {
            if [
                "base.html",
                "article.html",
                "skill.html",
                "checklist.html",
                "macros.html",
            ]
            .contains(&name.as_str())
            {
                let text = std::str::from_utf8(bytes).unwrap();
                for part in text.split(" id=\"").skip(1) {
                    ids.push(part.split('"').next().unwrap().to_string());
                }
            }
        }
        for (name, bytes) in crate::theme::builtin_files("static") {
            if name.ends_with(".js") {
                let text = std::str::from_utf8(bytes).unwrap();
                for part in text.split("id: \"").skip(1) {
                    ids.push(part.split('"').next().unwrap().to_string());
                }
                // Charts label themselves `<idBase>-title`.
                for part in text.split("chartFigure(").skip(1) {
                    if let Some(base) = part.split("\"cl-chart-").nth(1) {
                        let base = base.split('"').next().unwrap();
                        ids.push(format!("cl-chart-{base}-title"));
                    }
                }
            }
        }
        assert!(ids.len() > 30, "{ids:?}");
        for id in ids {
            assert!(
                THEME_IDS.contains(&id.as_str()),
                "`{id}` is not in THEME_IDS"
            );
        }
    }

    #[test]
    fn raw_html_cannot_take_the_themes_ids() {
        let r = render(
            "## Main\n\n<div id=\"main\">x</div> <span id=\"page-toc\">y</span> <b id=\"own\">z</b>\n",
            &NoLinks,
            RawHtml::Sanitize,
        );
        assert!(r.html.contains("<h2 id=\"main-1\">"), "{}", r.html);
        assert!(!r.html.contains("id=\"main\""), "{}", r.html);
        assert!(!r.html.contains("page-toc"), "{}", r.html);
        assert!(r.html.contains("<b id=\"own\">z</b>"), "{}", r.html);
    }

    #[test]
    fn heading_ids_are_stable_and_unique() {
        let body = "# Intro\n\n## Intro\n\n## Why it matters {#why}\n\n## שלום עולם\n";
        let s = scan(body, 0);
        let ids: Vec<_> = s.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro", "intro-1", "why", "שלום-עולם"]);
        let r = render(body, &NoLinks, RawHtml::Sanitize);
        for id in ids {
            assert!(
                r.html.contains(&format!(" id=\"{id}\">")),
                "{id}: {}",
                r.html
            );
        }
    }

    #[test]
    fn links_are_finished_where_they_were_left_open() {
        let body = "A [](skill:a \"T&\") b [x](https://e.org/?a=1&b \"t\") <me@x.org> \u{FDD0} &#xFDD0; [y](skill:b)\n\n![alt [z](skill:c)](i.png)\n\n| h |\n|---|\n| [w](skill:d) |\n";
        let (_, p) = parse(body, 0).prepare(RawHtml::Sanitize, true);
        let r = finish(&p, &Skills);
        assert!(
            r.html
                .starts_with("<p>A <a href=\"/en/skills/a/\" title=\"T&amp;\">Empathy</a> b "),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<a href=\"https://e.org/?a=1&amp;b\" title=\"t\">x</a>"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<a href=\"mailto:me@x.org\">me@x.org</a>"),
            "{}",
            r.html
        );
        // The user's own U+FDD0, written or as an entity, is text like any other.
        assert!(
            r.html
                .contains("\u{FDD0} \u{FDD0} <a href=\"/en/skills/b/\">y</a>"),
            "{}",
            r.html
        );
        // A link inside an image's alt text is only text.
        assert!(r.html.contains("alt=\"alt z\""), "{}", r.html);
        assert!(r
            .html
            .contains("<div class=\"table-wrap\" tabindex=\"0\"><table>"));
        assert!(
            r.html.contains("<td><a href=\"/en/skills/d/\">w</a></td>"),
            "{}",
            r.html
        );
        assert_eq!(r.html, render(body, &Skills, RawHtml::Sanitize).html);
    }

    #[test]
    fn names_of_empty_links_join_the_letters_around_them_in_search_words() {
        let (_, p) = parse("ב[](skill:x) and more", 0).prepare(RawHtml::Sanitize, true);
        let r = finish(&p, &Skills);
        assert_eq!(r.names, [(2, "Empathy".to_string())]);
        assert_eq!(p.words(&r.names, &[]).unwrap(), "and more בempathy");
        let (_, p) = parse("plain words", 0).prepare(RawHtml::Sanitize, true);
        assert_eq!(p.words(&[], &[]).unwrap(), "plain words");
        let (_, p) = parse("plain words", 0).prepare(RawHtml::Sanitize, false);
        assert!(!p.has_words());
    }

    #[test]
    fn links_carry_their_position() {
        let body = "intro\n\nsee [x](skill:empaty) now";
        let s = scan(body, 10);
        assert_eq!(s.links[0].dest, "skill:empaty");
        assert_eq!(&body[s.links[0].offset - 10..][..12], "skill:empaty");
    }

    #[test]
    fn empty_link_text_takes_the_name() {
        let r = render("see [](skill:empathy).", &Skills, RawHtml::Sanitize);
        assert!(
            r.html
                .contains("<a href=\"/en/skills/empathy/\">Empathy</a>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn escape_shows_html_as_text_and_drops_comments() {
        let body = "a <b>bold</b> <!-- note --> z\n\n<div onclick=\"x()\">\n<!-- open\nstill -->\n<script>alert(1)</script>\n</div>\n\n<!--\nonly a comment\n-->\n\nend\n";
        let r = render(body, &NoLinks, RawHtml::Escape);
        assert!(
            r.html.contains("a &lt;b&gt;bold&lt;/b&gt;  z"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{}",
            r.html
        );
        assert!(
            !r.html.contains("note")
                && !r.html.contains("still")
                && !r.html.contains("only a comment"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<p></p>"), "{}", r.html);
        assert!(r.html.contains("<p>end</p>"), "{}", r.html);
    }

    #[test]
    fn allow_keeps_html_as_written() {
        let r = render("x <b onclick=\"y()\">b</b>\n", &NoLinks, RawHtml::Allow);
        assert!(r.html.contains("<b onclick=\"y()\">b</b>"), "{}", r.html);
    }

    #[test]
    fn footnote_ids_stay_unique() {
        let body = "# Intro\n\nA[^intro], b[^x], again[^intro].\n\n[^x]: X.\n\n[^intro]: First.\n\n[^intro]: Second.\n";
        let r = render(body, &NoLinks, RawHtml::Sanitize);
        assert!(r.html.contains("<h1 id=\"intro\">"), "{}", r.html);
        assert_eq!(r.html.matches("id=\"fn-intro\"").count(), 1, "{}", r.html);
        assert_eq!(
            r.html.matches("href=\"#fn-intro\">1<").count(),
            2,
            "{}",
            r.html
        );
        assert!(r.html.contains("<a href=\"#fn-x\">2</a>"), "{}", r.html);
        assert!(
            r.html.contains("First.") && !r.html.contains("Second."),
            "{}",
            r.html
        );
    }

    #[test]
    fn gfm_extensions_render() {
        let r = render(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~\n\n- [x] done\n\nnote[^1]\n\n[^1]: foot\n",
            &NoLinks,
            RawHtml::Sanitize,
        );
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("checkbox"));
        assert!(r.html.contains("footnote"));
    }
}
