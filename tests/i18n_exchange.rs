//! `i18n export` / `i18n import`: PO and XLIFF round trips, scripted
//! translations, and refusals that write nothing.

mod common;
use common::Site;
use std::path::Path;

const PO: &str = "out/skills--empathy.he.po";

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir.join("content")).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            out.push((
                e.path().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            ));
        }
    }
    out
}

fn export(s: &Site, lang: &str, format: &str) {
    let out = s.path().join("out");
    let r = s.run(&[
        "i18n",
        "export",
        "--to",
        lang,
        "--format",
        format,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(r.ok(), "{}", r.stderr);
}

fn import(s: &Site, files: &[&str]) -> common::Run {
    let mut a = vec!["i18n", "import"];
    let paths: Vec<String> = files
        .iter()
        .map(|f| s.path().join(f).display().to_string())
        .collect();
    a.extend(paths.iter().map(String::as_str));
    s.run(&a)
}

fn all_exported(s: &Site) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(s.path().join("out"))
        .unwrap()
        .map(|e| format!("out/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    v.sort();
    v
}

#[test]
fn round_trip_without_changes_keeps_every_file() {
    for format in ["po", "xliff"] {
        let s = Site::sample();
        let before = files(s.path());
        export(&s, "he", format);
        let names = all_exported(&s);
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let r = import(&s, &refs);
        assert!(r.ok(), "{}", r.stderr);
        assert_eq!(files(s.path()), before, "{format}");
    }
}

#[test]
fn round_trip_on_the_bundled_site() {
    let s = Site::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["site.yaml", "content", "themes"] {
        copy(&repo.join(part), &s.path().join(part));
    }
    let before = files(s.path());
    for lang in ["he", "lt", "pl"] {
        for format in ["po", "xliff"] {
            let _ = std::fs::remove_dir_all(s.path().join("out"));
            export(&s, lang, format);
            let names = all_exported(&s);
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            let r = import(&s, &refs);
            assert!(r.ok(), "{lang} {format}: {}", r.stderr);
            assert!(files(s.path()) == before, "{lang} {format} changed a file");
        }
    }
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            copy(&e.path(), &to.join(e.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// A "translator": every msgstr becomes the msgid with its words upper-cased,
/// placeholders kept.
fn translate_po(text: &str) -> String {
    let mut out = String::new();
    let mut id: Vec<String> = Vec::new();
    let mut in_id = false;
    let mut in_str = false;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("msgid ") {
            in_id = true;
            id = vec![rest.to_string()];
            out.push_str(line);
            out.push('\n');
            continue;
        }
        if line.starts_with("msgstr ") {
            in_id = false;
            in_str = true;
            if id.len() == 1 && id[0] == "\"\"" {
                out.push_str(line);
                out.push('\n');
                in_str = false;
                continue;
            }
            out.push_str("msgstr ");
            out.push_str(
                &id.iter()
                    .map(|l| upper_outside_marks(l))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            out.push('\n');
            continue;
        }
        if line.starts_with('"') {
            if in_id {
                id.push(line.to_string());
                out.push_str(line);
                out.push('\n');
            } else if !in_str {
                out.push_str(line);
                out.push('\n');
            }
            continue;
        }
        in_id = false;
        in_str = false;
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn upper_outside_marks(s: &str) -> String {
    let mut out = String::new();
    let mut in_mark = false;
    let mut esc = false;
    for c in s.chars() {
        if esc {
            out.push(c);
            esc = false;
            continue;
        }
        match c {
            '\\' => {
                esc = true;
                out.push(c);
            }
            '{' => {
                in_mark = true;
                out.push(c);
            }
            '}' => {
                in_mark = false;
                out.push(c);
            }
            c if in_mark => out.push(c),
            c => out.extend(c.to_uppercase()),
        }
    }
    out
}

#[test]
fn scripted_translation_builds_with_the_same_links_and_anchors() {
    let s = Site::sample();
    std::fs::remove_file(s.path().join("content/articles/skills/empathy.he.md")).unwrap();
    export(&s, "he", "po");
    let po = s.read(PO);
    s.write(PO, &translate_po(&po));
    let r = import(&s, &[PO]);
    assert!(r.ok(), "{}", r.stderr);
    let he = s.read("content/articles/skills/empathy.he.md");
    assert!(he.contains("title: EMPATHY ON THE PHONE"), "{he}");
    assert!(he.contains("[](skill:patience)"), "{he}");
    assert!(he.contains("[CHECK](checklist:self-check)"), "{he}");
    assert!(
        he.contains("## NAME THE FEELING {#name-the-feeling}"),
        "{he}"
    );
    assert!(
        he.contains("[WAITING](@/articles/skills/waiting.md#on-hold)"),
        "{he}"
    );
    assert!(
        he.contains("translation:\n  source: en\n  source_hash: \""),
        "{he}"
    );
    let c = s.check();
    assert!(c.ok(), "{}", c.stderr);
}

fn assert_refused(s: &Site, file: &str, want: &str) {
    let before = files(s.path());
    let r = import(s, &[file]);
    assert!(!r.ok(), "imported: {}", r.stdout);
    assert!(r.stderr.contains(want), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was imported"), "{}", r.stderr);
    assert!(files(s.path()) == before, "a file was written");
}

#[test]
fn bad_input_is_refused_with_a_position() {
    let s = Site::sample();
    export(&s, "he", "po");
    let good = s.read(PO);
    // A deleted placeholder (in the last msgstr that has it).
    let t = translate_po(&good);
    let at = t.rfind("{/2}").unwrap();
    s.write(PO, &format!("{}{}", &t[..at], &t[at + 4..]));
    assert_refused(&s, PO, "placeholder");
    // Truncated.
    s.write(PO, &good[..good.len() / 2]);
    assert_refused(&s, PO, PO.trim_start_matches("out/"));
    // Another encoding.
    let mut latin = good.clone().into_bytes();
    latin.extend_from_slice(b"# caf\xe9\n");
    s.write_bytes(PO, &latin);
    assert_refused(&s, PO, "not UTF-8");
    // A file for another article.
    s.write(
        PO,
        &good.replace("skills/empathy.en.md", "skills/waiting.en.md"),
    );
    assert_refused(&s, PO, "export it again");
    // A translation changed since the export.
    s.write(PO, &translate_po(&good));
    s.replace(
        "content/articles/skills/empathy.he.md",
        "אמרו זאת.",
        "אמרו זאת בקול.",
    );
    assert_refused(&s, PO, "--force");
    let r = s.run(&[
        "i18n",
        "import",
        "--force",
        s.path().join(PO).to_str().unwrap(),
    ]);
    assert!(r.ok(), "{}", r.stderr);
}

#[test]
fn exported_po_passes_msgfmt_check() {
    if std::process::Command::new("msgfmt")
        .arg("--version")
        .output()
        .is_err()
    {
        println!("note: msgfmt (GNU gettext) is not installed; skipping");
        return;
    }
    let s = Site::sample();
    export(&s, "he", "po");
    for f in all_exported(&s) {
        let o = std::process::Command::new("msgfmt")
            .args(["--check", "-o", "/dev/null"])
            .arg(s.path().join(&f))
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{f}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn plain_i18n_still_reports() {
    let s = Site::sample();
    let r = s.run(&["i18n", "--format", "json"]);
    assert!(r.ok(), "{}", r.stderr);
    assert!(r.stdout.contains("\"default_language\""));
}
