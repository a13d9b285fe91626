//! Article extras on real builds: "Edit this page" and "Translate this page"
//! from site.yaml's `repository` patterns (checked at load), the "Updated"
//! date from the file's last git commit, and schema.org Article data.

use crate::common;
use common::Site;
use std::process::Command;

const REPO: &str = "repository:\n  edit_url: \"https://github.com/o/r/edit/main/{path}\"\n  translate_url: \"https://github.com/o/r/new/main?filename={path}\"\n";

#[test]
fn edit_and_translate_links_follow_the_repository_patterns() {
    let s = Site::sample();
    s.write("site.yaml", &format!("{}{REPO}", common::SITE_YAML));
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    let en = s.page("/en/articles/skills/waiting/");
    assert!(
        en.contains("href=\"https://github.com/o/r/edit/main/content/articles/skills/waiting.en.md\">Edit this page</a>"),
        "{en}"
    );
    // No Hebrew version: a link that creates it, next to the English file.
    assert!(
        en.contains("href=\"https://github.com/o/r/new/main?filename=content/articles/skills/waiting.he.md\">Translate this page into <span lang=\"he\">עברית</span></a>"),
        "{en}"
    );
    // Both versions exist: no translate link.
    let he = s.page("/he/articles/skills/empathy/");
    assert!(he.contains("content/articles/skills/empathy.he.md"), "{he}");
    assert!(!he.contains("/new/main?"), "{he}");
}

#[test]
fn without_the_key_there_are_no_source_links() {
    let s = Site::sample();
    assert!(s.build().ok());
    assert!(!s
        .page("/en/articles/skills/waiting/")
        .contains("source-links"));
}

#[test]
fn a_bad_repository_pattern_is_an_error_at_its_line() {
    let s = Site::sample();
    let yaml = format!("{}repository:\n  edit_url: \"https://github.com/o/r/edit/main/\"\n  translate_url: \"ftp://x/{{path}}\"\n", common::SITE_YAML);
    s.write("site.yaml", &yaml);
    let line = yaml.lines().position(|l| l.contains("edit_url")).unwrap() + 1;
    let r = s.check();
    assert!(!r.ok());
    assert!(
        r.stderr.contains(&format!("error: site.yaml:{line}:")) && r.stderr.contains("{path}"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(&format!("error: site.yaml:{}:", line + 1))
            && r.stderr.contains("http(s)"),
        "{}",
        r.stderr
    );
    s.write(
        "site.yaml",
        &format!("{}repository:\n  edit: x\n", common::SITE_YAML),
    );
    assert!(!s.check().ok(), "unknown keys under repository are errors");
}

fn git(s: &Site, args: &[&str]) -> bool {
    Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
        .args(args)
        .current_dir(s.path())
        .env("GIT_COMMITTER_DATE", "2027-02-03T10:00:00Z")
        .env("GIT_AUTHOR_DATE", "2027-02-03T10:00:00Z")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn updated_comes_from_front_matter_else_the_last_commit() {
    let s = Site::sample();
    s.replace(
        "content/articles/skills/waiting.en.md",
        "date: 2026-02-01\n",
        "date: 2026-02-01\nupdated: 2026-02-10\n",
    );
    // Not a repository: no date from git, and no complaint.
    let r = s.build();
    assert!(
        r.ok() && !r.stderr.contains("git") && !r.stderr.contains("fatal"),
        "{}",
        r.stderr
    );
    assert!(!s.page("/en/articles/skills/empathy/").contains("Updated"));
    if !git(&s, &["init", "-q"]) {
        eprintln!("no git here: the commit date is not tested");
        return;
    }
    assert!(git(&s, &["add", "content"]) && git(&s, &["commit", "-q", "-m", "x"]));
    assert!(s.build().ok());
    let page = s.page("/en/articles/skills/empathy/");
    assert!(
        page.contains("Updated <time datetime=\"2027-02-03\">"),
        "{page}"
    );
    assert!(page.contains("\"dateModified\":\"2027-02-03\""), "{page}");
    // Front matter wins.
    let page = s.page("/en/articles/skills/waiting/");
    assert!(
        page.contains("Updated <time datetime=\"2026-02-10\">"),
        "{page}"
    );
    let sitemap = s.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<lastmod>2027-02-03</lastmod>"),
        "{sitemap}"
    );
}

#[test]
fn articles_carry_schema_org_article_data() {
    let s = Site::sample();
    assert!(s.build().ok());
    let page = s.page("/he/articles/skills/empathy/");
    let at = page.find("<script type=\"application/ld+json\">").unwrap();
    let json = &page[at + 35..];
    let json = &json[..json.find("</script>").unwrap()];
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["@type"], "Article");
    assert_eq!(v["headline"], "אמפתיה בטלפון");
    assert_eq!(v["inLanguage"], "he");
    assert_eq!(
        v["url"],
        "https://kb.example.org/he/articles/skills/empathy/"
    );
    assert_eq!(v["dateModified"], "2026-03-01");
}
