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

/// Tables whose rows leave out cells: pulldown-cmark fills each row up to
/// the table's columns, so a short row of a wide table costs far more than
/// its bytes (in the parser's tree, before any event).
mod tables {
    /// Cells a table may have beyond one per two bytes of its lines (`| `,
    /// `|a`): the parser keeps about 100 bytes per cell.
    const FREE_CELLS: usize = 10_000;

    /// The number of columns of `line` if it may be a table's delimiter
    /// row (`|---|:-:|`), after any quote or list markers: at least as many
    /// as the parser would find.
    fn columns(line: &[u8]) -> Option<usize> {
        let start = line
            .iter()
            .position(|c| {
                !matches!(
                    c,
                    b' ' | b'\t' | b'>' | b'*' | b'+' | b'.' | b')' | b'0'..=b'9'
                )
            })
            .unwrap_or(line.len());
        let rest = &line[start..];
        if !rest.contains(&b'|')
            || !rest.contains(&b'-')
            || !rest
                .iter()
                .all(|c| matches!(c, b'|' | b'-' | b':' | b' ' | b'\t' | b'\r'))
        {
            return None;
        }
        // Each column has a run of dashes; a list's `-` marker counts too.
        let runs = rest.split(|c| *c != b'-').filter(|r| !r.is_empty()).count()
            + usize::from(line[..start].contains(&b'-'));
        Some(runs)
    }

    /// The offset of the first table with more cells than half the bytes of
    /// its lines (and [`FREE_CELLS`] more), and the error to give there.
    pub fn too_many_cells(body: &str) -> Option<(usize, String)> {
        let b = body.as_bytes();
        memchr::memchr(b'|', b)?;
        let lines: Vec<(usize, &[u8])> = {
            let mut v = Vec::new();
            let mut start = 0;
            for end in memchr::memchr_iter(b'\n', b).chain(std::iter::once(b.len())) {
                v.push((start, &b[start..end]));
                start = end + 1;
            }
            v
        };
        let mut i = 0;
        while i < lines.len() {
            let Some(cols) = columns(lines[i].1) else {
                i += 1;
                continue;
            };
            // The rows: every line up to a blank one (more than the parser
            // takes, never fewer).
            let mut rows = 0;
            let mut bytes = lines[i].1.len() + 1;
            if i > 0 {
                bytes += lines[i - 1].1.len() + 1;
            }
            // A row's cells past the columns are parsed too, then dropped.
            let mut cells = cols;
            let mut j = i + 1;
            while j < lines.len() && !lines[j].1.iter().all(u8::is_ascii_whitespace) {
                rows += 1;
                bytes += lines[j].1.len() + 1;
                cells =
                    cells.saturating_add(cols.max(memchr::memchr_iter(b'|', lines[j].1).count()));
                j += 1;
            }
            if cells > bytes / 2 + FREE_CELLS {
                return Some((
                    lines[i].0,
                    format!(
                        "this table has {cols} columns and {rows} rows, {cells} cells in {bytes} bytes (rows that leave cells out are filled with empty ones); the limit is a cell per two bytes: write the cells out as `| x ` or use fewer columns"
                    ),
                ));
            }
            i = j.max(i + 1);
        }
        None
    }
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
        crate::sanitize::THEME_IDS.contains(&id) || self.used.contains_key(id)
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

/// A Markdown text parsed: what the resolve stage needs, and what rendering
/// it needs again.
pub struct Parsed<'a> {
    body: &'a str,
    /// The events of a short text, kept to render it without parsing again;
    /// a long one is parsed again (an event takes 80 bytes, and text can
    /// make two per byte).
    events: Option<Vec<Event<'a>>>,
    pub scan: Scan,
}

/// Texts up to this long keep their events from the scan for rendering.
const KEEP_EVENTS_UP_TO: usize = 256 * 1024;

