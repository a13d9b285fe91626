//! `i18n export` / `i18n import`: PO and XLIFF round trips, scripted
//! translations, and refusals that write nothing.

use crate::common;
use common::Site;
use std::path::{Path, PathBuf};
use std::process::Command;

const PO: &str = "out/skills--empathy.he.po";

/// Every file a translation can be written into: content, the site's
/// theme (its UI strings) and i18n/.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let all = ["content", "themes", "i18n"]
        .into_iter()
        .flat_map(|d| walkdir::WalkDir::new(dir.join(d)).sort_by_file_name());
    for e in all {
        let Ok(e) = e else { continue };
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

/// A copy of the site bundled with servicekb.
fn bundled() -> Site {
    let s = Site::empty();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for part in ["site.yaml", "content", "themes"] {
        copy(&repo.join(part), &s.path().join(part));
    }
    s
}

#[test]
fn round_trip_on_the_bundled_site() {
    let s = bundled();
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
    translate_po_with(text, upper_outside_marks)
}

/// A translator that edits only the msgstr lines: each becomes `f` of its
/// msgid's (quoted) lines.
fn translate_po_with(text: &str, f: fn(&str) -> String) -> String {
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
            out.push_str(&id.iter().map(|l| f(l)).collect::<Vec<_>>().join("\n"));
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

/// A value of a YAML file of the site.
fn yaml(s: &Site, rel: &str) -> serde_yaml::Value {
    serde_yaml::from_str(&s.read(rel)).unwrap()
}

fn at<'a>(v: &'a serde_yaml::Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for k in path {
        cur = match k.parse::<usize>() {
            Ok(i) => &cur[i],
            Err(_) => &cur[*k],
        };
    }
    cur.as_str()
        .unwrap_or_else(|| panic!("{path:?} is not text"))
}

#[test]
fn skills_checklists_and_ui_strings_translated_by_a_script() {
    let s = bundled();
    // One value missing, to be added; one in a `{ en: … }` mapping.
    s.replace("content/skills/empathy.yaml", "  lt: Empatija\n", "");
    let he_before = yaml(&s, "content/skills/empathy.yaml");
    export(&s, "lt", "po");
    let names = [
        "out/_skills.lt.po",
        "out/_checklists.lt.po",
        "out/_ui.lt.po",
    ];
    for n in names {
        s.write(n, &translate_po(&s.read(n)));
    }
    let r = import(&s, &names);
    assert!(r.ok(), "{}", r.stderr);
    let e = yaml(&s, "content/skills/empathy.yaml");
    assert_eq!(at(&e, &["name", "lt"]), "EMPATHY");
    assert_eq!(
        at(&e, &["indicators", "0", "text", "lt"]),
        at(&e, &["indicators", "0", "text", "en"]).to_uppercase()
    );
    // Markdown (a list) keeps its structure.
    let dev = at(&e, &["development", "lt"]);
    assert!(dev.starts_with("- BUILD A PERSONAL SET"), "{dev}");
    assert_eq!(dev.matches("\n- ").count(), 3, "{dev}");
    // Other languages are untouched.
    assert_eq!(e["name"]["he"], he_before["name"]["he"]);
    assert_eq!(e["why"]["he"], he_before["why"]["he"]);
    let a = yaml(&s, "content/skills/adaptability.yaml");
    assert_eq!(at(&a, &["name", "lt"]), "ADAPTABILITY");
    assert_eq!(at(&a, &["name", "he"]), "יכולת הסתגלות");
    let c = yaml(&s, "content/checklists/agent-self-assessment.yaml");
    assert_eq!(at(&c, &["scale", "labels", "lt", "0"]), "RARELY");
    assert!(at(&c, &["intro", "lt"]).contains("](checklist:manager-agent-assessment)"));
    let ui = yaml(&s, "themes/default/i18n/lt.yaml");
    assert_eq!(at(&ui, &["articles_count"]), "{n} ARTICLE|{n} ARTICLES");
    // The site still builds, and exporting again finds the new texts.
    let c = s.check();
    assert!(c.ok(), "{}", c.stderr);
    std::fs::remove_dir_all(s.path().join("out")).unwrap();
    let before = files(s.path());
    export(&s, "lt", "xliff");
    assert!(s.read("out/_skills.lt.xlf").contains(">EMPATHY</target>"));
    let names = all_exported(&s);
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let r = import(&s, &refs);
    assert!(r.ok(), "{}", r.stderr);
    assert!(
        files(s.path()) == before,
        "a second round trip changed a file"
    );
}

/// Every link target and `{#anchor}` of a Markdown body, sorted.
fn links_and_anchors(md: &str) -> Vec<String> {
    let body = md.splitn(3, "---\n").nth(2).unwrap_or(md);
    let mut out = Vec::new();
    for (i, _) in body.match_indices("](") {
        let end = body[i..].find(')').map_or(body.len(), |e| i + e);
        out.push(body[i..end].to_string());
    }
    for (i, _) in body.match_indices("{#") {
        let end = body[i..].find('}').map_or(body.len(), |e| i + e);
        out.push(body[i..end].to_string());
    }
    let headings = body
        .lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| l.split(' ').next().unwrap_or("").to_string());
    out.extend(headings);
    out.sort();
    out
}

