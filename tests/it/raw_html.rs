//! `markdown.raw_html` in site.yaml: allow, escape, sanitize (the default),
//! in articles and in skills' Markdown fields.

use crate::common;
use common::{Site, SITE_YAML};

const HOSTILE: &str = "Hi <script>alert('x')</script><b onclick=\"steal()\">bold</b>\n\n\
<div class=\"notice\" onmouseover=\"steal()\">Careful <a href=\"javascript:steal()\">here</a></div>\n\n\
<!-- translator's note -->\n\n\
[md link](javascript:steal())\n\n\
## Heading {#kept .notice onclick=steal()}\n\n\
<iframe src=\"https://evil.example\"></iframe><img src=\"x.png\" onerror=\"steal()\" alt=\"pic\">\n\n\
| l | c |\n|:--|:-:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\nNote[^n].\n\n[^n]: A footnote.\n";

/// A sample site whose Hebrew translation (a contributor's file) carries
/// hostile HTML, built with `raw_html` set to `mode` (or left unset).
fn site(mode: Option<&str>) -> Site {
    let s = Site::sample();
    if let Some(m) = mode {
        s.write(
            "site.yaml",
            &format!("{SITE_YAML}markdown:\n  raw_html: {m}\n"),
        );
    }
    s.replace(
        "content/articles/skills/empathy.he.md",
        "אמרו זאת.\n",
        &format!("אמרו זאת.\n\n{HOSTILE}"),
    );
    s.replace(
        "content/skills/empathy.yaml",
        "  en: Listen to **recorded** calls.\n",
        "  en: Listen to **recorded** calls. <img src=x onerror=\"steal()\"> <span dir=\"rtl\">שלום</span>\n",
    );
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    s
}

fn article(s: &Site) -> String {
    let page = s.page("/he/articles/skills/empathy/");
    let start = page.find("אמרו זאת.").expect("article text");
    // The page's own text, not the theme's scripts after it.
    let end = page.rfind("</main>").expect("the end of the main content");
    page[start..end].to_string()
}

fn assert_no_script(html: &str) {
    // Only real tags count: escaped HTML shows as text, with no `<` in it.
    for tag in html.split('<').skip(1).filter_map(|t| t.split('>').next()) {
        let t = tag.to_ascii_lowercase();
        let name = t.split([' ', '/', '\n']).next().unwrap_or("");
        assert!(
            !matches!(name, "script" | "iframe" | "object" | "embed" | "style"),
            "<{tag}> survived in:\n{html}"
        );
        assert!(
            !t.contains(" on") && !t.contains("javascript:"),
            "<{tag}> survived in:\n{html}"
        );
    }
}

/// What Markdown itself produces, which every mode keeps.
fn assert_markdown_kept(html: &str) {
    for good in [
        "<h2 id=\"kept\"",
        "<div class=\"table-wrap\" tabindex=\"0\"><table>",
        "<th style=\"text-align: left\">l</th>",
        "<th style=\"text-align: center\">c</th>",
        "type=\"checkbox\" checked=\"\"",
        "<sup class=\"footnote-reference\"><a href=\"#fn-n\">1</a></sup>",
        "<div class=\"footnote-definition\" id=\"fn-n\"><sup class=\"footnote-definition-label\">1</sup>",
    ] {
        assert!(html.contains(good), "{good} is missing in:\n{html}");
    }
}

#[test]
fn sanitize_is_the_default_and_keeps_markdown() {
    let s = site(None);
    let html = article(&s);
    assert_no_script(&html);
    assert_markdown_kept(&html);
    // Harmless HTML and theme classes stay; the comment goes.
    assert!(html.contains("<b>bold</b>"), "{html}");
    assert!(
        html.contains("<div class=\"notice\">Careful <a>here</a></div>"),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"kept\" class=\"notice\">"), "{html}");
    assert!(html.contains("<img src=\"x.png\" alt=\"pic\">"), "{html}");
    assert!(!html.contains("translator"), "{html}");
    // Skills' Markdown fields go through the same policy.
    let skill = s.page("/en/skills/empathy/");
    assert!(skill.contains("<span dir=\"rtl\">שלום</span>"), "{skill}");
    assert!(!skill.contains("onerror"), "{skill}");
}

#[test]
fn sanitize_written_out_is_the_default() {
    let a = site(None);
    let b = site(Some("sanitize"));
    assert_eq!(a.snapshot(), b.snapshot());
}

#[test]
fn escape_shows_html_as_text() {
    let s = site(Some("escape"));
    let html = article(&s);
    assert_no_script(&html);
    assert_markdown_kept(&html);
    assert!(
        html.contains(
            "Hi &lt;script&gt;alert('x')&lt;/script&gt;&lt;b onclick=\"steal()\"&gt;bold&lt;/b&gt;"
        ) || html.contains("Hi &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("<p>&lt;div class=\"notice\""), "{html}");
    assert!(!html.contains("translator"), "{html}");
    let skill = s.page("/en/skills/empathy/");
    assert!(
        skill.contains("&lt;span dir=\"rtl\"&gt;שלום&lt;/span&gt;"),
        "{skill}"
    );
}

#[test]
fn allow_passes_html_through() {
    let s = site(Some("allow"));
    let html = article(&s);
    assert!(html.contains("<script>alert('x')</script>"), "{html}");
    assert!(html.contains("<b onclick=\"steal()\">bold</b>"), "{html}");
    assert!(html.contains("<!-- translator's note -->"), "{html}");
    assert_markdown_kept(&html);
}

#[test]
fn unknown_mode_names_its_place() {
    let s = Site::sample();
    s.write(
        "site.yaml",
        &format!("{SITE_YAML}markdown:\n  raw_html: strip\n"),
    );
    let r = s.check();
    assert_eq!(r.code, 1, "{}", r.stderr);
    let line = SITE_YAML.lines().count() + 2;
    assert!(
        r.stderr.contains(&format!(
            "error: site.yaml:{line}:13: markdown.raw_html `strip` must be one of: allow, escape, sanitize"
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn unknown_markdown_key_is_refused() {
    let s = Site::sample();
    s.write(
        "site.yaml",
        &format!("{SITE_YAML}markdown:\n  raw_htm: allow\n"),
    );
    let r = s.check();
    assert_eq!(r.code, 1, "{}", r.stderr);
    let line = SITE_YAML.lines().count() + 2;
    assert!(
        r.stderr
            .contains(&format!("error: site.yaml:{line}:3: unknown key `raw_htm`"))
            && r.stderr.contains("did you mean `raw_html`"),
        "{}",
        r.stderr
    );
}
