//! Parts of the default `base.html` that templates receive written out:
//! `header_html`, `nav_html` and `footer_html` (the same on every page of a
//! language, the navigation but for the page it marks as current),
//! `languages_html` and `alternates_html` (from the page's `languages` and
//! `alternates`). Tera looks up every name a template writes, a few
//! thousand instructions each, and these parts are most of a page's names.
//! Each is what the template wrote before, byte for byte; the values they
//! are made of are still there for themes that write their own.

use crate::text::escape_html_to;
use serde_json::{Map, Value};

/// HTML being written.
pub(super) struct Html(pub(super) Vec<u8>);

impl Html {
    fn new() -> Self {
        Html(Vec::with_capacity(2048))
    }

    pub(super) fn raw(&mut self, s: &str) -> &mut Self {
        self.0.extend_from_slice(s.as_bytes());
        self
    }

    /// `{{ s }}` of a string: escaped.
    pub(super) fn text(&mut self, s: &str) -> &mut Self {
        // Writing to a Vec cannot fail.
        let _ = escape_html_to(s, &mut self.0);
        self
    }

    /// `{{ v }}`: a value's text, escaped; nothing for a missing one.
    pub(super) fn val(&mut self, v: Option<&Value>) -> &mut Self {
        match v {
            Some(Value::String(s)) => self.text(s),
            None | Some(Value::Null) => self,
            Some(v) => self.text(&v.to_string()),
        }
    }

    fn done(self) -> String {
        // Only str pieces went in.
        String::from_utf8(self.0).unwrap_or_default()
    }
}

/// Whether `{% if v %}` takes `v` as true.
fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|x| x != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

/// A UI string of the page's language.
pub(super) fn t<'a>(s: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    s.get("t")?.get(key)
}

/// The skip link, the site title, the header's search form and the theme
/// button: everything of the header before the language switcher.
pub fn header(s: &Map<String, Value>) -> String {
    let mut h = Html::new();
    h.raw("<a class=\"skip-link\" href=\"#main\">")
        .val(t(s, "skip_to_content"))
        .raw("</a>\n<header class=\"site-header\" id=\"site-header\">\n  <div class=\"wrap header-row\">\n    <a class=\"site-title\" href=\"")
        .val(s.get("home_url"))
        .raw("\">")
        .val(s.get("site_title"))
        .raw("</a>\n    \n    <form class=\"header-search\" id=\"header-search\" role=\"search\" aria-label=\"")
        .val(t(s, "search_label"))
        .raw("\" action=\"")
        .val(s.get("search_url"))
        .raw("\" method=\"get\" data-index=\"")
        .val(s.get("search_index_url"))
        .raw("\">\n      <label class=\"visually-hidden\" for=\"header-q\">")
        .val(t(s, "search_label"))
        .raw("</label>\n      <input id=\"header-q\" type=\"search\" name=\"q\" autocomplete=\"off\" spellcheck=\"false\" placeholder=\"")
        .val(t(s, "search"))
        .raw("\" aria-keyshortcuts=\"/ Control+K\">\n      <kbd class=\"header-search-key\" aria-hidden=\"true\">/</kbd>\n      <p class=\"visually-hidden\" id=\"header-status\" role=\"status\"></p>\n      <div class=\"header-results\" id=\"header-results\" hidden></div>\n    </form>\n    <div class=\"header-tools\">\n      <button type=\"button\" class=\"icon-button theme-toggle\" id=\"theme-toggle\" aria-pressed=\"false\" hidden><svg aria-hidden=\"true\" focusable=\"false\" viewBox=\"0 0 24 24\" width=\"20\" height=\"20\"><path d=\"M12 3a9 9 0 1 0 9 9 7 7 0 0 1-9-9z\" fill=\"currentColor\"/></svg><span class=\"button-text\">")
        .val(t(s, "dark_mode"))
        .raw("</span></button>");
    h.done()
}

/// The language switcher, when the page has more than one version.
pub fn languages(s: &Map<String, Value>, languages: Option<&Value>) -> String {
    let mut h = Html::new();
    h.raw("      ");
    let list = languages.and_then(Value::as_array).filter(|l| l.len() > 1);
    if let Some(list) = list {
        h.raw("\n      <nav class=\"lang-switcher\" aria-label=\"")
            .val(t(s, "languages_label"))
            .raw("\">\n        <ul>\n          ");
        for l in list {
            h.raw("<li><a href=\"")
                .val(l.get("url"))
                .raw("\" hreflang=\"")
                .val(l.get("code"))
                .raw("\" lang=\"")
                .val(l.get("code"))
                .raw("\" dir=\"")
                .val(l.get("dir"))
                .raw("\"");
            if truthy(l.get("current")) {
                h.raw(" aria-current=\"page\"");
            }
            h.raw(">").val(l.get("name")).raw("</a></li>\n          ");
        }
        h.raw("\n        </ul>\n      </nav>\n      ");
    }
    h.done()
}