#[test]
fn scripted_translations_of_the_bundled_articles_keep_headings_links_and_anchors() {
    let s = bundled();
    // Lithuanian from scratch, Polish over the existing translations.
    for e in walkdir::WalkDir::new(s.path().join("content/articles")) {
        let e = e.unwrap();
        if e.path().to_string_lossy().ends_with(".lt.md") {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    for lang in ["lt", "pl"] {
        let _ = std::fs::remove_dir_all(s.path().join("out"));
        export(&s, lang, "po");
        let names: Vec<String> = all_exported(&s)
            .into_iter()
            .filter(|n| !n.starts_with("out/_"))
            .collect();
        for n in &names {
            s.write(n, &translate_po(&s.read(n)));
        }
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let r = import(&s, &refs);
        assert!(r.ok(), "{lang}: {}", r.stderr);
        for e in walkdir::WalkDir::new(s.path().join("content/articles")) {
            let e = e.unwrap();
            let p = e.path().to_string_lossy().to_string();
            let Some(stem) = p.strip_suffix(".en.md") else {
                continue;
            };
            let src = std::fs::read_to_string(&p).unwrap();
            let tr = std::fs::read_to_string(format!("{stem}.{lang}.md")).unwrap();
            assert_eq!(
                links_and_anchors(&tr),
                links_and_anchors(&src),
                "{stem}.{lang}.md"
            );
        }
    }
    let c = s.check();
    assert!(c.ok(), "{}", c.stderr);
}

/// A translate-toolkit command: in the virtual environment scripts/test
/// makes under target/, or on PATH.
fn toolkit(cmd: &str) -> Option<PathBuf> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/translate-toolkit/bin")
        .join(cmd);
    if venv.is_file() {
        return Some(venv);
    }
    Command::new(cmd)
        .arg("--version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| PathBuf::from(cmd))
}

fn toolkit_or_skip(cmds: &[&str]) -> Option<Vec<PathBuf>> {
    let found: Option<Vec<PathBuf>> = cmds.iter().map(|c| toolkit(c)).collect();
    if found.is_none() {
        println!(
            "note: translate-toolkit ({}) is not installed; skipping (scripts/test installs it)",
            cmds.join(", ")
        );
    }
    found
}

fn convert(tool: &Path, from: &Path, to: &Path) {
    let o = Command::new(tool)
        .arg("-i")
        .arg(from)
        .arg("-o")
        .arg(to)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{}: {}",
        tool.display(),
        String::from_utf8_lossy(&o.stderr)
    );
}

fn all_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .collect();
    v.sort();
    v
}

