//! `servicekb i18n export|import|diff`: articles exchanged with
//! translators as PO or XLIFF 1.2 files, one file per article, cut into
//! block-level units (see `crate::units`).

use super::translate::{body_at_hash, relative_to_root, stub_front_matter};
use crate::hash::source_hash;
use crate::load::article::{parse_article_path, split_front_matter, ARTICLES_DIR};
use crate::load::config::load_config;
use crate::model::SiteConfig;
use crate::source::SourceFile;
use crate::units::{continuation_prefix, restore, units, Code};
use std::path::{Path, PathBuf};

/// One unit as exchanged: the source text, the translation found, where.
#[derive(Debug, Clone)]
pub struct XUnit {
    pub id: String,
    pub kind: &'static str,
    pub source: String,
    pub codes: Vec<Code>,
    /// Line in the source file.
    pub line: usize,
    /// The existing translation that aligns, in the source's placeholders.
    pub target: String,
    /// The source text changed since the translation was made.
    pub fuzzy: bool,
    /// Byte range in the target body, when the target aligns.
    pub target_span: Option<std::ops::Range<usize>>,
    /// The file the source text is in, when not the document's own.
    pub file: Option<String>,
}

/// An article as exchanged.
pub struct Doc {
    pub source_rel: String,
    pub target_rel: String,
    pub lang: String,
    pub source_lang: String,
    pub source_hash: String,
    /// A fingerprint of the target file as it was ("none": no file).
    pub target_state: String,
    pub units: Vec<XUnit>,
    /// Every target body unit aligns with the source's (same count and kinds).
    pub aligned: bool,
    /// The translation's recorded source_hash.
    recorded: Option<String>,
    source_text: String,
    source_fm: (usize, usize, usize),
    target_text: Option<String>,
    target_fm: Option<(usize, usize, usize)>,
}

impl Doc {
    /// For each unit, whether an earlier one has the same text at the same
    /// place (identical table cells on one line): those get their id as a
    /// second reference, since converters that drop msgctxt (po2xliff)
    /// merge entries with equal text and references (xliff2po).
    pub fn repeated(&self) -> Vec<bool> {
        let mut seen = std::collections::HashSet::new();
        self.units
            .iter()
            .map(|u| !seen.insert((&u.source, &u.file, u.line)))
            .collect()
    }

    /// A document of skill, checklist or UI texts (see `fields`).
    pub fn of_fields(
        source_rel: &str,
        target_rel: &str,
        lang: &str,
        source_lang: &str,
        units: Vec<XUnit>,
    ) -> Doc {
        let all = |f: fn(&XUnit) -> &str| {
            units
                .iter()
                .map(|u| format!("{}\0{}\0", u.id, f(u)))
                .collect::<String>()
        };
        Doc {
            source_rel: source_rel.to_string(),
            target_rel: target_rel.to_string(),
            lang: lang.to_string(),
            source_lang: source_lang.to_string(),
            source_hash: source_hash(&all(|u| &u.source)),
            target_state: source_hash(&all(|u| &u.target)),
            units,
            aligned: false,
            recorded: None,
            source_text: String::new(),
            source_fm: (0, 0, 0),
            target_text: None,
            target_fm: None,
        }
    }
}

fn fm_string(fm: &str, key: &str) -> Option<String> {
    let v: serde_yaml::Value = serde_yaml::from_str(fm).ok()?;
    v.get(key)?.as_str().map(str::to_string)
}

