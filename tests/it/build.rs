//! `servicekb build` on real sites in temp folders: pages, links,
//! translations, RTL and atomic output.

use crate::common;
use common::Site;

#[test]
fn builds_every_page_kind() {
    let s = Site::sample();
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    assert!(
        r.stdout.contains("built")
            && r.stdout.contains("en ")
            && r.stdout.contains("he ")
            && r.stdout.contains(" ms"),
        "{}",
        r.stdout
    );
    for f in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "en/index.html",
        "en/topics/skills/index.html",
        "en/articles/skills/empathy/index.html",
        "en/articles/skills/waiting/index.html",
        "he/articles/skills/empathy/index.html",
        "en/skills/index.html",
        "en/skills/empathy/index.html",
        "he/skills/patience/index.html",
        "en/checklists/index.html",
        "en/checklists/self-check/index.html",
        "he/checklists/self-check/index.html",
        "en/search/index.html",
        "en/search-index.json",
        "he/atom.xml",
        "static/style.css",
    ] {
        assert!(s.exists(&format!("public/{f}")), "missing {f}");
    }
    // No page at the URL of a missing translation.
    assert!(!s.exists("public/he/articles/skills/waiting/index.html"));
}

#[test]
fn link_schemes_resolve_in_the_page_language() {
    let s = Site::sample();
    assert!(s.build().ok());
    let en = s.page("/en/articles/skills/empathy/");
    assert!(
        en.contains("<a href=\"/en/skills/patience/\">Patience</a>"),
        "empty link text takes the skill name"
    );
    assert!(en.contains("<a href=\"/en/checklists/self-check/\">check</a>"));
    assert!(en.contains("href=\"/en/articles/skills/waiting/#on-hold\""));
    let he = s.page("/he/articles/skills/empathy/");
    assert!(
        he.contains("<a href=\"/he/skills/patience/\">סבלנות</a>"),
        "localized skill name"
    );
    // The Hebrew page links the English article, marked with hreflang.
    assert!(
        he.contains("<a href=\"/en/articles/skills/waiting/\" hreflang=\"en\">"),
        "{he}"
    );
}

#[test]
fn pages_carry_lang_dir_canonical_and_alternates() {
    let s = Site::sample();
    assert!(s.build().ok());
    let he = s.page("/he/articles/skills/empathy/");
    assert!(he.contains("<html lang=\"he\" dir=\"rtl\">"));
    assert!(he.contains(
        "<link rel=\"canonical\" href=\"https://kb.example.org/he/articles/skills/empathy/\">"
    ));
    assert!(
        he.contains("hreflang=\"en\" href=\"https://kb.example.org/en/articles/skills/empathy/\"")
    );
    assert!(he.contains(
        "hreflang=\"x-default\" href=\"https://kb.example.org/en/articles/skills/empathy/\""
    ));
    let waiting = s.page("/en/articles/skills/waiting/");
    assert!(
        !waiting.contains("hreflang=\"he\" href="),
        "no alternate for a missing translation"
    );
    let sitemap = s.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://kb.example.org/he/skills/empathy/</loc>"));
    assert!(sitemap.contains("xhtml:link rel=\"alternate\" hreflang=\"he\""));
    assert!(!sitemap.contains("404.html"));
}

#[test]
fn backlinks_also_read_and_skill_pages_cross_link() {
    let s = Site::sample();
    assert!(s.build().ok());
    let waiting = s.page("/en/articles/skills/waiting/");
    assert!(
        waiting.contains("Pages that link here"),
        "backlinks section"
    );
    assert!(waiting.contains("href=\"/en/articles/skills/empathy/\""));
    let skill = s.page("/en/skills/patience/");
    assert!(
        skill.contains("href=\"/en/articles/skills/waiting/\""),
        "lists articles that list the skill"
    );
    assert!(
        skill.contains("href=\"/en/articles/skills/empathy/\""),
        "and those that link to it"
    );
    assert!(
        skill.contains("href=\"/en/checklists/self-check/\""),
        "and checklists using it"
    );
    assert!(
        skill.contains("href=\"/en/skills/empathy/\""),
        "related skills"
    );
    // Hebrew skill page: Hebrew articles first, then untranslated English ones marked with hreflang.
    let he = s.page("/he/skills/patience/");
    assert!(he.contains("href=\"/he/articles/skills/empathy/\""));
    assert!(he.contains("href=\"/en/articles/skills/waiting/\" hreflang=\"en\""));
}

