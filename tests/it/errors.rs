//! Every class of bad input: a clear message naming file, line and column,
//! exit 1, no panic, the previous output untouched.

use crate::common;
use common::Site;

/// Build a good sample, break it with `f`, and check that `build` and
/// `check` both fail naming `want` (a `file:line` prefix or a file), with
/// `msg` in the message and the previous output unchanged.
fn fails(f: impl FnOnce(&Site), want: &str, msg: &str) -> String {
    let s = Site::sample();
    assert!(s.build().ok(), "sample builds");
    let before = s.snapshot();
    f(&s);
    let b = s.build();
    assert_eq!(b.code, 1, "build must fail: {}", b.stderr);
    assert!(
        b.stderr.contains(want),
        "build stderr lacks {want:?}:\n{}",
        b.stderr
    );
    assert!(
        b.stderr.contains(msg),
        "build stderr lacks {msg:?}:\n{}",
        b.stderr
    );
    assert_eq!(before, s.snapshot(), "previous output changed");
    let c = s.check();
    assert_eq!(c.code, 1, "check must fail: {}", c.stderr);
    assert!(
        c.stderr.contains(want),
        "check stderr lacks {want:?}:\n{}",
        c.stderr
    );
    b.stderr
}

#[test]
fn unknown_skill_in_front_matter_suggests_the_right_one() {
    let e = fails(
        |s| {
            s.replace(
                "content/articles/skills/empathy.en.md",
                "skills: [empathy]",
                "skills: [empaty]",
            )
        },
        "error: content/articles/skills/empathy.en.md:5:10:",
        "unknown skill `empaty` (did you mean `empathy`?)",
    );
    assert_eq!(
        e.lines()
            .filter(|l| l.starts_with("error: content"))
            .count(),
        1
    );
}

#[test]
fn broken_article_link_and_missing_anchor() {
    fails(
        |s| {
            s.replace(
                "content/articles/skills/empathy.en.md",
                "waiting.md#on-hold",
                "waitin.md#on-hold",
            )
        },
        "error: content/articles/skills/empathy.en.md:12:",
        "did you mean `articles/skills/waiting.md`?",
    );
    fails(
        |s| {
            s.replace(
                "content/articles/skills/empathy.en.md",
                "#on-hold",
                "#on-hol",
            )
        },
        "error: content/articles/skills/empathy.en.md:12:",
        "has no heading with id `on-hol` (did you mean `on-hold`?)",
    );
}

#[test]
fn unknown_skill_and_checklist_links() {
    fails(
        |s| {
            s.replace(
                "content/articles/skills/empathy.en.md",
                "(skill:patience)",
                "(skill:patince)",
            )
        },
        "error: content/articles/skills/empathy.en.md:8:",
        "unknown skill `patince`",
    );
    fails(
        |s| {
            s.replace(
                "content/articles/skills/empathy.en.md",
                "(checklist:self-check)",
                "(checklist:self)",
            )
        },
        "error: content/articles/skills/empathy.en.md:8:",
        "unknown checklist `self`",
    );
}

#[test]
fn invalid_yaml_names_the_line() {
    fails(
        |s| {
            s.replace(
                "content/skills/patience.yaml",
                "category: self-management\n",
                "category: self: management\n",
            )
        },
        "error: content/skills/patience.yaml:1:",
        "invalid YAML",
    );
    fails(
        |s| {
            s.replace(
                "content/articles/skills/waiting.en.md",
                "title: Waiting on hold",
                "title: Waiting: on hold",
            )
        },
        "error: content/articles/skills/waiting.en.md:2:",
        "invalid YAML",
    );
}