fn recorded_hash(fm: &str) -> Option<String> {
    let v: serde_yaml::Value = serde_yaml::from_str(fm).ok()?;
    let h = v.get("translation")?.get("source_hash")?;
    match h {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The target's text in the source's placeholders, when every piece of
/// markup it has is one the source has.
pub(super) fn renumber(target: &crate::units::Unit, source: &[Code]) -> Option<String> {
    if target.codes.len() != source.len() {
        return None;
    }
    let mut used = vec![false; source.len()];
    let mut map = Vec::new();
    for c in &target.codes {
        let i = source
            .iter()
            .enumerate()
            .position(|(i, s)| !used[i] && s.open == c.open && s.close == c.close)?;
        used[i] = true;
        map.push((c.n, source[i].n));
    }
    // Swap through a form no text has, then into the source's numbers.
    let mut t = target.text.clone();
    for (from, _) in &map {
        t = t
            .replace(&format!("{{{from}}}"), &format!("\u{1}{from}\u{2}"))
            .replace(&format!("{{/{from}}}"), &format!("\u{1}/{from}\u{2}"));
    }
    for (from, to) in &map {
        t = t
            .replace(&format!("\u{1}{from}\u{2}"), &format!("{{{to}}}"))
            .replace(&format!("\u{1}/{from}\u{2}"), &format!("{{/{to}}}"));
    }
    Some(t)
}

pub fn article_rel(root: &Path, article: &Path) -> Result<String, String> {
    relative_to_root(root, article).ok_or_else(|| {
        format!(
            "{}: no such article in the site folder {}",
            article.display(),
            root.display()
        )
    })
}

/// Reads an article and its translation into `to` as units.
pub fn load_doc(root: &Path, config: &SiteConfig, rel: &str, to: &str) -> Result<Doc, String> {
    let under = rel
        .strip_prefix(ARTICLES_DIR)
        .map(|s| s.trim_start_matches('/'))
        .ok_or_else(|| format!("{rel}: not an article (articles live under {ARTICLES_DIR}/)"))?;
    let path = parse_article_path(under, config).map_err(|m| format!("{rel}: {m}"))?;
    if to == path.lang {
        return Err(format!("{rel} is already the `{to}` version"));
    }
    let plain =
        |d: crate::diagnostics::Diagnostic| d.to_string().trim_start_matches("error: ").to_string();
    let src = SourceFile::read(root, rel).map_err(plain)?;
    let sfm = split_front_matter(&src).map_err(plain)?;
    let body = &src.text[sfm.2..];
    let hash = source_hash(body);
    let dir = Path::new(rel)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let target_rel = dir
        .join(format!("{}.{to}.md", path.stem))
        .to_string_lossy()
        .replace('\\', "/");
    let (target_text, tfm) = if root.join(&target_rel).exists() {
        let t = SourceFile::read(root, &target_rel).map_err(plain)?;
        let tfm = split_front_matter(&t).map_err(plain)?;
        (Some(t.text), Some(tfm))
    } else {
        (None, None)
    };
    let recorded = match (&target_text, tfm) {
        (Some(t), Some(f)) => recorded_hash(&t[f.0..f.1]),
        _ => None,
    };
    let outdated = recorded.as_deref().is_some_and(|r| r != hash);
    // Which source units changed since the translation, when history tells.
    let old_units: Option<Vec<crate::units::Unit>> = match (&recorded, outdated) {
        (Some(r), true) => body_at_hash(root, rel, r).map(|b| units(&b)),
        _ => None,
    };
    let sfm_text = &src.text[sfm.0..sfm.1];
    let tfm_text = match (&target_text, tfm) {
        (Some(t), Some(f)) => Some(&t[f.0..f.1]),
        _ => None,
    };
    let mut out = Vec::new();
    let line_of = |off: usize| src.text[..off].matches('\n').count() + 1;
    for key in ["title", "description"] {
        if let Some(s) = fm_string(sfm_text, key) {
            let line = src.text[sfm.0..sfm.1]
                .lines()
                .position(|l| l.starts_with(&format!("{key}:")))
                .map_or(1, |p| p + 2);
            let target = tfm_text.and_then(|f| fm_string(f, key)).unwrap_or_default();
            out.push(XUnit {
                id: key.to_string(),
                kind: "fm",
                source: s,
                codes: Vec::new(),
                line,
                fuzzy: outdated && !target.is_empty(),
                target,
                target_span: None,
                file: None,
            });
        }
    }
    let su = units(body);
    let tu = match (&target_text, tfm) {
        (Some(t), Some(f)) => units(&t[f.2..]),
        _ => Vec::new(),
    };
    let aligned = target_text.is_some()
        && su.len() == tu.len()
        && su.iter().zip(&tu).all(|(a, b)| a.kind == b.kind);
    for (i, u) in su.iter().enumerate() {
        let t = tu.get(i).filter(|t| t.kind == u.kind);
        let target = t.and_then(|t| renumber(t, &u.codes)).unwrap_or_default();
        let fuzzy = !target.is_empty()
            && outdated
            && match &old_units {
                Some(old) => old
                    .get(i)
                    .is_none_or(|o| o.kind != u.kind || o.text != u.text),
                None => true,
            };
        out.push(XUnit {
            id: u.id(),
            kind: u.kind,
            source: u.text.clone(),
            codes: u.codes.clone(),
            line: line_of(sfm.2 + u.span.start),
            target,
            fuzzy,
            target_span: if aligned {
                t.map(|t| t.span.clone())
            } else {
                None
            },
            file: None,
        });
    }
    Ok(Doc {
        source_rel: rel.to_string(),
        target_rel,
        lang: to.to_string(),
        source_lang: path.lang,
        source_hash: hash,
        target_state: target_text
            .as_deref()
            .map_or_else(|| "none".to_string(), source_hash),
        units: out,
        aligned,
        recorded,
        source_text: src.text.clone(),
        source_fm: sfm,
        target_text,
        target_fm: tfm,
    })
}

/// A translated unit from an exchange file.
#[derive(Debug, Clone)]
pub struct Translated {
    pub id: String,
    pub source: String,
    pub target: String,
    pub fuzzy: bool,
    /// Line in the exchange file.
    pub line: usize,
}

/// An exchange file read back.
pub struct Incoming {
    pub file: String,
    pub headers: Vec<(String, String)>,
    pub units: Vec<Translated>,
    /// Line of the end of the file (for errors about what is missing).
    pub last_line: usize,
}

impl Incoming {
    pub fn header(&self, key: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }
}

fn yaml_scalar(s: &str) -> String {
    serde_yaml::to_string(s)
        .map(|y| y.trim_end_matches('\n').to_string())
        .unwrap_or_else(|_| format!("{s:?}"))
}

/// `fm` with the top-level `key:` (and its continuation lines) set to
/// `value`, or added at the end.
fn set_fm_key(fm: &str, key: &str, value: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    let mut done = false;
    for line in fm.lines() {
        let top_key = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        if top_key {
            skipping = false;
            if line.starts_with(&format!("{key}:")) {
                out.push_str(&format!("{key}: {value}\n"));
                skipping = true;
                done = true;
                continue;
            }
        }
        if !skipping {
            out.push_str(line);
            out.push('\n');
        }
    }
    if !done {
        out.push_str(&format!("{key}: {value}\n"));
    }
    out
}

/// The unit's text made into Markdown for its place in a body.
pub(super) fn markdown_of(u: &XUnit, text: &str, prefix: &str) -> Result<String, String> {
    let md = restore(text, &u.codes).map_err(|e| e.0)?;
    let md = md.trim().replace("\r\n", "\n");
    Ok(match u.kind {
        "th" | "td" => md.replace('\n', " "),
        k if k.starts_with('h') => md.replace('\n', " "),
        _ => md.replace('\n', &format!("\n{prefix}")),
    })
}

/// The text of a unit that a converter (xliff2po) wrote with the markup
/// itself instead of placeholders, in placeholders again; `None` when its
/// markup is not exactly the source's.
fn from_markup(u: &XUnit, text: &str) -> Option<String> {
    if text.is_empty() {
        return Some(String::new());
    }
    let parsed = units(text);
    match parsed.as_slice() {
        [] if u.codes.is_empty() => Some(text.to_string()),
        [one] => renumber(one, &u.codes),
        _ => None,
    }
}

/// Checks that `inc` was exported from `doc` as it is now, and gives its
/// units in the source's placeholders. Errors are `file:line: message`.
pub fn check_units(doc: &Doc, inc: &Incoming, force: bool) -> Result<Vec<Translated>, String> {
    let at = |line: usize, msg: String| format!("{}:{line}: {msg}", inc.file);
    if inc.header("X-Servicekb-Source") != Some(doc.source_rel.as_str()) {
        return Err(at(1, format!("this file is not for {}", doc.source_rel)));
    }
    if let Some(n) = inc.header("X-Servicekb-Units") {
        if n.parse::<usize>().ok() != Some(inc.units.len()) {
            return Err(at(
                inc.last_line,
                format!(
                    "the file has {} units but was exported with {n}: it is truncated or units were deleted",
                    inc.units.len()
                ),
            ));
        }
    }
    if inc.units.len() != doc.units.len() {
        return Err(at(
            inc.last_line,
            format!(
                "the file has {} units but {} has {} now: export it again",
                inc.units.len(),
                doc.source_rel,
                doc.units.len()
            ),
        ));
    }
    let mut out = Vec::with_capacity(inc.units.len());
    for (t, u) in inc.units.iter().zip(&doc.units) {
        // Units are matched by position and source text: converters
        // (po2xliff) may drop or rename the context that holds the id.
        let mut t = t.clone();
        if t.source != u.source {
            let markup = restore(&u.source, &u.codes).ok();
            let target = (markup.as_deref() == Some(t.source.as_str()))
                .then(|| from_markup(u, &t.target))
                .flatten();
            match target {
                Some(target) => {
                    t.source = u.source.clone();
                    t.target = target;
                }
                None => {
                    return Err(at(
                        t.line,
                        format!(
                            "unit `{}`: its source text is not that of the current {} (the source changed since the export, the file is for another text, or the source text or a link in it was edited); export it again",
                            u.id, doc.source_rel
                        ),
                    ));
                }
            }
        }
        t.id = u.id.clone();
        out.push(t);
    }
    let exported_state = inc.header("X-Servicekb-Target-State").unwrap_or("none");
    if exported_state != doc.target_state && !force {
        return Err(at(
            1,
            format!(
                "{} changed since this file was exported; importing would overwrite that work (use --force to import anyway)",
                doc.target_rel
            ),
        ));
    }
    Ok(out)
}

/// What importing `inc` into `doc` writes: the target file's new text, or
/// `None` when nothing changed. Errors are `file:line: message`.
pub fn apply(doc: &Doc, inc: &Incoming, force: bool) -> Result<Option<String>, String> {
    let at = |line: usize, msg: String| format!("{}:{line}: {msg}", inc.file);
    let checked = check_units(doc, inc, force)?;
    let inc = Incoming {
        file: inc.file.clone(),
        headers: Vec::new(),
        units: checked,
        last_line: inc.last_line,
    };
    // Validate every placeholder first.
    let mut md = Vec::new();
    for (t, u) in inc.units.iter().zip(&doc.units) {
        if t.target.is_empty() {
            md.push(None);
            continue;
        }
        let prefix = match (&u.target_span, &doc.target_text, doc.target_fm) {
            (Some(s), Some(tt), Some(f)) => continuation_prefix(&tt[f.2..], s.start),
            _ => String::new(),
        };
        let m = if u.kind == "fm" {
            Ok(t.target.clone())
        } else {
            markdown_of(u, &t.target, &prefix)
        };
        md.push(Some(
            m.map_err(|e| at(t.line, format!("unit `{}`: {e}", t.id)))?,
        ));
    }
    let changed = inc
        .units
        .iter()
        .zip(&doc.units)
        .any(|(t, u)| t.target != u.target || t.fuzzy != u.fuzzy);
    if !changed {
        return Ok(None);
    }
    if inc.units.iter().all(|t| t.target.is_empty()) {
        return Ok(None);
    }
    let any_fuzzy = inc.units.iter().any(|t| t.fuzzy && !t.target.is_empty());
    let hash = if any_fuzzy {
        doc.recorded
            .clone()
            .unwrap_or_else(|| doc.source_hash.clone())
    } else {
        doc.source_hash.clone()
    };
    let (mut fm, body) = match (&doc.target_text, doc.target_fm, doc.aligned) {
        (Some(tt), Some(f), true) => {
            // Patch the translation in place: only changed units.
            let mut body = tt[f.2..].to_string();
            let mut edits: Vec<(std::ops::Range<usize>, &str)> = Vec::new();
            for ((t, u), m) in inc.units.iter().zip(&doc.units).zip(&md) {
                if let (Some(span), Some(m)) = (&u.target_span, m) {
                    if t.target != u.target {
                        edits.push((span.clone(), m.as_str()));
                    }
                }
            }
            edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
            for (r, m) in edits {
                body.replace_range(r, m);
            }
            (tt[f.0..f.1].to_string(), body)
        }
        _ => {
            // Build from the source: its front matter and body, units replaced.
            let s = &doc.source_text;
            let (a, b, c) = doc.source_fm;
            let fm = stub_front_matter(&s[a..b], &doc.source_lang, &hash);
            let body_src = &s[c..];
            let su = units(body_src);
            let mut body = body_src.to_string();
            let body_units = inc
                .units
                .iter()
                .zip(&doc.units)
                .filter(|(_, u)| u.kind != "fm");
            let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
            for ((t, u), s_unit) in body_units.zip(&su) {
                if !t.target.is_empty() {
                    let prefix = continuation_prefix(body_src, s_unit.span.start);
                    let m = markdown_of(u, &t.target, &prefix)
                        .map_err(|e| at(t.line, format!("unit `{}`: {e}", t.id)))?;
                    edits.push((s_unit.span.clone(), m));
                }
            }
            edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
            for (r, m) in edits {
                body.replace_range(r, &m);
            }
            (fm, body)
        }
    };
    for ((t, u), m) in inc.units.iter().zip(&doc.units).zip(&md) {
        if u.kind == "fm" {
            if let Some(m) = m {
                if t.target != u.target || !doc.aligned {
                    fm = set_fm_key(&fm, &u.id, &yaml_scalar(m));
                }
            }
        }
    }
    let fm = set_fm_key(
        &fm,
        "translation",
        &format!("\n  source: {}\n  source_hash: \"{hash}\"", doc.source_lang),
    );
    let fm = fm.replace("translation: \n", "translation:\n");
    let body = body.trim_start_matches('\n');
    Ok(Some(format!("---\n{fm}---\n\n{body}")))
}

/// Every article of the default language, relative to the site root.
fn source_articles(root: &Path, config: &SiteConfig) -> Vec<String> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root.join(ARTICLES_DIR))
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !e.file_type().is_file() {
            continue;
        }
        let Ok(rel) = e.path().strip_prefix(root) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        let under = rel[ARTICLES_DIR.len()..].trim_start_matches('/');
        if let Ok(p) = parse_article_path(under, config) {
            if p.lang == config.default_language {
                out.push(rel);
            }
        }
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ExFormat {
    Po,
    Xliff,
}

/// The exchange file's name for an article: its path under the articles
/// folder, `/` made `--`.
fn exchange_name(doc: &Doc, ext: &str) -> String {
    let under = doc.source_rel[ARTICLES_DIR.len()..].trim_start_matches('/');
    let stem = under.trim_end_matches(".md");
    let stem = stem
        .strip_suffix(&format!(".{}", doc.source_lang))
        .unwrap_or(stem);
    format!("{}.{}.{ext}", stem.replace('/', "--"), doc.lang)
}

fn load_config_or_print(root: &Path) -> Option<SiteConfig> {
    match load_config(root) {
        Ok(c) => Some(c),
        Err(ds) => {
            for d in ds {
                eprintln!("{d}");
            }
            None
        }
    }
}

fn check_lang(config: &SiteConfig, to: &str) -> Result<(), String> {
    if config.has_language(to) {
        return Ok(());
    }
    let codes: Vec<&str> = config.languages.iter().map(|l| l.code.as_str()).collect();
    Err(format!(
        "`{to}` is not a language of this site (languages: {})",
        codes.join(", ")
    ))
}

pub fn i18n_export(root: &Path, to: &str, format: ExFormat, out: Option<PathBuf>) -> u8 {
    let Some(config) = load_config_or_print(root) else {
        return 1;
    };
    if let Err(m) = check_lang(&config, to) {
        eprintln!("error: {m}");
        return 1;
    }
    if to == config.default_language {
        eprintln!("error: `{to}` is the source language; export into another language");
        return 1;
    }
    let out = out.unwrap_or_else(|| root.join("translations").join(to));
    let mut files = Vec::new();
    for rel in source_articles(root, &config) {
        let doc = match load_doc(root, &config, &rel, to) {
            Ok(d) => d,
            Err(m) => {
                eprintln!("error: {m}");
                return 1;
            }
        };
        let (name, text) = match format {
            ExFormat::Po => (exchange_name(&doc, "po"), super::po::write(&doc)),
            ExFormat::Xliff => (exchange_name(&doc, "xlf"), super::xliff::write(&doc)),
        };
        files.push((name, text));
    }
    for (name, source) in [
        ("skills", super::fields::SKILLS),
        ("checklists", super::fields::CHECKLISTS),
        ("ui", super::fields::UI),
    ] {
        let fd = match super::fields::load(root, &config, source, to) {
            Some(Ok(fd)) => fd,
            Some(Err(m)) => {
                eprintln!("error: {m}");
                return 1;
            }
            None => continue,
        };
        if fd.doc.units.is_empty() {
            continue;
        }
        files.push(match format {
            ExFormat::Po => (format!("_{name}.{to}.po"), super::po::write(&fd.doc)),
            ExFormat::Xliff => (format!("_{name}.{to}.xlf"), super::xliff::write(&fd.doc)),
        });
    }
    let base = crate::fsguard::absolute(&out);
    let parent = base.parent().map(Path::to_path_buf).unwrap_or_default();
    if let Err(e) = std::fs::create_dir_all(&parent)
        .and_then(|_| crate::fsguard::create_dirs_no_links(&parent, &base))
    {
        eprintln!(
            "error: {}: cannot create: {}",
            out.display(),
            crate::diagnostics::plain_io(&e)
        );
        return 1;
    }
    for (name, text) in files {
        let p = base.join(&name);
        if let Err(e) = crate::fsguard::replace_file(&p, text.as_bytes()) {
            eprintln!(
                "error: {}: cannot write: {}",
                p.display(),
                crate::diagnostics::plain_io(&e)
            );
            return 1;
        }
        println!("{}", out.join(&name).display());
    }
    0
}

/// Reads an exchange file as UTF-8, or says where it is not.
fn read_exchange(path: &Path) -> Result<String, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| format!("{name}: cannot read: {}", crate::diagnostics::plain_io(&e)))?;
    match String::from_utf8(bytes) {
        Ok(t) => Ok(t
            .strip_prefix('\u{feff}')
            .unwrap_or(&t)
            .replace("\r\n", "\n")),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let b = e.into_bytes();
            let prefix = String::from_utf8_lossy(&b[..valid]);
            let (line, col) = crate::source::line_col(&prefix, prefix.len());
            Err(format!(
                "{name}:{line}:{col}: the file is not UTF-8 text (save it as UTF-8)"
            ))
        }
    }
}

