//! The HTML policy of `markdown.raw_html: sanitize` (and `escape`): what
//! Markdown itself produces survives, script does not.

use std::borrow::Cow;
use std::sync::LazyLock;

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
    "site-nav",
    "menu-toggle",
    "theme-toggle",
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
    // checklist.js (added with the managers' flows)
    "cl-ask",
    "cl-ask-cancel",
    "cl-ask-discard",
    "cl-ask-keep",
    "cl-ask-rename",
    "cl-ask-save-new",
    "cl-ask-text",
    "cl-bar",
    "cl-bar-count",
    "cl-bar-meter",
    "cl-bar-save",
    "cl-bar-score",
    "cl-export-team-csv",
    "cl-privacy",
    "cl-save-new",
    "cl-team-link",
    // checklist.js (progress over time, comparison, printed report)
    "cl-ask-redate",
    "cl-chart-report-title",
    "cl-people-table",
    "cl-print-report",
    "cl-report",
    "cl-report-trend-title",
    "cl-save-hint",
    "cl-trend",
    "cl-trend-chart-title",
    "cl-trend-table",
    "cl-trend-title",
    "cl-versus",
    // base.html: the header's search field and its data
    "header-q",
    "header-results",
    "header-search",
    "header-status",
    "search-data",
];

/// Classes that Markdown output or the theme's stylesheet gives meaning to.
const CLASSES: &[&str] = &[
    "table-wrap",
    "footnote-reference",
    "footnote-definition",
    "footnote-definition-label",
    "notice",
    "print-only",
    "no-print",
];

static POLICY: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input"])
        // heading anchors, footnote targets, theme classes, bidi text
        .add_generic_attributes(["id", "class", "dir"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("div", ["tabindex"])
        .add_tag_attributes("pre", ["tabindex"])
        // task-list boxes, and nothing else an <input> could be
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .set_tag_attribute_value("input", "type", "checkbox")
        .set_tag_attribute_value("input", "disabled", "")
        // Markdown's links are the author's; no rel is added to them.
        .link_rel(None)
        .attribute_filter(filter_attribute);
    b
});

fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match attribute {
        "class" => {
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|c| CLASSES.contains(c) || (element == "code" && is_language_class(c)))
                .collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }
        // The theme's own ids stay unique on the page.
        "id" => (!THEME_IDS.contains(&value)).then_some(Cow::Borrowed(value)),
        // Table column alignment is the only style Markdown writes.
        "style" => matches!(
            value,
            "text-align: left" | "text-align: center" | "text-align: right"
        )
        .then_some(Cow::Borrowed(value)),
        _ => Some(Cow::Borrowed(value)),
    }
}

/// `language-rust`, `language-c++`: code block info strings.
fn is_language_class(c: &str) -> bool {
    c.strip_prefix("language-").is_some_and(|l| {
        !l.is_empty()
            && l.chars()
                .all(|ch| ch.is_alphanumeric() || matches!(ch, '-' | '_' | '+' | '#' | '.'))
    })
}

/// `html` without script, event handlers, `javascript:` URLs, styles,
/// forms or frames; comments removed.
pub fn clean(html: &str) -> String {
    POLICY.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn script_and_handlers_go() {
        let out = clean(
            "<p onclick=\"x()\">a<script>alert(1)</script><a href=\"javascript:alert(1)\">b</a></p>",
        );
        assert_eq!(out, "<p>a<a>b</a></p>");
    }

    #[test]
    fn markdown_output_stays() {
        let html = "<h2 id=\"why\" class=\"notice evil\">Why</h2>\n<div class=\"table-wrap\" tabindex=\"0\"><table><thead><tr><th style=\"text-align: center\">a</th><td style=\"color: red\">b</td></tr></thead></table></div>\n<pre><code class=\"language-rust\">x</code></pre>\n<ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\">done</li></ul>";
        let out = clean(html);
        assert!(out.contains("<h2 id=\"why\" class=\"notice\">"), "{out}");
        assert!(
            out.contains("<div class=\"table-wrap\" tabindex=\"0\">"),
            "{out}"
        );
        assert!(out.contains("<th style=\"text-align: center\">"), "{out}");
        assert!(out.contains("<td>b</td>"), "{out}");
        assert!(out.contains("<code class=\"language-rust\">"), "{out}");
        assert!(
            out.contains("<input disabled=\"\" type=\"checkbox\" checked=\"\">"),
            "{out}"
        );
    }

    #[test]
    fn the_themes_ids_are_dropped() {
        let out = clean("<p id=\"main\">a</p><h2 id=\"site-header\">b</h2><p id=\"mine\">c</p>");
        assert_eq!(out, "<p>a</p><h2>b</h2><p id=\"mine\">c</p>");
    }

    #[test]
    fn inputs_can_only_be_disabled_checkboxes() {
        let out = clean("<input type=\"text\" name=\"pw\" onfocus=\"x()\">");
        assert!(out.contains("type=\"checkbox\""), "{out}");
        assert!(out.contains("disabled=\"\""), "{out}");
        assert!(!out.contains("text") && !out.contains("pw") && !out.contains("onfocus"));
    }
}