#[test]
fn translate_toolkit_round_trips_keep_every_unit() {
    let Some(t) = toolkit_or_skip(&["po2xliff", "xliff2po"]) else {
        return;
    };
    let (po2xliff, xliff2po) = (&t[0], &t[1]);
    let s = bundled();
    let before = files(s.path());
    for lang in ["he", "pl"] {
        // PO → XLIFF → PO.
        for d in ["out", "x", "p"] {
            let _ = std::fs::remove_dir_all(s.path().join(d));
        }
        export(&s, lang, "po");
        let n = all_exported(&s).len();
        convert(po2xliff, &s.path().join("out"), &s.path().join("x"));
        convert(xliff2po, &s.path().join("x"), &s.path().join("p"));
        let back = all_in(&s.path().join("p"));
        assert_eq!(back.len(), n);
        let mut a = vec!["i18n", "import"];
        a.extend(back.iter().map(String::as_str));
        let r = s.run(&a);
        assert!(r.ok(), "{lang} po→xliff→po: {}", r.stderr);
        assert!(
            files(s.path()) == before,
            "{lang} po→xliff→po changed a file"
        );
        // servicekb's XLIFF → PO.
        for d in ["out", "p"] {
            let _ = std::fs::remove_dir_all(s.path().join(d));
        }
        export(&s, lang, "xliff");
        convert(xliff2po, &s.path().join("out"), &s.path().join("p"));
        let back = all_in(&s.path().join("p"));
        assert_eq!(back.len(), n);
        let mut a = vec!["i18n", "import"];
        a.extend(back.iter().map(String::as_str));
        let r = s.run(&a);
        assert!(r.ok(), "{lang} xliff→po: {}", r.stderr);
        assert!(files(s.path()) == before, "{lang} xliff→po changed a file");
    }
}

#[test]
fn xliff2po_output_translated_by_a_script_imports() {
    let Some(t) = toolkit_or_skip(&["xliff2po"]) else {
        return;
    };
    let s = Site::sample();
    std::fs::remove_file(s.path().join("content/articles/skills/empathy.he.md")).unwrap();
    export(&s, "he", "xliff");
    let po = "out/skills--empathy.he.po";
    convert(
        &t[0],
        &s.path().join("out/skills--empathy.he.xlf"),
        &s.path().join(po),
    );
    // xliff2po writes the link markup itself where the XLIFF had bpt/ept.
    let text = s.read(po);
    assert!(text.contains("[check](checklist:self-check)"), "{text}");
    s.write(
        po,
        &translate_po_with(&text, |l| {
            l.replace("check]", "CHECK]")
                .replace("Name the feeling", "NAME THE FEELING")
        }),
    );
    let r = import(&s, &[po]);
    assert!(r.ok(), "{}", r.stderr);
    let he = s.read("content/articles/skills/empathy.he.md");
    assert!(he.contains("[CHECK](checklist:self-check)"), "{he}");
    assert!(
        he.contains("## NAME THE FEELING {#name-the-feeling}"),
        "{he}"
    );
    assert!(s.check().ok());
}

#[test]
fn pofilter_finds_the_placeholders_import_checks() {
    let Some(t) = toolkit_or_skip(&["pofilter"]) else {
        return;
    };
    let s = bundled();
    export(&s, "pl", "po");
    let filter = |from: &str| {
        let to = s.path().join("filtered.po");
        let o = Command::new(&t[0])
            .args(["-t", "pythonbraceformat", "-i"])
            .arg(s.path().join(from))
            .arg("-o")
            .arg(&to)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        std::fs::read_to_string(&to).unwrap_or_default()
    };
    for f in all_exported(&s) {
        let out = filter(&f);
        assert!(!out.contains("(pofilter)"), "{f}: {out}");
    }
    // A placeholder deleted from a translation: pofilter flags it, and
    // import refuses the file.
    let f = "out/hiring--ten-hiring-qualities.pl.po";
    let text = s.read(f);
    let i = text.rfind("{/1}").unwrap();
    s.write(f, &format!("{}{}", &text[..i], &text[i + 4..]));
    assert!(filter(f).contains("(pofilter) pythonbraceformat"));
    assert_refused(&s, f, "placeholder `{/1}` is missing");
}

#[test]
fn bad_xliff_is_refused_with_a_position() {
    let s = Site::sample();
    export(&s, "he", "xliff");
    let x = "out/skills--empathy.he.xlf";
    let good = s.read(x);
    // A translation that lost a placeholder: the last unit with a link,
    // its source copied as the target without the closing `<ept>`.
    let i = good.rfind("<ept ").unwrap();
    let src = good[..i].rfind("<source>").unwrap() + "<source>".len();
    let end = i + good[i..].find("</source>").unwrap();
    let ept_end = i + good[i..].find("</ept>").unwrap() + "</ept>".len();
    let target = format!("{}{}", &good[src..i], &good[ept_end..end]);
    s.write(
        x,
        &format!(
            "{}</source><target>{target}</target>{}",
            &good[..end],
            &good[end + "</source>".len()..]
        ),
    );
    assert_refused(&s, x, "skills--empathy.he.xlf:");
    assert_refused(&s, x, "is missing");
    // Truncated.
    s.write(x, &good[..good.len() / 2]);
    assert_refused(&s, x, "skills--empathy.he.xlf:");
    // Latin-1 bytes.
    let mut latin = good.clone().into_bytes();
    latin.extend_from_slice(b"<!-- caf\xe9 -->\n");
    s.write_bytes(x, &latin);
    assert_refused(&s, x, "not UTF-8");
    // For another article.
    s.write(
        x,
        &good.replace("skills/empathy.en.md", "skills/waiting.en.md"),
    );
    assert_refused(&s, x, "export it again");
}