pub fn i18n_import(root: &Path, files: &[PathBuf], force: bool) -> u8 {
    let Some(config) = load_config_or_print(root) else {
        return 1;
    };
    let mut writes: Vec<(PathBuf, String, String, bool)> = Vec::new();
    for f in files {
        let name = f.display().to_string();
        let prepared = read_exchange(f).and_then(|text| {
            let inc = if text.trim_start().starts_with('<') {
                super::xliff::read(&name, &text)?
            } else {
                super::po::read(&name, &text)?
            };
            let src = inc
                .header("X-Servicekb-Source")
                .ok_or_else(|| format!("{name}:1: no X-Servicekb-Source header: this is not a file servicekb exported"))?
                .to_string();
            let lang = inc
                .header("Language")
                .ok_or_else(|| format!("{name}:1: no Language header"))?
                .to_string();
            check_lang(&config, &lang).map_err(|m| format!("{name}:1: {m}"))?;
            if let Some(fd) = super::fields::load(root, &config, &src, &lang) {
                let fd = fd.map_err(|m| format!("{name}:1: {m}"))?;
                let w = super::fields::apply(&fd, &inc, force)?;
                return Ok((w, fd.doc.target_rel.clone()));
            }
            let doc = load_doc(root, &config, &src, &lang)?;
            let w = apply(&doc, &inc, force)?
                .map(|text| (doc.target_rel.clone(), text, doc.target_text.is_none()));
            Ok((w.into_iter().collect(), doc.target_rel))
        });
        match prepared {
            Ok((w, target)) if w.is_empty() => println!("{target}: unchanged"),
            Ok((w, _)) => {
                for (rel, text, new) in w {
                    if writes.iter().any(|x| x.1 == rel) {
                        eprintln!("error: {name}: {rel} is written by an earlier file too; import them one at a time");
                        eprintln!("error: nothing was imported");
                        return 1;
                    }
                    writes.push((root.join(&rel), rel, text, new));
                }
            }
            Err(m) => {
                eprintln!("error: {m}");
                eprintln!("error: nothing was imported");
                return 1;
            }
        }
    }
    for (path, rel, text, new) in writes {
        let r = if new {
            let parent = path.parent().unwrap_or(root);
            crate::fsguard::create_dirs_below(root, parent)
                .and_then(|_| crate::fsguard::create_new_file(&path, text.as_bytes()))
        } else {
            crate::fsguard::replace_file(&path, text.as_bytes())
        };
        if let Err(e) = r {
            eprintln!(
                "error: {rel}: cannot write: {}",
                crate::diagnostics::plain_io(&e)
            );
            return 1;
        }
        println!("{rel}");
    }
    0
}