/// The site navigation, marking the page of `kind` (or the topic page of
/// `topic`) as the current one.
pub fn nav(s: &Map<String, Value>, kind: &str, topic: Option<&str>) -> String {
    let current = |k: &str| {
        if kind == k {
            " aria-current=\"page\""
        } else {
            ""
        }
    };
    let mut h = Html::new();
    h.raw("    </div>\n  </div>\n  <div class=\"wrap nav-row\">\n    <button type=\"button\" class=\"menu-toggle\" id=\"menu-toggle\" aria-expanded=\"false\" aria-controls=\"site-nav\" hidden><svg aria-hidden=\"true\" focusable=\"false\" viewBox=\"0 0 24 24\" width=\"20\" height=\"20\"><path d=\"M3 6h18M3 12h18M3 18h18\" stroke=\"currentColor\" stroke-width=\"2\" fill=\"none\"/></svg>")
        .val(t(s, "menu"))
        .raw("</button>\n    <nav class=\"site-nav\" id=\"site-nav\" aria-label=\"")
        .val(t(s, "nav_label"))
        .raw("\">\n      <ul>\n        <li class=\"nav-home\"><a href=\"")
        .val(s.get("home_url"))
        .raw("\"")
        .raw(current("home"))
        .raw(">")
        .val(t(s, "home"))
        .raw("</a></li>\n        <li><a href=\"")
        .val(s.get("skills_url"))
        .raw("\"")
        .raw(current("skills"))
        .raw(">")
        .val(t(s, "skills"))
        .raw("</a></li>\n        <li><a href=\"")
        .val(s.get("checklists_url"))
        .raw("\"")
        .raw(current("checklists"))
        .raw(">")
        .val(t(s, "checklists"))
        .raw("</a></li>\n        ");

    for tp in s
        .get("topics_nav")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        h.raw("<li><a href=\"").val(tp.get("url")).raw("\"");
        if topic.is_some() && topic == tp.get("id").and_then(Value::as_str) {
            h.raw(" aria-current=\"page\"");
        }
        h.raw(">").val(tp.get("name")).raw("</a></li>\n        ");
    }
    h.raw("\n        <li class=\"nav-search\"><a href=\"")
        .val(s.get("search_url"))
        .raw("\"")
        .raw(current("search"))
        .raw(">")
        .val(t(s, "search"))
        .raw("</a></li>\n      </ul>\n    </nav>\n  </div>\n</header>");
    h.done()
}

/// Whether a page of `kind` (or a topic's page) has a navigation of its
/// own: one that marks it as the current page.
pub fn marks_current(kind: &str, topic: bool) -> bool {
    matches!(kind, "home" | "skills" | "checklists" | "search") || topic
}

/// The footer and the scripts every page loads.
pub fn footer(s: &Map<String, Value>) -> String {
    let mut h = Html::new();
    h.raw("<footer class=\"site-footer\" id=\"site-footer\">\n  <div class=\"wrap\">\n    <p>")
        .val(s.get("site_title"))
        .raw(" · <a href=\"")
        .val(s.get("feed_url"))
        .raw("\">")
        .val(t(s, "feed"))
        .raw("</a>");
    if truthy(s.get("translation_status_url")) {
        h.raw(" · <a href=\"")
            .val(s.get("translation_status_url"))
            .raw("\">")
            .val(t(s, "ts_title"))
            .raw("</a>");
    }
    h.raw("</p>\n    <p class=\"footer-note\">")
        .val(t(s, "footer_note"))
        .raw("</p>\n  </div>\n</footer>\n<script type=\"application/json\" id=\"search-data\">");
    if let Some(Value::String(d)) = s.get("search_data") {
        h.raw(d);
    }
    h.raw("</script>\n<script src=\"")
        .val(s.get("static_url"))
        .raw("site.js\" defer></script>\n<script src=\"")
        .val(s.get("static_url"))
        .raw("search.js\" defer></script>");
    h.done()
}

/// The page's `<link rel="alternate" hreflang>` lines: (hreflang, URL).
pub fn alternates<'a>(alts: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    let mut h = Html::new();
    for (lang, href) in alts {
        h.raw("<link rel=\"alternate\" hreflang=\"")
            .text(lang)
            .raw("\" href=\"")
            .text(href)
            .raw("\">\n");
    }
    h.done()
}
