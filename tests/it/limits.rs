//! Inputs built to exhaust the builder (deep nesting, link floods, YAML
//! alias bombs) end in a clear error at their place, not in a hang or a crash.

use crate::common;
use common::{Site, SITE_YAML};

fn article(body: &str) -> String {
    format!("---\ntitle: Flood\n---\n{body}")
}

/// `check` fails with exactly this error line (among others).
fn assert_error(s: &Site, line: &str) {
    let r = s.check();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.lines().any(|l| l == line),
        "no `{line}` in:\n{}",
        r.stderr
    );
}

const DEEP: &str =
    "lists, quotes or HTML elements nest more than 100 levels deep here; flatten the text";

#[test]
fn deeply_nested_lists_are_refused() {
    let s = Site::sample();
    s.write(
        "content/articles/skills/deep.en.md",
        &article(&format!("Intro.\n\n{}x\n", "- ".repeat(50_000))),
    );
    // A list and its item per `- `: the 51st passes the limit, at column 101.
    assert_error(
        &s,
        &format!("error: content/articles/skills/deep.en.md:6:101: {DEEP}"),
    );
}

#[test]
fn deeply_nested_quotes_and_html_are_refused() {
    let s = Site::sample();
    s.write(
        "content/articles/skills/quotes.en.md",
        &article(&format!("{} x\n", ">".repeat(50_000))),
    );
    s.write(
        "content/articles/skills/divs.en.md",
        &article(&format!("ok\n\n{}x\n", "<div>".repeat(50_000))),
    );
    let r = s.check();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "content/articles/skills/quotes.en.md:4:101: {DEEP}"
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(&format!("content/articles/skills/divs.en.md:6:501: {DEEP}")),
        "{}",
        r.stderr
    );
}

#[test]
fn moderate_nesting_still_builds() {
    let s = Site::sample();
    let list: String = (0..40)
        .map(|i| format!("{}- level {i}\n", "  ".repeat(i)))
        .collect();
    s.write(
        "content/articles/skills/nested.en.md",
        &article(&format!(
            "{list}\n{} quoted\n\n{}deep{}\n",
            ">".repeat(40),
            "<div>".repeat(40),
            "</div>".repeat(40)
        )),
    );
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    let page = s.page("/en/articles/skills/nested/");
    assert!(page.contains("level 39"));
    assert_eq!(page.matches("<blockquote>").count(), 40);
}

#[test]
fn nesting_in_a_skill_field_names_the_field() {
    let s = Site::sample();
    s.replace(
        "content/skills/empathy.yaml",
        "  en: Callers calm down.\n",
        &format!("  en: \"{} x\"\n", ">".repeat(200)),
    );
    assert_error(
        &s,
        &format!("error: content/skills/empathy.yaml:5:3: `why.en`: {DEEP}"),
    );
}

#[test]
fn thousands_of_links_build_and_too_many_are_refused() {
    let s = Site::sample();
    let links = "[](skill:empathy) [w](@/articles/skills/waiting.md#on-hold) ".repeat(2_500);
    s.write("content/articles/skills/links.en.md", &article(&links));
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    let page = s.page("/en/articles/skills/links/");
    assert_eq!(
        page.matches("<a href=\"/en/skills/empathy/\">Empathy</a>")
            .count(),
        2_500
    );

    let flood = "[x](skill:empathy)\n".repeat(10_001);
    s.write("content/articles/skills/links.en.md", &article(&flood));
    assert_error(
        &s,
        "error: content/articles/skills/links.en.md:10004:5: this text has 10001 links; the limit is 10000: split it into several articles",
    );
}

/// Nine aliases, each of nine of the previous: 9^9 strings once expanded.
fn alias_bomb(indent: &str) -> String {
    let mut y = format!("{indent}a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let p = w[0];
        y.push_str(&format!(
            "{indent}{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n",
            n = w[1]
        ));
    }
    y
}

#[test]
fn yaml_alias_bomb_in_site_yaml_is_refused() {
    let s = Site::sample();
    s.write(
        "site.yaml",
        &format!("{}categories:\n{}", SITE_YAML, alias_bomb("  ")),
    );
    let line = SITE_YAML.lines().count() + 3;
    assert_error(
        &s,
        &format!("error: site.yaml:{line}:10: invalid YAML: aliases (`*name`) expand to too much text here; write the values out instead"),
    );
}

#[test]
fn yaml_alias_bomb_in_front_matter_is_refused() {
    let s = Site::sample();
    let bomb = alias_bomb("    ");
    s.write(
        "content/articles/skills/bomb.he.md",
        &format!("---\ntitle: x\ntranslation:\n  source: en\n  source_hash:\n{bomb}---\nx\n"),
    );
    // Line 7 holds the first alias, `*a`, at column 12.
    assert_error(
        &s,
        "error: content/articles/skills/bomb.he.md:7:12: invalid YAML: aliases (`*name`) expand to too much text here; write the values out instead",
    );
}