/// Word-level difference: `[-old-]{+new+}` around what changed.
pub fn word_diff(old: &str, new: &str) -> String {
    let a: Vec<&str> = old.split_whitespace().collect();
    let b: Vec<&str> = new.split_whitespace().collect();
    let (n, m) = (a.len(), b.len());
    let mut l = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            l[i][j] = if a[i] == b[j] {
                l[i + 1][j + 1] + 1
            } else {
                l[i + 1][j].max(l[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out: Vec<String> = Vec::new();
    let (mut del, mut ins): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
    let flush = |out: &mut Vec<String>, del: &mut Vec<&str>, ins: &mut Vec<&str>| {
        if !del.is_empty() {
            out.push(format!("[-{}-]", del.join(" ")));
            del.clear();
        }
        if !ins.is_empty() {
            out.push(format!("{{+{}+}}", ins.join(" ")));
            ins.clear();
        }
    };
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            flush(&mut out, &mut del, &mut ins);
            out.push(a[i].to_string());
            i += 1;
            j += 1;
        } else if j < m && (i == n || l[i][j + 1] >= l[i + 1][j]) {
            ins.push(b[j]);
            j += 1;
        } else {
            del.push(a[i]);
            i += 1;
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out.join(" ")
}

pub fn i18n_diff(root: &Path, article: &Path, to: &str) -> u8 {
    let Some(config) = load_config_or_print(root) else {
        return 1;
    };
    let fail = |m: String| {
        eprintln!("error: {m}");
        1
    };
    if let Err(m) = check_lang(&config, to) {
        return fail(m);
    }
    let rel = match article_rel(root, article) {
        Ok(r) => r,
        Err(m) => return fail(m),
    };
    let doc = match load_doc(root, &config, &rel, to) {
        Ok(d) => d,
        Err(m) => return fail(m),
    };
    let Some(recorded) = &doc.recorded else {
        return fail(format!(
            "{} has no translation.source_hash to compare with",
            doc.target_rel
        ));
    };
    if *recorded == doc.source_hash {
        println!(
            "{} is up to date (source_hash \"{recorded}\")",
            doc.target_rel
        );
        return 0;
    }
    let Some(old_body) = body_at_hash(root, &rel, recorded) else {
        return fail(format!(
            "no version of {rel} in the git history has source_hash \"{recorded}\"; compare by hand"
        ));
    };
    let old = units(&old_body);
    let new = units(&doc.source_text[doc.source_fm.2..]);
    println!(
        "{rel}: units changed since {} was translated (source_hash \"{recorded}\" → \"{}\")",
        doc.target_rel, doc.source_hash
    );
    for i in 0..old.len().max(new.len()) {
        match (old.get(i), new.get(i)) {
            (Some(o), Some(n)) if o.kind == n.kind && o.text == n.text => {}
            (Some(o), Some(n)) => {
                let line = doc
                    .units
                    .iter()
                    .find(|u| u.id == n.id())
                    .map_or(0, |u| u.line);
                println!(
                    "\n{} ({rel}:{line})\n  {}",
                    n.id(),
                    word_diff(&o.text, &n.text)
                );
                let _ = o;
            }
            (None, Some(n)) => println!("\n{} (new)\n  {{+{}+}}", n.id(), n.text),
            (Some(o), None) => println!("\n{} (removed)\n  [-{}-]", o.id(), o.text),
            (None, None) => {}
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_changes() {
        assert_eq!(word_diff("a b c", "a x c"), "a [-b-] {+x+} c");
        assert_eq!(word_diff("a b", "a b d"), "a b {+d+}");
    }

    #[test]
    fn set_fm_key_replaces_blocks() {
        assert_eq!(
            set_fm_key(
                "title: A\ndescription: >-\n  x\n  y\nd: 1\n",
                "description",
                "B"
            ),
            "title: A\ndescription: B\nd: 1\n"
        );
    }
}