/// "Also read" lists other articles of the language, most shared skills
/// first, then in list order, each once, at most five.
#[test]
fn also_read_ranks_by_shared_skills_and_lists_each_article_once() {
    let s = Site::sample();
    let article = |title: &str, date: &str, skills: &str| {
        format!("---\ntitle: {title}\ndate: {date}\nskills: [{skills}]\n---\n\nText.\n")
    };
    // One skill written three times still shares one skill.
    s.write(
        "content/articles/skills/repeats.en.md",
        &article("Repeats", "2026-05-01", "patience, patience, patience"),
    );
    s.write(
        "content/articles/skills/both.en.md",
        &article("Both", "2026-01-01", "empathy, patience"),
    );
    // Oldest, but shares two skills with "Both".
    s.write(
        "content/articles/skills/pair.en.md",
        &article("Pair", "2025-01-01", "patience, empathy, empathy"),
    );
    for i in 0..6 {
        s.write(
            &format!("content/articles/skills/more-{i}.en.md"),
            &article(
                &format!("More {i}"),
                &format!("2026-04-0{}", i + 1),
                "empathy",
            ),
        );
    }
    assert!(s.build().ok());
    // The slugs an article page lists under "Also read", in order.
    let also_read = |url: &str| -> Vec<String> {
        let page = s.page(url);
        let also = &page[page.find("id=\"also-read-title\"").expect("also read")..];
        also[..also.find("</ul>").unwrap()]
            .split("href=\"/en/articles/skills/")
            .skip(1)
            .map(|h| h[..h.find('/').unwrap()].to_string())
            .collect()
    };
    let listed = also_read("/en/articles/skills/waiting/");
    assert_eq!(
        listed,
        ["repeats", "both", "pair"],
        "newest first, once each"
    );
    let listed = also_read("/en/articles/skills/both/");
    assert_eq!(listed.len(), 5, "at most five: {listed:?}");
    assert_eq!(listed[0], "pair", "most shared skills first: {listed:?}");
    let mut unique = listed.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), listed.len(), "each once: {listed:?}");
    assert!(!listed.iter().any(|l| l == "both"), "not itself");
}

#[test]
fn missing_fields_fall_back_to_the_default_language_marked_with_lang() {
    let s = Site::sample();
    assert!(s.build().ok());
    let he = s.page("/he/skills/empathy/");
    assert!(
        he.contains("lang=\"en\" dir=\"ltr\"><p>Callers calm down.</p>"),
        "why.he is missing: English, marked"
    );
    assert!(
        he.contains("<strong>מוקלטות</strong>"),
        "Markdown fields are rendered"
    );
}

#[test]
fn checklist_page_is_a_form_with_hooks() {
    let s = Site::sample();
    assert!(s.build().ok());
    let p = s.page("/en/checklists/self-check/");
    assert!(p.contains("<form class=\"checklist\""));
    assert!(p.contains("<fieldset class=\"checklist-skill\" data-skill=\"empathy\">"));
    assert!(p.contains("data-item=\"names-feelings\""));
    assert!(
        p.contains("name=\"empathy/thanks-caller\" value=\"3\""),
        "extra item with the scale"
    );
    assert!(p.contains("data-score-for=\"patience\""));
    assert!(p.contains("data-score-total"));
    let items: Vec<_> = p.match_indices("data-item=").map(|(i, _)| i).collect();
    assert_eq!(
        items.len(),
        4,
        "two indicators + one extra for empathy, one for patience"
    );
    let he = s.page("/he/checklists/self-check/");
    assert!(he.contains("לעיתים קרובות"), "localized scale labels");
}

