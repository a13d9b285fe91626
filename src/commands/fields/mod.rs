//! Skills, checklists and UI strings as exchange files: one document for
//! all skills, one for all checklists, one for the UI strings. Their
//! translations live beside the source (`name: { en: …, he: … }`) or in
//! `i18n/<lang>.yaml`, so import edits the YAML in place, value by value.

mod import;

pub use import::apply;

use super::exchange::{Doc, XUnit};
use super::yaml_edit::{self, Seg};
use crate::load::skill::{load_checklist, load_skill, CHECKLISTS_DIR, SKILLS_DIR};
use crate::model::{Localized, SiteConfig};
use crate::units::units;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

pub const SKILLS: &str = SKILLS_DIR;
pub const CHECKLISTS: &str = CHECKLISTS_DIR;
pub const UI: &str = "ui";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Plain,
    Markdown,
    Labels,
}

/// One translatable value: where it is, what it says, its units.
struct Field {
    /// The YAML file to write the translation into.
    file: String,
    /// The mapping that holds one text per language (or, for UI strings,
    /// the file's top level).
    path: Vec<Seg>,
    /// The key to set under it: the language, or the UI string's key.
    key: String,
    /// Keys it goes before when it is added (the languages after it).
    later: Vec<String>,
    kind: Kind,
    source: String,
    target: Option<String>,
    target_labels: Option<Vec<String>>,
    units: Range<usize>,
    ui: bool,
}

/// A document of fields as exchanged.
pub struct FieldDoc {
    pub doc: Doc,
    fields: Vec<Field>,
    /// The text of every file a field is in (`None`: not there yet).
    texts: BTreeMap<String, Option<String>>,
}

fn read(root: &Path, rel: &str) -> Result<Option<String>, String> {
    if !root.join(rel).exists() {
        return Ok(None);
    }
    crate::source::SourceFile::read(root, rel)
        .map(|f| Some(f.text))
        .map_err(|d| d.to_string().trim_start_matches("error: ").to_string())
}

struct Builder<'a> {
    config: &'a SiteConfig,
    lang: &'a str,
    units: Vec<XUnit>,
    fields: Vec<Field>,
}

impl Builder<'_> {
    fn later(&self) -> Vec<String> {
        let codes: Vec<&str> = self
            .config
            .languages
            .iter()
            .map(|l| l.code.as_str())
            .collect();
        let at = codes
            .iter()
            .position(|c| *c == self.lang)
            .unwrap_or(codes.len());
        codes[at.min(codes.len())..]
            .iter()
            .skip(1)
            .map(|s| s.to_string())
            .collect()
    }

    /// A `{ en: …, he: … }` value at `path` of `file` (whose text is `text`).
    fn localized(
        &mut self,
        file: &str,
        text: &str,
        id: &str,
        path: Vec<Seg>,
        m: &Localized,
        kind: Kind,
    ) {
        let def = &self.config.default_language;
        let Some(source) = m.get(def) else { return };
        let line = line_of(text, &path, def);
        let target = m.get(self.lang).cloned();
        let start = self.units.len();
        match kind {
            Kind::Markdown => {
                let su = units(source);
                let tu = target.as_deref().map(units).unwrap_or_default();
                let aligned =
                    su.len() == tu.len() && su.iter().zip(&tu).all(|(a, b)| a.kind == b.kind);
                for (i, u) in su.iter().enumerate() {
                    let t = tu.get(i).filter(|t| t.kind == u.kind);
                    let tt = t
                        .and_then(|t| super::exchange::renumber(t, &u.codes))
                        .unwrap_or_default();
                    self.units.push(XUnit {
                        id: format!("{id}/{}", u.id()),
                        kind: u.kind,
                        source: u.text.clone(),
                        codes: u.codes.clone(),
                        line: line + 1 + source[..u.span.start].matches('\n').count(),
                        target: tt,
                        fuzzy: false,
                        target_span: if aligned {
                            t.map(|t| t.span.clone())
                        } else {
                            None
                        },
                        file: Some(file.to_string()),
                    });
                }
            }
            _ => self.units.push(XUnit {
                id: id.to_string(),
                kind: "text",
                source: source.clone(),
                codes: Vec::new(),
                line,
                target: target.clone().unwrap_or_default(),
                fuzzy: false,
                target_span: None,
                file: Some(file.to_string()),
            }),
        }
        self.fields.push(Field {
            file: file.to_string(),
            path,
            key: self.lang.to_string(),
            later: self.later(),
            kind,
            source: source.clone(),
            target,
            target_labels: None,
            units: start..self.units.len(),
            ui: false,
        });
    }
}