fn utf16(text: &str) -> Vec<u8> {
    let mut b = vec![0xff, 0xfe];
    for u in text.encode_utf16() {
        b.extend_from_slice(&u.to_le_bytes());
    }
    b
}

#[test]
fn utf16_files_are_refused_with_a_position() {
    let s = Site::sample();
    for format in ["po", "xliff"] {
        export(&s, "he", format);
    }
    for f in ["out/skills--empathy.he.po", "out/skills--empathy.he.xlf"] {
        let good = s.read(f);
        s.write_bytes(f, &utf16(&good));
        assert_refused(&s, f, ":1:1: the file is not UTF-8");
    }
}

#[test]
fn bad_skill_and_ui_files_are_refused() {
    let s = Site::sample();
    export(&s, "he", "po");
    // A link placeholder dropped from a checklist's Markdown intro.
    let f = "out/_checklists.he.po";
    let t = translate_po(&s.read(f));
    assert!(t.contains("{1}"), "{t}");
    s.write(f, &t.replacen("msgstr \"", "msgstr \"{9} ", usize::MAX));
    assert_refused(&s, f, "`{9}` is not a placeholder");
    // A UI string that loses its {n}.
    let f = "out/_ui.he.po";
    let good = s.read(f);
    let t = good.replacen(
        "msgid \"{n} article|{n} articles\"\nmsgstr \"",
        "msgid \"{n} article|{n} articles\"\nmsgstr \"x|",
        1,
    );
    let t = t.replacen("|{n} מאמרים", "|מאמרים", 1);
    assert_ne!(t, good);
    s.write(f, &t);
    assert_refused(&s, f, "placeholder `{n}` is missing");
    // A skill file changed since the export.
    s.write(f, &good);
    let f = "out/_skills.he.po";
    s.write(f, &translate_po(&s.read(f)));
    s.replace("content/skills/empathy.yaml", "he: אמפתיה", "he: אמפתיה!");
    assert_refused(&s, f, "--force");
}

#[test]
fn diff_shows_the_words_changed_since_the_translation() {
    let git = |s: &Site, args: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(s.path())
            .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
    };
    let s = Site::sample();
    if git(&s, &["init", "-q"]).is_err() {
        println!("note: git is not installed; skipping");
        return;
    }
    assert!(git(&s, &["add", "-A"]).unwrap().status.success());
    assert!(git(&s, &["commit", "-qm", "one"]).unwrap().status.success());
    let a = "content/articles/skills/empathy.en.md";
    let r = s.run(&["i18n", "diff", a, "--to", "he"]);
    assert!(r.ok(), "{}", r.stderr);
    assert!(r.stdout.contains("up to date"), "{}", r.stdout);
    s.replace(a, "Say it. See", "Say it out loud. See");
    assert!(git(&s, &["commit", "-qam", "two"])
        .unwrap()
        .status
        .success());
    let r = s.run(&["i18n", "diff", a, "--to", "he"]);
    assert!(r.ok(), "{}", r.stderr);
    assert!(r.stdout.contains("b3.p"), "{}", r.stdout);
    // Word by word, old → new, at the unit's line in the source.
    assert!(
        r.stdout.contains(
            "b3.p (content/articles/skills/empathy.en.md:12)\n  Say [-it.-] {+it out loud.+} See {1}waiting{/1}."
        ),
        "{}",
        r.stdout
    );
    // Only the changed unit is listed.
    assert!(!r.stdout.contains("b1.p"), "{}", r.stdout);
    // Export marks that unit fuzzy and no other.
    export(&s, "he", "po");
    let po = s.read(PO);
    assert_eq!(po.matches("#, fuzzy").count(), 1, "{po}");
}