/// Headings and links of `body`, which starts at byte `base` of its file.
pub fn scan(body: &str, base: usize) -> Scan {
    parse(body, base).scan
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
    fn event(&mut self, body: &str, ev: &Event, range: &std::ops::Range<usize>) {
        if matches!(
            ev,
            Event::Start(_) | Event::Text(_) | Event::Code(_) | Event::Rule
        ) {
            self.nodes += 1;
        }
        if needs_sanitizer(ev) {
            self.untrusted = true;
        }
        let scan = &mut self.scan;
        match ev {
            Event::Start(_) => {
                self.depth += 1;
                if self.depth > MAX_NESTING && scan.too_deep.is_none() {
                    scan.too_deep = Some(self.base + range.start);
                }
            }
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        match ev {
            Event::Start(Tag::Heading {
                level, id, attrs, ..
            }) => {
                // Each becomes an attribute of the heading's tag, which the
                // sanitizer's parser compares with all the tag's others.
                if attrs.len() > crate::html_guard::MAX_TAG_ATTRIBUTES {
                    scan.limits.push((
                        self.base + range.start,
                        format!(
                            "this heading has {} attributes ({{key=value}}); the limit is {}",
                            attrs.len(),
                            crate::html_guard::MAX_TAG_ATTRIBUTES
                        ),
                    ));
                }
                self.heading = Some((
                    level_num(*level),
                    id.as_ref().map(|s| s.to_string()),
                    String::new(),
                    range.start,
                ));
            }
            Event::End(TagEnd::Heading(_)) => {
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
                scan.links.push(LinkRef {
                    dest: dest_url.to_string(),
                    offset: self.base + at,
                    pos: (0, 0),
                });
            }
            _ => {}
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
    let mut s = Scanner {
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
    };
    // pulldown-cmark builds the whole block tree first, empty cells too.
    if let Some((off, msg)) = tables::too_many_cells(body) {
        s.scan.limits.push((base + off, msg));
        return Parsed {
            body,
            events: Some(Vec::new()),
            scan: s.scan,
        };
    }
    let keep = body.len() <= KEEP_EVENTS_UP_TO;
    let mut events = Vec::new();
    let parser = Parser::new_ext(body, options()).into_offset_iter();
    if memchr::memchr(b'<', body.as_bytes()).is_none() {
        // No raw HTML: nothing that could make the sanitizer slow but its
        // nodes, and every top-level block parses the same on its own.
        for (n, (ev, range)) in parser.enumerate() {
            let next_group = s.untrusted || range.start >= s.group_at + MIN_GROUP_BYTES;
            if s.depth == 0 && n > 0 && next_group {
                s.cut(n as u32, range.start, s.nodes);
            }
            s.event(body, &ev, &range);
            if keep {
                events.push(ev);
            }
        }
        s.end_group(s.nodes);
    } else {
        // The HTML as the renderer writes it, measured as the sanitizer
        // would parse it.
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
            if s.depth == 0
                && n > 0
                && (s.untrusted || range.start >= s.group_at + MIN_GROUP_BYTES)
                && guard.borrow_mut().clean()
            {
                let nodes = guard.borrow().nodes();
                s.cut(n as u32, range.start, nodes);
            }
            s.event(body, &ev, &range);
            n += 1;
            // Past the limit the rest need not be measured.
            if s.untrusted && n.is_multiple_of(256) {
                let mut g = guard.borrow_mut();
                if s.sanitized + g.nodes().saturating_sub(s.nodes_before) > MAX_SANITIZED_NODES {
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
        s.end_group(nodes);
        match refused {
            Some((off, Refusal::TooDeep)) => {
                s.scan.too_deep = Some(s.scan.too_deep.map_or(off, |d| d.min(off)))
            }
            Some((off, r)) => s.scan.limits.push((off, r.message(MAX_NESTING))),
            None => {}
        }
    }
    Parsed {
        body,
        events: keep.then_some(events),
        scan: s.scan,
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
    /// Where each group of blocks ends in the HTML (see [`MIN_GROUP_BYTES`]),
    /// and whether it goes through the sanitizer once finished.
    groups: Vec<(usize, bool)>,
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
        use crate::search_index::{merge_words, words};
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

impl<'a> Parsed<'a> {
    /// Everything of the rendering that does not depend on other pages; with
    /// `words`, the text's search words too. The scan comes back with it.
    pub fn prepare(self, raw: RawHtml, words: bool) -> (Scan, Prepared) {
        let len = self.body.len();
        // Raw HTML made text leaves every top-level block on its own.
        let every = raw == RawHtml::Escape;
        let events: Box<dyn Iterator<Item = Event<'a>> + 'a> = match self.events {
            Some(v) => Box::new(v.into_iter()),
            None => Box::new(Parser::new_ext(self.body, options())),
        };
        let html_len = Cell::new(0);
        let events: Box<dyn Iterator<Item = Event<'a>> + 'a> = if raw == RawHtml::Escape {
            Box::new(EscapeHtml {
                inner: events,
                in_comment: false,
                block: None,
                pending: std::collections::VecDeque::new(),
            })
        } else {
            events
        };
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
        let (mut search, mut runs) = (None, Vec::new());
        if words {
            let at: Vec<usize> = slots
                .iter()
                .filter(|s| s.empty)
                .map(|s| s.text_at)
                .collect();
            let (rest, r) = crate::search_index::cut_word_runs(&text, &at);
            search = Some(crate::search_index::words([rest.as_str()]));
            runs = r;
        }
        let prepared = Prepared {
            html,
            slots,
            groups,
            words: search,
            runs,
        };
        (self.scan, prepared)
    }
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
    let mut html = String::with_capacity(p.html.len() + 64 * p.slots.len());
    let mut names = Vec::new();
    let mut last = 0;
    let mut slots = p.slots.iter().peekable();
    // Where each group ends in the finished HTML.
    let mut groups = Vec::with_capacity(p.groups.len());
    for &(end, untrusted) in &p.groups {
        // A link that opens where a group ends is the next group's.
        while let Some(s) = slots.next_if(|s| s.at < end) {
            html.push_str(&p.html[last..s.at]);
            last = s.at;
            open_link(&mut html, s, links, &mut names);
        }
        html.push_str(&p.html[last..end]);
        last = end;
        match groups.last_mut() {
            Some((e, u)) if *u == untrusted => *e = html.len(),
            _ => groups.push((html.len(), untrusted)),
        }
    }
    for s in slots {
        html.push_str(&p.html[last..s.at]);
        last = s.at;
        open_link(&mut html, s, links, &mut names);
    }
    html.push_str(&p.html[last..]);
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

/// Raw HTML becomes text: an HTML block a paragraph of it, inline HTML
/// inline text. Comments (translators' notes) are dropped, not shown.
struct EscapeHtml<'a, I: Iterator<Item = Event<'a>>> {
    inner: I,
    in_comment: bool,
    /// The text of the HTML block being read.
    block: Option<String>,
    pending: std::collections::VecDeque<Event<'a>>,
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