/// The line of `path.key`, or of `path` when the key is inside a flow
/// mapping.
fn line_of(text: &str, path: &[Seg], key: &str) -> usize {
    let mut p = path.to_vec();
    p.push(Seg::Key(key.to_string()));
    yaml_edit::find(text, &p)
        .or_else(|| yaml_edit::find(text, path))
        .map_or(1, |f| f.line)
}

fn yaml_files(root: &Path, dir: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root.join(dir))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let n = e.file_name().to_string_lossy().to_string();
            (e.file_type().is_ok_and(|t| t.is_file())
                && (n.ends_with(".yaml") || n.ends_with(".yml"))
                && !crate::fsguard::is_litter(&n))
            .then(|| format!("{dir}/{n}"))
        })
        .collect();
    out.sort();
    out
}

fn loaded<T>(r: (Option<T>, Vec<crate::diagnostics::Diagnostic>)) -> Result<T, String> {
    let (v, ds) = r;
    let first = ds.iter().find(|d| d.is_error()).map(|d| d.to_string());
    match (v, first) {
        (Some(v), None) => Ok(v),
        (_, Some(e)) => Err(e.trim_start_matches("error: ").to_string()),
        (None, None) => Err("cannot be read".into()),
    }
}

fn finish(
    b: Builder,
    source_rel: &str,
    target_rel: &str,
    texts: BTreeMap<String, Option<String>>,
) -> FieldDoc {
    let def = b.config.default_language.clone();
    FieldDoc {
        doc: Doc::of_fields(source_rel, target_rel, b.lang, &def, b.units),
        fields: b.fields,
        texts,
    }
}

pub fn skills(root: &Path, config: &SiteConfig, lang: &str) -> Result<FieldDoc, String> {
    let mut b = Builder {
        config,
        lang,
        units: Vec::new(),
        fields: Vec::new(),
    };
    let mut texts = BTreeMap::new();
    for rel in yaml_files(root, SKILLS_DIR) {
        let s = loaded(load_skill(root, &rel, config))?;
        let text = s.file.text.clone();
        let id = &s.id;
        for (f, m, k) in [
            ("name", &s.name, Kind::Plain),
            ("summary", &s.summary, Kind::Plain),
            ("why", &s.why, Kind::Markdown),
        ] {
            b.localized(&rel, &text, &format!("{id}/{f}"), vec![Seg::key(f)], m, k);
        }
        for ind in &s.indicators {
            let path = vec![
                Seg::key("indicators"),
                Seg::Item("id".into(), ind.id.clone()),
                Seg::key("text"),
            ];
            b.localized(
                &rel,
                &text,
                &format!("{id}/indicators/{}", ind.id),
                path,
                &ind.text,
                Kind::Plain,
            );
        }
        for (i, q) in s.interview_questions.iter().enumerate() {
            let path = vec![
                Seg::key("interview_questions"),
                Seg::Index(i + 1),
                Seg::key("text"),
            ];
            b.localized(
                &rel,
                &text,
                &format!("{id}/interview_questions/{}", i + 1),
                path,
                q,
                Kind::Plain,
            );
        }
        b.localized(
            &rel,
            &text,
            &format!("{id}/development"),
            vec![Seg::key("development")],
            &s.development,
            Kind::Markdown,
        );
        texts.insert(rel, Some(text));
    }
    Ok(finish(b, SKILLS, SKILLS, texts))
}

pub fn checklists(root: &Path, config: &SiteConfig, lang: &str) -> Result<FieldDoc, String> {
    let mut b = Builder {
        config,
        lang,
        units: Vec::new(),
        fields: Vec::new(),
    };
    let mut texts = BTreeMap::new();
    for rel in yaml_files(root, CHECKLISTS_DIR) {
        let c = loaded(load_checklist(root, &rel, config))?;
        let text = c.file.text.clone();
        let id = &c.id;
        b.localized(
            &rel,
            &text,
            &format!("{id}/title"),
            vec![Seg::key("title")],
            &c.title,
            Kind::Plain,
        );
        b.localized(
            &rel,
            &text,
            &format!("{id}/intro"),
            vec![Seg::key("intro")],
            &c.intro,
            Kind::Markdown,
        );
        if let Some(src) = c.scale.labels.get(&config.default_language) {
            let path = vec![Seg::key("scale"), Seg::key("labels")];
            let line = line_of(&text, &path, &config.default_language);
            let target = c.scale.labels.get(lang).filter(|t| t.len() == src.len());
            let start = b.units.len();
            for (i, s) in src.iter().enumerate() {
                b.units.push(XUnit {
                    id: format!("{id}/scale/labels/{}", i + 1),
                    kind: "text",
                    source: s.clone(),
                    codes: Vec::new(),
                    line,
                    target: target.map(|t| t[i].clone()).unwrap_or_default(),
                    fuzzy: false,
                    target_span: None,
                    file: Some(rel.clone()),
                });
            }
            let later = b.later();
            b.fields.push(Field {
                file: rel.clone(),
                path,
                key: lang.to_string(),
                later,
                kind: Kind::Labels,
                source: String::new(),
                target: None,
                target_labels: target.cloned(),
                units: start..b.units.len(),
                ui: false,
            });
        }
        for e in &c.extra_items {
            let path = vec![
                Seg::key("extra_items"),
                Seg::Item("id".into(), e.id.clone()),
                Seg::key("text"),
            ];
            b.localized(
                &rel,
                &text,
                &format!("{id}/extra_items/{}", e.id),
                path,
                &e.text,
                Kind::Plain,
            );
        }
        texts.insert(rel, Some(text));
    }
    Ok(finish(b, CHECKLISTS, CHECKLISTS, texts))
}