#[test]
fn unknown_keys_are_errors_with_a_suggestion() {
    fails(
        |s| {
            s.replace(
                "content/articles/skills/waiting.en.md",
                "date: 2026-02-01",
                "dat: 2026-02-01",
            )
        },
        "error: content/articles/skills/waiting.en.md:3:1:",
        "unknown key `dat` (did you mean `date`?)",
    );
    fails(
        |s| {
            s.replace(
                "site.yaml",
                "default_language: en\n",
                "default_language: en\nthem: x\n",
            )
        },
        "error: site.yaml:6:1:",
        "unknown key `them`",
    );
    fails(
        |s| {
            s.replace(
                "content/skills/patience.yaml",
                "related: [empathy]\n",
                "related: [empathy]\nexamples: x\n",
            )
        },
        "error: content/skills/patience.yaml:8:1:",
        "unknown key `examples`",
    );
}

#[test]
fn skill_and_checklist_rules() {
    fails(
        |s| {
            s.replace(
                "content/skills/empathy.yaml",
                "  - id: avoids-blame",
                "  - id: names-feelings",
            )
        },
        "error: content/skills/empathy.yaml:9:5:",
        "used twice (first on line 7)",
    );
    fails(
        |s| {
            s.replace(
                "content/checklists/self-check.yaml",
                "he: [לעיתים רחוקות, לפעמים, לעיתים קרובות]",
                "he: [לעיתים רחוקות, לפעמים]",
            )
        },
        "error: content/checklists/self-check.yaml:9:",
        "needs 3",
    );
    fails(
        |s| {
            s.replace(
                "content/checklists/self-check.yaml",
                "audience: agent",
                "audience: agents",
            )
        },
        "error: content/checklists/self-check.yaml:2:",
        "must be one of: agent, manager, hiring, team",
    );
    fails(
        |s| {
            s.replace(
                "content/checklists/self-check.yaml",
                "    skill: empathy",
                "    skill: listening",
            )
        },
        "error: content/checklists/self-check.yaml:13:",
        "not one of this checklist's skills",
    );
    fails(
        |s| {
            s.replace(
                "content/skills/empathy.yaml",
                "related: [patience]",
                "related: [patienc]",
            )
        },
        "error: content/skills/empathy.yaml:16:11:",
        "unknown related skill `patienc`",
    );
}

#[test]
fn front_matter_problems() {
    fails(
        |s| {
            s.replace(
                "content/articles/skills/waiting.en.md",
                "skills: [patience]\n---\n",
                "skills: [patience]\n",
            )
        },
        "error: content/articles/skills/waiting.en.md:1:1:",
        "not closed",
    );
    fails(
        |s| s.write("content/articles/skills/empty.md", ""),
        "error: content/articles/skills/empty.md:1:1:",
        "empty",
    );
    fails(
        |s| {
            s.write(
                "content/articles/skills/notitle.md",
                "---\ndate: 2026-01-01\n---\nx\n",
            )
        },
        "content/articles/skills/notitle.md",
        "`title` is missing",
    );
    fails(
        |s| s.write("content/articles/skills/plain.md", "Just text.\n"),
        "content/articles/skills/plain.md:1:1",
        "no front matter",
    );
    fails(
        |s| s.write("content/articles/skills/x.fr.md", "---\ntitle: X\n---\n"),
        "content/articles/skills/x.fr.md",
        "`fr` is not a language of this site",
    );
    fails(
        |s| {
            s.write(
                "content/articles/skills/bad-date.md",
                "---\ntitle: X\ndate: 2026-13-45\n---\n",
            )
        },
        "bad-date.md:3:",
        "not a date",
    );
}

#[test]
fn invalid_utf8_names_line_and_column() {
    fails(
        |s| {
            s.write_bytes(
                "content/articles/skills/bin.md",
                b"---\ntitle: X\n---\nok \xff\n",
            )
        },
        "error: content/articles/skills/bin.md:4:4:",
        "not valid UTF-8",
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let s = Site::sample();
    let t = s
        .read("content/articles/skills/waiting.en.md")
        .replace('\n', "\r\n");
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(t.as_bytes());
    s.write_bytes("content/articles/skills/waiting.en.md", &bytes);
    let y = s.read("content/skills/patience.yaml").replace('\n', "\r\n");
    s.write_bytes(
        "content/skills/patience.yaml",
        format!("\u{feff}{y}").as_bytes(),
    );
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    assert!(s
        .page("/en/articles/skills/waiting/")
        .contains("<h2 id=\"on-hold\">On hold<a class=\"heading-link\" href=\"#on-hold\""));
}

#[test]
fn template_errors_name_the_template() {
    fails(
        |s| {
            s.write(
                "themes/default/templates/base.html",
                "<!DOCTYPE html>\n<html>\n<title>{{ title | }}</title>\n</html>\n",
            )
        },
        "error: themes/default/templates/base.html:3:",
        "template syntax error",
    );
}

#[test]
fn empty_and_missing_site_yaml() {
    fails(|s| s.write("site.yaml", ""), "error: site.yaml", "empty");
    let s = Site::empty();
    let r = s.build();
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("no site.yaml"), "{}", r.stderr);
}

