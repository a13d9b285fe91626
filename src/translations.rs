//! What is missing or out of date in each language: the report of
//! `servicekb i18n` and the translation status page.

use crate::model::Site;
use crate::resolve::fields::missing_fields;

/// Present / total, for one kind of text in one language.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Coverage {
    pub present: usize,
    pub total: usize,
    pub percent: f64,
}

impl Coverage {
    fn new(present: usize, total: usize) -> Self {
        let percent = if total == 0 {
            100.0
        } else {
            (present as f64 * 1000.0 / total as f64).round() / 10.0
        };
        Coverage {
            present,
            total,
            percent,
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct MissingArticle {
    pub article: String,
    pub title: String,
    /// The version to translate from.
    pub source: String,
    pub status: &'static str,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct MissingFieldEntry {
    pub kind: &'static str,
    pub id: String,
    pub file: String,
    pub field: String,
    pub status: &'static str,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct OutdatedArticle {
    pub article: String,
    pub title: String,
    pub file: String,
    pub source_lang: String,
    pub source_file: String,
    pub recorded_hash: String,
    pub current_hash: String,
    /// When the source last changed, from git, if the site is in a git checkout.
    pub source_changed: Option<String>,
    pub status: &'static str,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LanguageCoverage {
    pub articles: Coverage,
    pub skill_fields: Coverage,
    pub checklist_strings: Coverage,
    pub ui_strings: Coverage,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Missing {
    pub articles: Vec<MissingArticle>,
    pub fields: Vec<MissingFieldEntry>,
    pub ui_strings: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LanguageReport {
    pub name: String,
    pub direction: &'static str,
    pub coverage: LanguageCoverage,
    pub missing: Missing,
    pub outdated: Vec<OutdatedArticle>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub version: u32,
    pub default_language: String,
    pub languages: std::collections::BTreeMap<String, LanguageReport>,
}

/// "3 days ago" from a Unix time.
pub fn ago(then: i64, now: i64) -> String {
    let s = (now - then).max(0);
    let (n, unit) = match s {
        0..=119 => return "just now".into(),
        120..=7199 => (s / 60, "minute"),
        7200..=172_799 => (s / 3600, "hour"),
        172_800..=5_183_999 => (s / 86400, "day"),
        5_184_000..=63_071_999 => (s / 2_592_000, "month"),
        _ => (s / 31_536_000, "year"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// When git last saw `rel` change, as Unix time.
pub fn git_changed(root: &std::path::Path, rel: &str) -> Option<i64> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["log", "-1", "--format=%ct", "--"])
        .arg(rel)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

/// `with_git` adds when each outdated source last changed (one `git log` each).
pub fn report(
    site: &Site,
    graph: &crate::resolve::Graph,
    only: Option<&str>,
    with_git: bool,
) -> Report {
    let now = chrono::Utc::now().timestamp();
    let fields = missing_fields(site);
    let mut keys: Vec<&String> = site.by_key.keys().collect();
    keys.sort();
    let skill_total = skill_fields(site);
    let checklist_total = checklist_strings(site);
    let mut languages = std::collections::BTreeMap::new();
    for l in &site.config.languages {
        if only.is_some_and(|o| o != l.code) {
            continue;
        }
        let code = l.code.as_str();
        let missing_articles = missing_articles(site, &keys, code);
        let mine: Vec<MissingFieldEntry> = fields
            .iter()
            .filter(|f| f.lang == code)
            .map(|f| MissingFieldEntry {
                kind: f.kind,
                id: f.id.clone(),
                file: f.file.clone(),
                field: f.field.clone(),
                status: "missing",
            })
            .collect();
        let skill_missing = mine.iter().filter(|f| f.kind == "skill").count();
        let checklist_missing = mine.len() - skill_missing;
        let outdated = outdated_articles(site, graph, code, with_git, now);
        let ui_missing = site.ui.missing.get(code).cloned().unwrap_or_default();
        let present_articles = keys
            .iter()
            .filter(|k| site.version(k, code).is_some())
            .count();
        languages.insert(
            code.to_string(),
            LanguageReport {
                name: l.name.clone(),
                direction: l.direction.as_str(),
                coverage: LanguageCoverage {
                    articles: Coverage::new(present_articles, keys.len()),
                    skill_fields: Coverage::new(
                        skill_total.saturating_sub(skill_missing),
                        skill_total,
                    ),
                    checklist_strings: Coverage::new(
                        checklist_total.saturating_sub(checklist_missing),
                        checklist_total,
                    ),
                    ui_strings: Coverage::new(
                        site.ui.total.saturating_sub(ui_missing.len()),
                        site.ui.total,
                    ),
                },
                missing: Missing {
                    articles: missing_articles,
                    fields: mine,
                    ui_strings: ui_missing,
                },
                outdated,
            },
        );
    }
    Report {
        version: 1,
        default_language: site.config.default_language.clone(),
        languages,
    }
}

/// How many skill texts the default language has.
fn skill_fields(site: &Site) -> usize {
    let def = &site.config.default_language;
    let mut n = 0;
    for s in site.skills.values() {
        n += [&s.name, &s.summary, &s.why, &s.development]
            .iter()
            .filter(|m| m.contains_key(def))
            .count();
        n += s
            .indicators
            .iter()
            .filter(|i| i.text.contains_key(def))
            .count();
        n += s
            .interview_questions
            .iter()
            .filter(|q| q.contains_key(def))
            .count();
    }
    n
}

/// How many checklist texts the default language has (a scale's labels
/// count as one).
fn checklist_strings(site: &Site) -> usize {
    let def = &site.config.default_language;
    let mut n = 0;
    for c in site.checklists.values() {
        n += [&c.title, &c.intro]
            .iter()
            .filter(|m| m.contains_key(def))
            .count();
        n += usize::from(c.scale.labels.contains_key(def));
        n += c
            .extra_items
            .iter()
            .filter(|e| e.text.contains_key(def))
            .count();
    }
    n
}

/// The articles `code` has no version of, each with the one to translate.
fn missing_articles(site: &Site, keys: &[&String], code: &str) -> Vec<MissingArticle> {
    let mut out = Vec::new();
    for key in keys {
        if site.version(key, code).is_none() {
            if let Some(src) = site.best_version(key, code) {
                out.push(MissingArticle {
                    article: (*key).clone(),
                    title: src.fm.title.clone(),
                    source: src.file.rel.clone(),
                    status: "missing",
                });
            }
        }
    }
    out
}

/// The articles in `code` whose source changed since they were translated.
fn outdated_articles(
    site: &Site,
    graph: &crate::resolve::Graph,
    code: &str,
    with_git: bool,
    now: i64,
) -> Vec<OutdatedArticle> {
    let mut outdated = Vec::new();
    for (i, a) in site.articles.iter().enumerate() {
        if a.lang != code {
            continue;
        }
        if let Some(s) = graph.outdated[i] {
            let src = &site.articles[s];
            outdated.push(OutdatedArticle {
                article: a.key.clone(),
                title: a.fm.title.clone(),
                file: a.file.rel.clone(),
                source_lang: src.lang.clone(),
                source_file: src.file.rel.clone(),
                recorded_hash: a.source_hash.clone().unwrap_or_default(),
                current_hash: src.body_hash().to_string(),
                source_changed: with_git
                    .then(|| git_changed(&site.root, &src.file.rel).map(|t| ago(t, now)))
                    .flatten(),
                status: "outdated",
            });
        }
    }
    outdated
}

/// The report as a to-do list for a terminal.
pub fn table(r: &Report) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Translation status (default language: {})",
        r.default_language
    );
    for (code, l) in &r.languages {
        language_table(&mut s, code, l);
    }
    s
}

/// One language of [`table`]: its coverage, then what there is to do.
fn language_table(s: &mut String, code: &str, l: &LanguageReport) {
    use std::fmt::Write;
    let c = &l.coverage;
    let _ = writeln!(s);
    let _ = writeln!(s, "{code}  {}", l.name);
    let _ = writeln!(
        s,
        "    articles {}/{} ({}%) · skill fields {}/{} ({}%)",
        c.articles.present,
        c.articles.total,
        c.articles.percent,
        c.skill_fields.present,
        c.skill_fields.total,
        c.skill_fields.percent,
    );
    let _ = writeln!(
        s,
        "    checklist strings {}/{} ({}%) · UI strings {}/{} ({}%)",
        c.checklist_strings.present,
        c.checklist_strings.total,
        c.checklist_strings.percent,
        c.ui_strings.present,
        c.ui_strings.total,
        c.ui_strings.percent
    );
    if l.missing.articles.is_empty()
        && l.outdated.is_empty()
        && l.missing.fields.is_empty()
        && l.missing.ui_strings.is_empty()
    {
        let _ = writeln!(s, "    nothing to do");
        return;
    }
    if !l.outdated.is_empty() {
        let _ = writeln!(
            s,
            "  outdated ({}): update the text, then set translation.source_hash",
            l.outdated.len()
        );
        for o in &l.outdated {
            let when = o
                .source_changed
                .as_ref()
                .map(|w| format!(", source changed {w}"))
                .unwrap_or_default();
            let _ = writeln!(s, "    {}  \"{}\"", o.article, o.title);
            let _ = writeln!(
                s,
                "      {} → source_hash: \"{}\" (was \"{}\"{when})",
                o.file, o.current_hash, o.recorded_hash
            );
        }
    }
    if !l.missing.articles.is_empty() {
        let _ = writeln!(s, "  missing articles ({}):", l.missing.articles.len());
        for m in &l.missing.articles {
            let _ = writeln!(s, "    {}  \"{}\"", m.article, m.title);
            let _ = writeln!(s, "      servicekb translate {} --to {code}", m.source);
        }
    }
    missing_texts(s, &l.missing);
}

/// The missing skill, checklist and UI texts of [`table`], grouped by file.
fn missing_texts(s: &mut String, missing: &Missing) {
    use std::fmt::Write;
    if !missing.fields.is_empty() {
        let _ = writeln!(
            s,
            "  missing skill and checklist texts ({}):",
            missing.fields.len()
        );
        let mut i = 0;
        let f = &missing.fields;
        while i < f.len() {
            let mut j = i;
            let mut names = Vec::new();
            while j < f.len() && f[j].file == f[i].file {
                names.push(f[j].field.as_str());
                j += 1;
            }
            wrapped(s, &format!("    {} {}: ", f[i].kind, f[i].id), &names);
            i = j;
        }
    }
    if !missing.ui_strings.is_empty() {
        let ui = &missing.ui_strings;
        let mut shown: Vec<&str> = ui.iter().take(12).map(String::as_str).collect();
        let more = format!("… ({} more in --format json)", ui.len().saturating_sub(12));
        if ui.len() > 12 {
            shown.push(&more);
        }
        let _ = writeln!(s, "  missing UI strings ({}):", ui.len());
        wrapped(s, "    ", &shown);
    }
}

/// `items` after `first`, comma-separated, wrapped to fit 80 columns.
fn wrapped(s: &mut String, first: &str, items: &[&str]) {
    use std::fmt::Write;
    let mut line = first.to_string();
    let mut width = first.chars().count();
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() {
            format!("{item}, ")
        } else {
            item.to_string()
        };
        let w = piece.chars().count();
        if width + w > 80 && width > 6 {
            let _ = writeln!(s, "{}", line.trim_end());
            line = "      ".to_string();
            width = 6;
        }
        line.push_str(&piece);
        width += w;
    }
    let _ = writeln!(s, "{line}");
}
