//! Markdown: one scan at load time (headings and links, with positions, for
//! the resolve stage) and the rendering to HTML with links resolved.

use crate::html_guard::{HtmlGuard, Refusal};
use crate::text::escape_html;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link written in Markdown, with where its destination stands in the file.
#[derive(Debug, Clone)]
pub struct LinkRef {
    pub dest: String,
    /// Byte offset of the destination in the file's text.
    pub offset: usize,
    /// Its line and column, found at load (the body's text may not stay).
    pub pos: (usize, usize),
}

/// What happens to raw HTML written in Markdown (`markdown.raw_html`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RawHtml {
    /// Passed through as written: for sites whose every author is trusted.
    Allow,
    /// Shown as text (comments dropped).
    Escape,
    /// Kept, minus anything that could run script.
    #[default]
    Sanitize,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Lists, quotes and HTML elements nested deeper than this are refused: no
/// real text needs it, and the HTML sanitizer slows down quadratically with
/// depth.
pub const MAX_NESTING: usize = 100;

/// More links than this in one text are refused, so that one page cannot
/// flood the link checks and the error output.
pub const MAX_LINKS: usize = 10_000;

/// A text is sanitized in groups of top-level blocks, each on its own and
/// only if it needs it (raw HTML, heading attributes, unusual URLs): a group
/// begins where the sanitizer's parser would be back where it began, after
/// a group that needs the sanitizer or at least this many bytes after the
/// last.
const MIN_GROUP_BYTES: usize = 1024;

/// More nodes (elements, texts) than this in the groups of a text that need
/// the sanitizer are refused: ammonia takes about a microsecond and 200
/// bytes for each.
pub const MAX_SANITIZED_NODES: u64 = 250_000;

/// More headings than this in one text are refused: each has an id, a
/// place in the page's table of contents and an entry in its template data.
pub const MAX_HEADINGS: usize = 50_000;

/// What the resolve stage needs to know of a Markdown text.
#[derive(Debug, Default)]
pub struct Scan {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    /// Explicit `{#id}`s written twice (offset of the second).
    pub duplicate_ids: Vec<(String, usize)>,
    /// Where nesting first goes deeper than [`MAX_NESTING`].
    pub too_deep: Option<usize>,
    /// Other limits broken (offset, message): tables and raw HTML that
    /// would cost too much to render or sanitize.
    pub limits: Vec<(usize, String)>,
    /// The events that begin a group (see [`MIN_GROUP_BYTES`]), by number.
    cuts: Vec<u32>,
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
        out.extend(self.limits.iter().cloned());
        out
    }
}

mod escape;
mod held;
mod html;
mod ids;
mod tables;

pub use html::*;
pub use ids::slugify;
use ids::IdAllocator;

fn level_num(l: HeadingLevel) -> u8 {
    l as u8
}

/// A Markdown text parsed: what the resolve stage needs, and what rendering
/// it needs again.
pub struct Parsed<'a> {
    body: &'a str,
    /// The events of a short text, kept to render it without parsing again
    /// when the caller will render it; a long one is parsed again (an event
    /// takes 80 bytes, and text can make two per byte).
    events: Option<Vec<Event<'a>>>,
    pub scan: Scan,
}

/// Texts up to this long keep their events from the scan for rendering.
const KEEP_EVENTS_UP_TO: usize = 256 * 1024;

/// Headings and links of `body`, which starts at byte `base` of its file.
pub fn scan(body: &str, base: usize) -> Scan {
    parse_keeping(body, base, false).scan
}

/// Follows a text's events for the scan.
struct Scanner {
    base: usize,
    scan: Scan,
    ids: IdAllocator,
    heading: Option<(u8, Option<String>, String, usize)>,
    headings: usize,
    depth: usize,
    /// The group being read: its first byte, whether it needs the
    /// sanitizer, and the nodes made before it.
    group_at: usize,
    untrusted: bool,
    nodes_before: u64,
    /// Nodes so far as events tell (elements and texts; raw HTML's are
    /// counted by the guard).
    nodes: u64,
    /// Nodes of the groups that need the sanitizer.
    sanitized: u64,
}