#[test]
fn a_checklist_can_pick_some_indicators_of_a_skill() {
    let s = Site::sample();
    s.replace(
        "content/checklists/self-check.yaml",
        "skills: [empathy, patience]",
        "skills:\n  - { skill: empathy, indicators: [avoids-blame] }\n  - { skill: patience, indicators: [] }",
    );
    s.replace(
        "content/checklists/self-check.yaml",
        "  - id: thanks-caller\n    skill: empathy",
        "  - id: waits\n    skill: patience\n    text: { en: Waits., he: מחכה. }\n  - id: thanks-caller\n    skill: empathy",
    );
    let r = s.build();
    assert!(r.ok(), "{}", r.stderr);
    let p = s.page("/en/checklists/self-check/");
    let items: Vec<&str> = p
        .split("data-item=\"")
        .skip(1)
        .map(|t| &t[..t.find('"').unwrap()])
        .collect();
    assert_eq!(items, ["avoids-blame", "thanks-caller", "waits"]);

    s.replace(
        "content/checklists/self-check.yaml",
        "indicators: [avoids-blame]",
        "indicators: [avoids-blam, avoids-blame, avoids-blame]",
    );
    let r = s.check();
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("content/checklists/self-check.yaml:11:36: skill `empathy` has no indicator `avoids-blam` (did you mean `avoids-blame`?)"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("indicator `avoids-blame` of skill `empathy` is listed twice"),
        "{}",
        r.stderr
    );
}

/// A translation that is itself the source of another: its hash is taken
/// from its file even though build and check free article text early.
#[test]
fn a_translation_can_be_the_source_of_another() {
    let s = Site::sample();
    let he = s.read("content/articles/skills/empathy.he.md");
    let he_body = he.splitn(3, "---\n").nth(2).unwrap();
    let hash = servicekb::hash::source_hash(he_body);
    s.replace(
        "content/articles/skills/empathy.en.md",
        "skills: [empathy]\n",
        &format!("skills: [empathy]\ntranslation:\n  source: he\n  source_hash: \"{hash}\"\n"),
    );
    for r in [s.check(), s.build()] {
        assert!(r.ok(), "{}", r.stderr);
        assert!(!r.stderr.contains("out of date"), "{}", r.stderr);
    }
    s.replace(
        "content/articles/skills/empathy.he.md",
        "אמרו זאת.",
        "אמרו זאת בקול.",
    );
    for r in [s.check(), s.build()] {
        assert!(
            r.stderr
                .contains("warning: content/articles/skills/empathy.en.md:")
                && r.stderr.contains("out of date"),
            "{}",
            r.stderr
        );
        assert!(!r.stderr.contains("empathy.he.md:"), "{}", r.stderr);
    }
}

#[test]
fn outdated_translation_says_so_and_links_its_source() {
    let s = Site::sample();
    s.replace(
        "content/articles/skills/empathy.en.md",
        "Say it.",
        "Say it out loud.",
    );
    let r = s.build();
    assert!(r.ok());
    assert!(
        r.stderr
            .contains("warning: content/articles/skills/empathy.he.md:7:"),
        "{}",
        r.stderr
    );
    let he = s.page("/he/articles/skills/empathy/");
    assert!(he.contains("notice-outdated"));
    assert!(he.contains("<a href=\"/en/articles/skills/empathy/\" hreflang=\"en\">"));
    assert!(!s
        .page("/en/articles/skills/empathy/")
        .contains("notice-outdated"));
}

#[test]
fn feeds_and_search_index_hold_their_language_only() {
    let s = Site::sample();
    assert!(s.build().ok());
    let atom = s.read("public/he/atom.xml");
    assert!(atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(atom.contains("https://kb.example.org/he/articles/skills/empathy/"));
    assert!(!atom.contains("/en/articles/"));
    let idx: serde_json::Value =
        serde_json::from_str(&s.read("public/he/search-index.json")).unwrap();
    let text = idx.to_string();
    assert!(text.contains("אמפתיה"));
    assert!(
        !text.contains("hold"),
        "no English text in the Hebrew index"
    );
}

#[test]
fn base_url_with_a_path_prefixes_every_link() {
    let s = Site::sample();
    s.replace(
        "site.yaml",
        "base_url: https://kb.example.org",
        "base_url: https://example.org/kb/",
    );
    assert!(s.build().ok());
    let p = s.page("/en/articles/skills/empathy/");
    assert!(p.contains("href=\"/kb/en/skills/patience/\""));
    assert!(p.contains("href=\"/kb/static/style.css\""));
    assert!(p.contains(
        "<link rel=\"canonical\" href=\"https://example.org/kb/en/articles/skills/empathy/\">"
    ));
    let r = s.run(&["build", "--base-url", "https://other.test"]);
    assert!(r.ok());
    assert!(s.page("/en/").contains("href=\"https://other.test/en/\""));
}

#[test]
fn drafts_build_only_with_the_flag() {
    let s = Site::sample();
    s.write(
        "content/articles/skills/later.md",
        "---\ntitle: Later\ndraft: true\n---\n\nSoon.\n",
    );
    assert!(s.build().ok());
    assert!(!s.exists("public/en/articles/skills/later/index.html"));
    assert!(s.run(&["build", "--drafts"]).ok());
    assert!(s.exists("public/en/articles/skills/later/index.html"));
    // A link to a draft fails a normal build.
    s.replace(
        "content/articles/skills/waiting.en.md",
        "Explain the wait.",
        "See [later](@/articles/skills/later.md).",
    );
    let r = s.build();
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("waiting.en.md:") && r.stderr.contains("draft"),
        "{}",
        r.stderr
    );
}