#[test]
fn deeply_nested_yaml_is_refused() {
    let s = Site::sample();
    s.replace(
        "content/skills/patience.yaml",
        "related: [empathy]\n",
        &format!("related: {}\n", "[".repeat(100_000)),
    );
    assert_error(
        &s,
        "error: content/skills/patience.yaml:7:110: the YAML nests more than 100 `[` or `{` deep here",
    );
    s.write(
        "content/articles/skills/deep.en.md",
        &format!("---\ntitle: x\nskills: {}\n---\nx\n", "{a: ".repeat(200)),
    );
    let r = s.check();
    assert!(
        r.stderr.contains("content/articles/skills/deep.en.md:3:"),
        "{}",
        r.stderr
    );
}

#[test]
fn many_repeated_ids_give_one_error() {
    let s = Site::sample();
    let mut skill = String::from("category: c\nname: { en: Flood }\nindicators:\n");
    for _ in 0..30_000 {
        skill.push_str("  - id: same\n    text: { en: t }\n");
    }
    s.write("content/skills/flood.yaml", &skill);
    let r = s.check();
    assert_eq!(r.code, 1, "{}", r.stderr);
    let msgs: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains("the indicator id `same` is used twice"))
        .collect();
    assert_eq!(
        msgs,
        ["error: content/skills/flood.yaml:6:5: the indicator id `same` is used twice (first on line 4); ids must be unique"]
    );
}

#[test]
fn many_equal_headings_get_distinct_ids() {
    let s = Site::sample();
    s.write(
        "content/articles/skills/heads.en.md",
        &article(&"## Step\n\ntext\n\n".repeat(20_000)),
    );
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    let page = s.page("/en/articles/skills/heads/");
    assert!(page.contains("<h2 id=\"step\">") && page.contains("<h2 id=\"step-19999\">"));
}

#[test]
fn an_empty_key_is_named_not_searched_forever() {
    let s = Site::sample();
    s.replace(
        "content/skills/patience.yaml",
        "related: [empathy]\n",
        "related: [empathy]\n\"\": x\n",
    );
    let r = s.check();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("error: content/skills/patience.yaml:")
            && r.stderr.contains("unknown key ``"),
        "{}",
        r.stderr
    );
}

/// `servicekb build` of `s` with its address space capped at `mb` MB (as
/// `ulimit -v` sets it): an input whose memory grows past its bound makes
/// the build fail instead of passing slowly.
fn build_capped(s: &Site, mb: u64) -> common::Run {
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v \"$1\" && exec \"$2\" build --root \"$3\"")
        .arg("sh")
        .arg((mb * 1024).to_string())
        .arg(common::bin())
        .arg(s.path())
        .env_remove("RUST_BACKTRACE")
        .output()
        .expect("run servicekb under sh");
    let r = common::Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    r.assert_no_panic();
    r
}

#[test]
fn closing_tags_that_close_nothing_do_not_hide_deep_html() {
    let s = Site::sample();
    // 720 KB: `</i>` closes nothing, so the divs nest 80,000 deep.
    s.write(
        "content/articles/skills/stray.en.md",
        &article(&format!("ok\n\n{}\n", "<div></i>".repeat(80_000))),
    );
    // The 101st <div>, at byte 900 of line 6.
    let line = format!("error: content/articles/skills/stray.en.md:6:901: {DEEP}");
    assert_error(&s, &line);
    let r = build_capped(&s, 1024);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.lines().any(|l| l == line), "{}", r.stderr);

    // Closed, the same divs build, each once.
    s.write(
        "content/articles/skills/stray.en.md",
        &article(&format!("ok\n\n{}\n", "<div></div>".repeat(80_000))),
    );
    let r = build_capped(&s, 1024);
    assert!(r.ok(), "{}", r.stderr);
    let page = s.page("/en/articles/skills/stray/");
    assert_eq!(page.matches("<div></div>").count(), 80_000);
}

#[test]
fn a_huge_table_of_empty_cells_builds_in_bounded_memory() {
    let s = Site::sample();
    // 1,000 columns of `| ` by 495 rows (just under 500,000 marks), with
    // raw HTML beside it so the sanitizer runs too.
    let head = format!(
        "<b>raw</b>\n\n{}|\n{}|\n",
        "| h ".repeat(1000),
        "|---".repeat(1000)
    );
    let row = format!("{}|\n", "| ".repeat(1000));
    s.write(
        "content/articles/skills/table.en.md",
        &article(&format!("{head}{}", row.repeat(495))),
    );
    let r = build_capped(&s, 1024);
    assert!(r.ok(), "{}", r.stderr);
    let page = s.page("/en/articles/skills/table/");
    assert_eq!(page.matches("<td></td>").count(), 495 * 1000);

    // 2,000 rows are 2 million cells: more marks than an article may have.
    s.write(
        "content/articles/skills/table.en.md",
        &article(&format!("{head}{}", row.repeat(2_000))),
    );
    let r = build_capped(&s, 1024);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("table.en.md:")
            && r.stderr
                .contains("this article has more than 500,000 marks"),
        "{}",
        r.stderr
    );

    // A cell per byte (`|` repeated) costs the Markdown parser more than
    // its bytes allow: refused before it parses.
    let row = format!("{}\n", "|".repeat(1001));
    s.write(
        "content/articles/skills/table.en.md",
        &article(&format!("{head}{}", row.repeat(400))),
    );
    let r = build_capped(&s, 1024);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("table.en.md:7:1: this table has 1000 columns and 400 rows"),
        "{}",
        r.stderr
    );
}