impl Scanner {
    /// Ends the group being read, `nodes` nodes having been made so far;
    /// the next begins at event number `n`, at byte `at`.
    fn cut(&mut self, n: u32, at: usize, nodes: u64) {
        self.end_group(nodes);
        self.scan.cuts.push(n);
        self.group_at = at;
        self.untrusted = false;
        self.nodes_before = nodes;
    }

    fn end_group(&mut self, nodes: u64) {
        if !self.untrusted {
            return;
        }
        let before = self.sanitized;
        self.sanitized += nodes.saturating_sub(self.nodes_before);
        if self.sanitized > MAX_SANITIZED_NODES && before <= MAX_SANITIZED_NODES {
            self.scan.limits.push((
                self.base + self.group_at,
                format!("the raw HTML here (with the Markdown inside it) makes more than {MAX_SANITIZED_NODES} elements and texts for the sanitizer to clean; use less raw HTML, or split the text"),
            ));
        }
    }
}

impl Scanner {
    fn new(base: usize) -> Self {
        Scanner {
            base,
            scan: Scan::default(),
            ids: IdAllocator::default(),
            heading: None,
            headings: 0,
            depth: 0,
            group_at: 0,
            untrusted: false,
            nodes_before: 0,
            nodes: 0,
            sanitized: 0,
        }
    }

    fn event(&mut self, body: &str, ev: &Event, range: &std::ops::Range<usize>) {
        self.count(ev, range.start);
        match ev {
            Event::Start(Tag::Heading {
                level, id, attrs, ..
            }) => self.start_heading(
                level_num(*level),
                id.as_ref().map(|s| s.to_string()),
                attrs.len(),
                range.start,
            ),
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = self.heading.as_mut() {
                    h.2.push_str(t);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let src = &body[range.clone()];
                let at = src
                    .rfind(dest_url.as_ref())
                    .map_or(range.start, |i| range.start + i);
                self.scan.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    offset: self.base + at,
                    pos: (0, 0),
                });
            }
            _ => {}
        }
    }

    /// Counts the nodes, notes raw HTML and follows the nesting (the event
    /// starting at byte `start`).
    fn count(&mut self, ev: &Event, start: usize) {
        if matches!(
            ev,
            Event::Start(_) | Event::Text(_) | Event::Code(_) | Event::Rule
        ) {
            self.nodes += 1;
        }
        if needs_sanitizer(ev) {
            self.untrusted = true;
        }
        match ev {
            Event::Start(_) => {
                self.depth += 1;
                if self.depth > MAX_NESTING && self.scan.too_deep.is_none() {
                    self.scan.too_deep = Some(self.base + start);
                }
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
    }

    fn start_heading(&mut self, level: u8, id: Option<String>, attrs: usize, start: usize) {
        // Each becomes an attribute of the heading's tag, which the
        // sanitizer's parser compares with all the tag's others.
        if attrs > crate::html_guard::MAX_TAG_ATTRIBUTES {
            self.scan.limits.push((
                self.base + start,
                format!(
                    "this heading has {} attributes ({{key=value}}); the limit is {}",
                    attrs,
                    crate::html_guard::MAX_TAG_ATTRIBUTES
                ),
            ));
        }
        self.heading = Some((level, id, String::new(), start));
    }

    fn end_heading(&mut self) {
        let scan = &mut self.scan;
        self.headings += 1;
        if self.headings > MAX_HEADINGS {
            if let Some((.., start)) = self.heading.take() {
                if self.headings == MAX_HEADINGS + 1 {
                    scan.limits.push((
                        self.base + start,
                        format!("this text has more than {MAX_HEADINGS} headings; split it into several articles"),
                    ));
                }
            }
        } else if let Some((level, explicit, text, start)) = self.heading.take() {
            let text = text.trim().to_string();
            let id = match explicit {
                Some(id) => {
                    if !self.ids.explicit(&id) {
                        scan.duplicate_ids.push((id.clone(), self.base + start));
                    }
                    id
                }
                None => self.ids.auto(&text),
            };
            scan.headings.push(Heading { level, id, text });
        }
    }
}

/// Where the HTML being written comes from: the source offset of the
/// current event, whether the HTML is its text as written (raw HTML, so
/// each byte has its own place), and a count of events.
#[derive(Clone, Copy, Default)]
struct At {
    start: usize,
    /// Raw HTML (an `Html` or `InlineHtml` event).
    html: bool,
    raw: bool,
    event: u64,
}

/// Gives the HTML of a text's events to an [`HtmlGuard`].
struct GuardWriter<'g> {
    guard: &'g RefCell<HtmlGuard>,
    at: &'g Cell<At>,
    /// The event written last, and how much of its HTML was written.
    event: u64,
    written: usize,
}