#[test]
fn slugs_are_kept_as_written_and_encoded_in_links() {
    let s = Site::sample();
    s.write(
        "content/articles/skills/prüfung.md",
        "---\ntitle: Prüfung\n---\n\nBody.\n",
    );
    s.replace(
        "content/articles/skills/waiting.en.md",
        "Explain the wait.",
        "See [p](@/articles/skills/prüfung.md).",
    );
    assert!(s.build().ok());
    assert!(s.exists("public/en/articles/skills/prüfung/index.html"));
    assert!(s
        .page("/en/articles/skills/waiting/")
        .contains("href=\"/en/articles/skills/pr%C3%BCfung/\""));
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let s = Site::sample();
    assert!(s.build().ok());
    let before = s.snapshot();
    s.replace(
        "content/skills/empathy.yaml",
        "related: [patience]",
        "related: [patienc]",
    );
    let r = s.build();
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("previous output is untouched"));
    assert_eq!(before, s.snapshot());
}

#[test]
fn a_rebuild_leaves_no_folder_the_site_no_longer_has() {
    let s = Site::sample();
    s.write(
        "content/articles/skills/gone.en.md",
        "---\ntitle: Gone soon\n---\n\nText.\n",
    );
    assert!(s.build().ok());
    assert!(s.exists("public/en/articles/skills/gone/index.html"));
    std::fs::remove_file(s.path().join("content/articles/skills/gone.en.md")).unwrap();
    // The spare copy is servicekb's own: what lies there is cleaned away.
    assert!(s.build().ok());
    std::fs::create_dir_all(s.path().join(".public.prev/stray/empty")).unwrap();
    s.write(".public.prev/old/deep/page.html", "old");
    // Twice: each build starts from the output before the last one.
    for _ in 0..2 {
        assert!(s.build().ok());
        for gone in [
            "public/en/articles/skills/gone",
            "public/stray",
            "public/old",
        ] {
            assert!(!s.exists(gone), "{gone} is left in the output");
        }
        assert!(s.exists("public/en/articles/skills/waiting/index.html"));
    }
}