#[test]
fn file_system_oddities() {
    fails(
        |s| std::fs::create_dir_all(s.path().join("content/skills/odd.yaml")).unwrap(),
        "error: content/skills/odd.yaml",
        "folder",
    );
    #[cfg(unix)]
    {
        fails(
            |s| {
                std::os::unix::fs::symlink(
                    s.path().join("content/articles"),
                    s.path().join("content/articles/skills/loop"),
                )
                .unwrap()
            },
            "content/articles/skills/loop",
            "loops back",
        );
        fails(
            |s| {
                std::os::unix::fs::symlink(
                    s.path().join("nowhere.yaml"),
                    s.path().join("content/skills/gone.yaml"),
                )
                .unwrap()
            },
            "content/skills/gone.yaml",
            "",
        );
    }
    fails(
        |s| {
            let big = format!("---\ntitle: Big\n---\n{}", "word ".repeat(4 * 1024 * 1024));
            s.write("content/articles/skills/big.md", &big);
        },
        "error: content/articles/skills/big.md",
        "too large",
    );
}

#[test]
fn two_pages_with_one_url() {
    fails(
        |s| {
            s.write(
                "content/articles/skills/other.en.md",
                "---\ntitle: Other\nslug: waiting\n---\nx\n",
            )
        },
        "content/articles/skills/",
        "two pages would have the URL /en/articles/skills/waiting/",
    );
}

#[test]
fn check_reports_every_problem_at_once() {
    let s = Site::sample();
    s.replace(
        "content/articles/skills/empathy.en.md",
        "(skill:patience)",
        "(skill:patince)",
    );
    s.replace(
        "content/skills/empathy.yaml",
        "related: [patience]",
        "related: [patienc]",
    );
    s.replace(
        "content/articles/skills/waiting.en.md",
        "date: 2026-02-01",
        "dat: 2026-02-01",
    );
    let c = s.check();
    assert_eq!(c.code, 1);
    for f in ["empathy.en.md:8:", "empathy.yaml:16:", "waiting.en.md:3:"] {
        assert!(c.stderr.contains(f), "check lacks {f}: {}", c.stderr);
    }
    assert!(c.stderr.contains("3 errors"), "{}", c.stderr);
    assert!(!s.exists("public"), "check writes nothing");
}

#[test]
fn warnings_pass_check_but_not_check_strict() {
    let s = Site::sample();
    assert!(s.check().ok());
    assert_eq!(
        s.run(&["check", "--strict"]).code,
        1,
        "why.he is missing: a warning"
    );
    s.replace(
        "content/skills/empathy.yaml",
        "  en: Callers calm down.\n",
        "  en: Callers calm down.\n  he: פונים נרגעים.\n",
    );
    let strict = s.run(&["check", "--strict"]);
    assert!(strict.ok(), "the sample is clean now: {}", strict.stderr);
    s.replace(
        "content/articles/skills/empathy.en.md",
        "Say it.",
        "Say it now.",
    );
    let c = s.check();
    assert!(c.ok(), "{}", c.stderr);
    assert!(
        c.stderr
            .contains("warning: content/articles/skills/empathy.he.md"),
        "{}",
        c.stderr
    );
    assert_eq!(s.run(&["check", "--strict"]).code, 1);
}