impl std::fmt::Write for GuardWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let at = self.at.get();
        if at.event != self.event {
            self.event = at.event;
            self.written = 0;
        }
        let before = self.written;
        let mut guard = self.guard.borrow_mut();
        if at.html {
            guard.feed(s, &|i| {
                if at.raw {
                    at.start + before + i
                } else {
                    at.start
                }
            });
        } else {
            guard.feed_markup(s, at.start);
        }
        self.written += s.len();
        Ok(())
    }
}

/// Parse `body` (which starts at byte `base` of its file) and scan it.
pub fn parse(body: &str, base: usize) -> Parsed<'_> {
    parse_keeping(body, base, true)
}

/// [`parse`], keeping the events for rendering only with `keep` (a run
/// that renders nothing would copy and drop them for nothing).
pub fn parse_keeping(body: &str, base: usize, keep: bool) -> Parsed<'_> {
    let mut s = Scanner::new(base);
    // pulldown-cmark builds the whole block tree first, empty cells too.
    if let Some((off, msg)) = tables::too_many_cells(body) {
        s.scan.limits.push((base + off, msg));
        return Parsed {
            body,
            events: Some(Vec::new()),
            scan: s.scan,
        };
    }
    let keep = keep && body.len() <= KEEP_EVENTS_UP_TO;
    let mut events = Vec::new();
    let parser = Parser::new_ext(body, options()).into_offset_iter();
    if memchr::memchr(b'<', body.as_bytes()).is_none() {
        s.scan_plain(body, parser, keep, &mut events);
    } else {
        s.scan_measured(body, parser, keep, &mut events);
    }
    Parsed {
        body,
        events: keep.then_some(events),
        scan: s.scan,
    }
}