#[test]
fn a_rebuild_replaces_the_output_and_writes_only_what_changed() {
    let s = Site::sample();
    assert!(s.build().ok());
    assert!(s.build().ok());
    s.write(".public.prev/stale.html", "old");
    assert!(s.build().ok());
    assert!(
        !s.exists("public/stale.html"),
        "a file left in the spare copy does not reach the output"
    );
    let mut siblings: Vec<String> = std::fs::read_dir(s.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect();
    siblings.sort();
    assert_eq!(
        siblings,
        [
            ".public.lock",
            ".public.manifest",
            ".public.prev",
            ".public.prev.manifest"
        ]
    );
    // Double-buffered: with nothing changed, the next builds write no file.
    assert!(s.build().ok());
    let mtime = |rel: &str| {
        std::fs::metadata(s.path().join(rel))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before = mtime("public/en/index.html");
    std::thread::sleep(std::time::Duration::from_millis(20));
    assert!(s.build().ok());
    assert!(s.build().ok());
    assert_eq!(
        before,
        mtime("public/en/index.html"),
        "unchanged files are not written again"
    );
    // A change is written, and the page is right.
    s.replace(
        "content/articles/skills/waiting.en.md",
        "Explain the wait.",
        "Explain the wait again.",
    );
    assert!(s.build().ok());
    assert!(s
        .page("/en/articles/skills/waiting/")
        .contains("Explain the wait again."));
    assert!(s.build().ok());
    assert!(
        s.page("/en/articles/skills/waiting/")
            .contains("Explain the wait again."),
        "the spare copy catches up"
    );
    // A file edited by hand in the output is written again.
    s.write("public/en/index.html", "tampered");
    assert!(s.build().ok());
    assert!(s.build().ok());
    assert!(s.read("public/en/index.html").contains("<!DOCTYPE html>"));
}

/// Sets every folder under `dir` a minute back, as if the last builds were
/// long ago: the build then trusts the folder times its manifest recorded.
fn age_folders(dir: &std::path::Path) {
    let then = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if e.file_type().is_dir() {
            let f = std::fs::File::open(e.path()).unwrap();
            f.set_modified(then).unwrap();
        }
    }
}

#[test]
fn files_added_by_hand_to_folders_a_build_trusts_are_removed() {
    let s = Site::sample();
    let (out, spare) = (s.path().join("public"), s.path().join(".public.prev"));
    // Two builds record folder times (one per output copy); the folders
    // are old by then, so the next builds list none of them.
    for _ in 0..2 {
        assert!(s.build().ok());
        age_folders(&out);
        age_folders(&spare);
    }
    for _ in 0..2 {
        assert!(s.build().ok());
    }
    let manifest = s.read(".public.manifest");
    assert!(
        manifest.contains("dir ") && manifest.contains(" en/articles/skills/waiting\n"),
        "folder times are recorded:\n{manifest}"
    );
    // Files added to the spare copy (servicekb's own) in folders whose
    // times it trusts; a page of the output deleted, another tampered with.
    s.write(
        ".public.prev/en/articles/skills/waiting/stray.html",
        "stray",
    );
    s.write(".public.prev/en/extra/deep/page.html", "stray");
    std::fs::remove_file(s.path().join("public/en/skills/index.html")).unwrap();
    s.write("public/he/index.html", "tampered");
    // The copy with the changes is the spare after one build, and is
    // brought up to date by the next.
    for _ in 0..2 {
        assert!(s.build().ok());
        assert!(!s.exists("public/en/articles/skills/waiting/stray.html"));
        assert!(!s.exists("public/en/extra"));
    }
    assert!(s.exists("public/en/articles/skills/waiting/index.html"));
    assert!(s
        .read("public/en/skills/index.html")
        .contains("<!DOCTYPE html>"));
    assert!(s.read("public/he/index.html").contains("<!DOCTYPE html>"));
    // And a build with everything fresh gives the same files.
    let trusted = s.snapshot();
    for gone in [".public.manifest", ".public.prev.manifest"] {
        std::fs::remove_file(s.path().join(gone)).unwrap();
    }
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::remove_dir_all(&spare).unwrap();
    assert!(s.build().ok());
    assert_eq!(trusted, s.snapshot());
}

#[test]
fn theme_templates_are_overridable_file_by_file() {
    let s = Site::sample();
    s.write("themes/default/templates/404.html", "{% extends \"base.html\" %}{% block content %}<h1>Custom lost page</h1>{% endblock content %}");
    s.write("themes/default/static/extra.css", "body{}");
    assert!(s.build().ok());
    assert!(s.read("public/404.html").contains("Custom lost page"));
    assert!(s.exists("public/static/extra.css"));
    assert!(s.exists("public/static/style.css"), "built-in files stay");
}

#[test]
fn site_static_files_are_copied_verbatim() {
    let s = Site::sample();
    s.write("static/robots.txt", "User-agent: *\n");
    s.write("static/img/logo.svg", "<svg/>");
    assert!(s.build().ok());
    assert_eq!(s.read("public/robots.txt"), "User-agent: *\n");
    assert!(s.exists("public/img/logo.svg"));
}

#[test]
fn favicon_ico_is_at_the_root_unless_the_site_brings_its_own() {
    let s = Site::sample();
    assert!(s.build().ok());
    let theirs = std::fs::read(s.path().join("public/favicon.ico")).unwrap();
    assert_eq!(
        &theirs[..4],
        &[0, 0, 1, 0],
        "an ICO file: {:?}",
        &theirs[..4]
    );
    s.write("static/favicon.ico", "own icon");
    assert!(s.build().ok());
    assert_eq!(s.read("public/favicon.ico"), "own icon");
}

#[test]
fn root_page_chooses_a_language() {
    let s = Site::sample();
    assert!(s.build().ok());
    let root = s.read("public/index.html");
    assert!(root.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(root.contains("<a href=\"/he/\" hreflang=\"he\" lang=\"he\" dir=\"rtl\">עברית</a>"));
    assert!(root.contains("navigator.languages"));
    let nf = s.read("public/404.html");
    assert!(nf.contains("noindex"));
}