/// Where a language's UI strings are written: the site's `i18n/<lang>.yaml`
/// when it has one, else its copy of the theme's file, else a new
/// `i18n/<lang>.yaml`.
fn ui_file(root: &Path, config: &SiteConfig, lang: &str) -> String {
    let own = format!("i18n/{lang}.yaml");
    let theme = format!("themes/{}/i18n/{lang}.yaml", config.theme);
    if !root.join(&own).exists() && root.join(&theme).is_file() {
        theme
    } else {
        own
    }
}

pub fn ui(root: &Path, config: &SiteConfig, lang: &str) -> Result<FieldDoc, String> {
    let (ui, diags) = crate::load::ui::load_ui(root, config);
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        return Err(d.to_string().trim_start_matches("error: ").to_string());
    }
    let def = &config.default_language;
    let source = ui.by_lang.get(def).cloned().unwrap_or_default();
    let target = ui.by_lang.get(lang).cloned().unwrap_or_default();
    let missing = ui.missing.get(lang).cloned().unwrap_or_default();
    // The default language's file, for the keys' order and lines.
    let site_def = format!("themes/{}/i18n/{def}.yaml", config.theme);
    let (def_rel, def_text) = match read(root, &site_def)? {
        Some(t) => (site_def, t),
        None => {
            let name = format!("{def}.yaml");
            let t = crate::theme::builtin_files("i18n")
                .into_iter()
                .find(|(n, _)| *n == name)
                .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
                .unwrap_or_default();
            (format!("themes/default/i18n/{def}.yaml"), t)
        }
    };
    let order: Vec<String> = serde_yaml::from_str::<serde_yaml::Mapping>(&def_text)
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut keys: Vec<String> = order
        .into_iter()
        .filter(|k| source.contains_key(k))
        .collect();
    for k in source.keys() {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    let file = ui_file(root, config, lang);
    let mut units = Vec::new();
    let mut fields = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let src = source[k].clone();
        let tgt = (!missing.contains(k))
            .then(|| target.get(k).cloned())
            .flatten();
        let line = yaml_edit::find(&def_text, &[Seg::Key(k.clone())]).map_or(1, |f| f.line);
        units.push(XUnit {
            id: k.clone(),
            kind: "text",
            source: src.clone(),
            codes: Vec::new(),
            line,
            target: tgt.clone().unwrap_or_default(),
            fuzzy: false,
            target_span: None,
            file: Some(def_rel.clone()),
        });
        fields.push(Field {
            file: file.clone(),
            path: Vec::new(),
            key: k.clone(),
            later: keys[i + 1..].to_vec(),
            kind: Kind::Plain,
            source: src,
            target: tgt,
            target_labels: None,
            units: i..i + 1,
            ui: true,
        });
    }
    let mut texts = BTreeMap::new();
    texts.insert(file.clone(), read(root, &file)?);
    Ok(FieldDoc {
        doc: Doc::of_fields(UI, &file, lang, def, units),
        fields,
        texts,
    })
}

/// The document `source` names (`content/skills`, `content/checklists`,
/// `ui`), or `None` for an article.
pub fn load(
    root: &Path,
    config: &SiteConfig,
    source: &str,
    lang: &str,
) -> Option<Result<FieldDoc, String>> {
    match source {
        SKILLS => Some(skills(root, config, lang)),
        CHECKLISTS => Some(checklists(root, config, lang)),
        UI => Some(ui(root, config, lang)),
        _ => None,
    }
}