impl Scanner {
    /// Scans a text without raw HTML: nothing that could make the sanitizer
    /// slow but its nodes, and every top-level block parses the same on its
    /// own. With `keep`, the events go to `events`.
    fn scan_plain<'a>(
        &mut self,
        body: &'a str,
        parser: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
        keep: bool,
        events: &mut Vec<Event<'a>>,
    ) {
        for (n, (ev, range)) in parser.enumerate() {
            let next_group = self.untrusted || range.start >= self.group_at + MIN_GROUP_BYTES;
            if self.depth == 0 && n > 0 && next_group {
                self.cut(n as u32, range.start, self.nodes);
            }
            self.event(body, &ev, &range);
            if keep {
                events.push(ev);
            }
        }
        self.end_group(self.nodes);
    }

    /// Scans a text with raw HTML: the HTML as the renderer writes it,
    /// measured as the sanitizer would parse it.
    fn scan_measured<'a>(
        &mut self,
        body: &'a str,
        parser: impl Iterator<Item = (Event<'a>, std::ops::Range<usize>)>,
        keep: bool,
        events: &mut Vec<Event<'a>>,
    ) {
        let base = self.base;
        let guard = RefCell::new(HtmlGuard::new(MAX_NESTING));
        let at = Cell::new(At::default());
        let w = GuardWriter {
            guard: &guard,
            at: &at,
            event: u64::MAX,
            written: 0,
        };
        let mut n = 0u64;
        let evs = parser.map(|(ev, range)| {
            // The HTML of the events before this one has been measured.
            if self.depth == 0
                && n > 0
                && (self.untrusted || range.start >= self.group_at + MIN_GROUP_BYTES)
                && guard.borrow_mut().clean()
            {
                let nodes = guard.borrow().nodes();
                self.cut(n as u32, range.start, nodes);
            }
            self.event(body, &ev, &range);
            n += 1;
            // Past the limit the rest need not be measured.
            if self.untrusted && n.is_multiple_of(256) {
                let mut g = guard.borrow_mut();
                if self.sanitized + g.nodes().saturating_sub(self.nodes_before)
                    > MAX_SANITIZED_NODES
                {
                    g.stop();
                }
            }
            let html = matches!(&ev, Event::Html(_) | Event::InlineHtml(_));
            let raw = matches!(&ev, Event::Html(t) | Event::InlineHtml(t)
                if body[range.start..].starts_with(t.as_ref()));
            at.set(At {
                start: base + range.start,
                html,
                raw,
                event: n,
            });
            if keep {
                events.push(ev.clone());
            }
            ev
        });
        // Writing to the guard cannot fail.
        let _ = pulldown_cmark::html::write_html_fmt(w, evs);
        let refused = guard.borrow_mut().finish();
        let nodes = guard.borrow().nodes();
        self.end_group(nodes);
        match refused {
            Some((off, Refusal::TooDeep)) => {
                self.scan.too_deep = Some(self.scan.too_deep.map_or(off, |d| d.min(off)))
            }
            Some((off, r)) => self.scan.limits.push((off, r.message(MAX_NESTING))),
            None => {}
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
    use crate::sanitize::THEME_IDS;

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
    fn packed_html_finishes_as_the_plain_one() {
        let body = "# Kėdainiai\n\nŻółć [](skill:e) and [a **link**](skill:x \"t\") \
                    <b>raw</b>.\n\n| a | b |\n|---|---|\n| ą | ב[](skill:y) |\n\n\
                    Footnote[^1].\n\n[^1]: שלום [x](https://example.org).\n"
            .repeat(40);
        let (_, plain) = parse(&body, 0).prepare(RawHtml::Sanitize, true);
        let packed = plain.packed();
        let (a, b) = (finish(&plain, &Skills), finish(&packed, &Skills));
        assert!(a.html.len() > body.len() / 2 && a.html.contains("/en/skills/e/"));
        assert_eq!(a.html, b.html);
        assert_eq!(a.names, b.names);
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
    fn only_the_blocks_that_need_it_are_sanitized() {
        // The sanitizer writes U+00A0 as `&nbsp;`; the Markdown writer as is.
        let long = "a\u{a0}b ".repeat(2000);
        let body = format!("{long}\n\n<b onclick=\"x()\">hi</b>\n\n{long}\n");
        let r = render(&body, &NoLinks, RawHtml::Sanitize);
        let (before, after) = r.html.split_once("<p><b>hi</b></p>").expect("the <b>");
        assert!(before.contains('\u{a0}') && !before.contains("&nbsp;"));
        assert!(after.contains('\u{a0}') && !after.contains("&nbsp;"));
        // A <div> left open takes the Markdown after it into its group.
        let body = format!("{long}\n\n<div onclick=\"x()\">\n\n{long}\n\n*end*\n");
        let r = render(&body, &NoLinks, RawHtml::Sanitize);
        let (before, after) = r.html.split_once("<div>").expect("the div");
        assert!(before.contains('\u{a0}') && !before.contains("&nbsp;"));
        assert!(after.contains("&nbsp;") && after.contains("<em>end</em>"));
        assert!(!r.html.contains("onclick"));
        // Escaped HTML needs no sanitizer; heading attributes do, alone.
        let body = format!("{long}\n\n<div onclick=\"x()\">\n\n{long}\n\n## H {{onclick=y}}\n");
        let r = render(&body, &NoLinks, RawHtml::Escape);
        assert!(
            !r.html.contains("&nbsp;") && !r.html.contains("onclick=\"y"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<h2 id=\"h\">H</h2>"), "{}", r.html);
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
        assert_eq!(p.words(&r.names, &[]).unwrap().text(), "and more בempathy");
        let (_, p) = parse("plain words", 0).prepare(RawHtml::Sanitize, true);
        assert_eq!(p.words(&[], &[]).unwrap().text(), "plain words");
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