#[test]
fn rows_that_leave_out_cells_of_a_wide_table_are_refused_before_parsing() {
    let s = Site::sample();
    // Each `|` row would be filled to 1,000 cells: 40 MB of cells from
    // 400 KB of text.
    let mut text = String::new();
    for _ in 0..100 {
        text.push_str(&format!("{}|\n{}|\n", "|h".repeat(1000), "|-".repeat(1000)));
        text.push_str(&"|\n".repeat(400));
        text.push('\n');
    }
    s.write("content/articles/skills/sparse.en.md", &article(&text));
    assert_error(
        &s,
        "error: content/articles/skills/sparse.en.md:5:1: this table has 1000 columns and 400 rows, 401000 cells in 4804 bytes (rows that leave cells out are filled with empty ones); the limit is a cell per two bytes: write the cells out as `| x ` or use fewer columns",
    );
}

#[test]
fn tags_with_thousands_of_attributes_are_refused() {
    let s = Site::sample();
    let attrs: String = (0..100_000).map(|i| format!(" a{i:x}")).collect();
    s.write(
        "content/articles/skills/attrs.en.md",
        &article(&format!("ok\n\nx <span>y</span> <div{attrs}>z</div>\n")),
    );
    assert_error(
        &s,
        "error: content/articles/skills/attrs.en.md:6:18: this HTML tag has more than 256 attributes (or words in its quoted values); shorten it",
    );
    // A Markdown heading's attributes count too.
    let attrs: String = (0..100_000).map(|i| format!(" a{i:x}=v")).collect();
    s.write(
        "content/articles/skills/attrs.en.md",
        &article(&format!("# Title {{{attrs}}}\n")),
    );
    let r = s.check();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "attrs.en.md:4:1: this heading has 100000 attributes ({key=value}); the limit is 256"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn content_moved_out_of_a_table_again_and_again_is_refused() {
    let s = Site::sample();
    s.write(
        "content/articles/skills/foster.en.md",
        &article(&format!(
            "<table>{}</table>\n",
            "<div>x</div>".repeat(60_000)
        )),
    );
    let r = s.check();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("content/articles/skills/foster.en.md:4:")
            && r.stderr.contains("moves elements too often"),
        "{}",
        r.stderr
    );
}

/// Lines of one letter cost the parser a node each: an article of more
/// than 200,000 lines is refused at the first line past the limit, and one
/// of exactly 200,000 builds.
#[test]
fn articles_with_too_many_lines_are_refused_at_the_first_line_past_the_limit() {
    let s = Site::sample();
    // The front matter is 3 lines; 199,997 more make 200,000.
    s.write(
        "content/articles/skills/lines.en.md",
        &article(&"a\n".repeat(199_997)),
    );
    let r = s.check();
    assert!(r.ok(), "200,000 lines are allowed: {}", r.stderr);
    s.write(
        "content/articles/skills/lines.en.md",
        &article(&"a\n".repeat(199_998)),
    );
    assert_error(
        &s,
        "error: content/articles/skills/lines.en.md:200001:1: this article has more than 200,000 lines: split it into several articles",
    );
}

/// Each mark of Markdown or HTML costs the parser a node: an article with
/// more than 500,000 of them is refused at the first one past the limit,
/// and one with exactly 500,000 builds.
#[test]
fn articles_with_too_many_marks_are_refused_at_the_first_mark_past_the_limit() {
    let s = Site::sample();
    // `*a* ` is two marks: 250,000 of them make 500,000.
    s.write(
        "content/articles/skills/marks.en.md",
        &article(&format!("{}\n", "*a* ".repeat(250_000))),
    );
    let r = s.check();
    assert!(r.ok(), "500,000 marks are allowed: {}", r.stderr);
    s.write(
        "content/articles/skills/marks.en.md",
        &article(&format!("{}`a`\n", "*a* ".repeat(250_000))),
    );
    // The 500,001st mark is the first backtick, after 1,000,000 bytes.
    assert_error(
        &s,
        "error: content/articles/skills/marks.en.md:4:1000001: this article has more than 500,000 marks of Markdown or HTML (such as * _ ` [ ] < & |): split it into several articles",
    );
}

#[test]
fn articles_over_4_mb_are_refused() {
    let s = Site::sample();
    let line = format!("{}\n\n", "word ".repeat(200));
    s.write(
        "content/articles/skills/big.en.md",
        &article(&line.repeat(4 * 1024 * 1024 / line.len() + 1)),
    );
    assert_error(
        &s,
        "error: content/articles/skills/big.en.md: this article is 4.0 MB; articles may have at most 4 MB: split it into several articles",
    );
}
