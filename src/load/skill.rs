//! Skills (`content/skills/<id>.yaml`) and checklists (`content/checklists/<id>.yaml`).

use crate::diagnostics::Diagnostic;
use crate::model::{
    Checklist, ChecklistItem, Indicator, Localized, Scale, SiteConfig, Skill, AUDIENCES,
};
use crate::source::SourceFile;
use crate::yaml::{lines_with, YamlDoc};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// What a loader gives: the value when it loaded, and every problem found.
pub type Loaded<T> = (Option<T>, Vec<Diagnostic>);

pub const SKILLS_DIR: &str = "content/skills";
pub const CHECKLISTS_DIR: &str = "content/checklists";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSkill {
    #[serde(default)]
    category: Option<String>,
    name: Localized,
    #[serde(default)]
    summary: Localized,
    #[serde(default)]
    why: Localized,
    #[serde(default)]
    indicators: Vec<RawIndicator>,
    #[serde(default)]
    interview_questions: Vec<RawQuestion>,
    #[serde(default)]
    development: Localized,
    #[serde(default)]
    related: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: String,
    text: Localized,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    text: Localized,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChecklist {
    title: Localized,
    audience: String,
    #[serde(default)]
    intro: Localized,
    scale: RawScale,
    skills: Vec<RawChecklistSkill>,
    #[serde(default)]
    extra_items: Vec<RawExtraItem>,
}

/// `- empathy` (every indicator) or `- { skill: empathy, indicators: [a, b] }`
/// (only those, in that order).
struct RawChecklistSkill {
    skill: String,
    indicators: Option<Vec<String>>,
}

impl<'de> Deserialize<'de> for RawChecklistSkill {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawChecklistSkill;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a skill id, or `{ skill: <id>, indicators: [<id>, ...] }`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawChecklistSkill {
                    skill: v.to_string(),
                    indicators: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Picked {
                    skill: String,
                    indicators: Vec<String>,
                }
                let p = Picked::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RawChecklistSkill {
                    skill: p.skill,
                    indicators: Some(p.indicators),
                })
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    min: i64,
    max: i64,
    #[serde(default)]
    labels: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExtraItem {
    id: String,
    skill: String,
    text: Localized,
}

pub fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The id of a skill or checklist file: its stem, which must be `[a-z0-9-]+`.
pub fn id_of(rel: &str) -> Result<String, Diagnostic> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
        .unwrap_or(name);
    if is_id(stem) {
        Ok(stem.to_string())
    } else {
        Err(Diagnostic::error(
            rel,
            format!(
                "`{stem}` cannot be an id: use lower-case letters, digits and `-` in the file name"
            ),
        ))
    }
}

/// Markdown fields that break the Markdown limits (nesting, links).
fn markdown_limits(doc: &YamlDoc, field: &str, m: &Localized, out: &mut Vec<Diagnostic>) {
    for (lang, text) in m {
        for (_, msg) in crate::markdown::scan(text, 0).limit_errors() {
            out.push(doc.error_at(&[field, lang], None, format!("`{field}.{lang}`: {msg}")));
        }
    }
}

/// Texts whose language is not a site language: warn, since it is likely a typo.
fn unknown_languages(
    doc: &YamlDoc,
    config: &SiteConfig,
    field: &[&str],
    m: &Localized,
    out: &mut Vec<Diagnostic>,
) {
    for lang in m.keys().filter(|l| !config.has_language(l)) {
        out.push(doc.warning_at(
            field,
            None,
            format!("`{lang}` is not a language of this site; this text is never shown"),
        ));
    }
}

fn require_default(
    doc: &YamlDoc,
    config: &SiteConfig,
    field: &[&str],
    m: &Localized,
    out: &mut Vec<Diagnostic>,
) {
    if !m.contains_key(&config.default_language) {
        out.push(doc.error_at(
            field,
            None,
            format!(
                "`{}` needs a text in the default language ({})",
                field.join("."),
                config.default_language
            ),
        ));
    }
}

/// Errors for ids written twice in a list (`- id: x`), at the second one.
fn duplicate_ids<'a>(
    doc: &YamlDoc,
    ids: impl Iterator<Item = &'a str>,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    // Reported once per id, at its second use; a set keeps long lists linear.
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for id in ids {
        let n = seen.entry(id).or_insert(0);
        *n += 1;
        if *n == 2 {
            let lines = lines_with(doc.text, &format!("id: {id}"));
            let pos = lines
                .get(1)
                .or(lines.first())
                .map_or(doc.pos(0), |&o| doc.pos(o));
            let first = lines.first().map(|&o| doc.pos(o).0);
            let msg = match first {
                Some(l) => format!(
                    "the {what} id `{id}` is used twice (first on line {l}); ids must be unique"
                ),
                None => format!("the {what} id `{id}` is used twice; ids must be unique"),
            };
            out.push(Diagnostic::error(&doc.file.rel, msg).at(Some(pos)));
        }
    }
}

/// Opens a skill or checklist file: its text, its id (from its name) and
/// its fields as written; or the problem that stops it loading.
fn open<T: DeserializeOwned>(
    root: &Path,
    rel: &str,
) -> Result<(SourceFile, String, T), Diagnostic> {
    let file = SourceFile::read(root, rel)?;
    let id = id_of(rel)?;
    let raw = YamlDoc::whole(&file).parse()?;
    Ok((file, id, raw))
}

pub fn load_skill(root: &Path, rel: &str, config: &SiteConfig) -> Loaded<Skill> {
    let (file, id, raw): (_, _, RawSkill) = match open(root, rel) {
        Ok(x) => x,
        Err(d) => return (None, vec![d]),
    };
    let doc = YamlDoc::whole(&file);
    let errs = check_skill(&doc, config, &raw);
    if errs.iter().any(Diagnostic::is_error) {
        return (None, errs);
    }
    let skill = Skill {
        id,
        category: raw.category.unwrap_or_default(),
        name: raw.name,
        summary: raw.summary,
        why: raw.why,
        indicators: raw
            .indicators
            .into_iter()
            .map(|i| Indicator {
                id: i.id,
                text: i.text,
            })
            .collect(),
        interview_questions: raw
            .interview_questions
            .into_iter()
            .map(|q| q.text)
            .collect(),
        development: raw.development,
        related: raw.related,
        file,
    };
    (Some(skill), errs)
}

/// Every problem of a skill's fields.
fn check_skill(doc: &YamlDoc, config: &SiteConfig, raw: &RawSkill) -> Vec<Diagnostic> {
    let mut errs = Vec::new();
    require_default(doc, config, &["name"], &raw.name, &mut errs);
    for (field, m) in [
        ("name", &raw.name),
        ("summary", &raw.summary),
        ("why", &raw.why),
        ("development", &raw.development),
    ] {
        unknown_languages(doc, config, &[field], m, &mut errs);
    }
    markdown_limits(doc, "why", &raw.why, &mut errs);
    markdown_limits(doc, "development", &raw.development, &mut errs);
    for ind in &raw.indicators {
        if !is_id(&ind.id) {
            errs.push(doc.error_at(
                &["indicators", "id"],
                Some(&ind.id),
                format!(
                    "`{}` cannot be an indicator id: use lower-case letters, digits and `-`",
                    ind.id
                ),
            ));
        }
        if !ind.text.contains_key(&config.default_language) {
            errs.push(doc.error_at(
                &["indicators", "id"],
                Some(&ind.id),
                format!(
                    "indicator `{}` needs a text in the default language ({})",
                    ind.id, config.default_language
                ),
            ));
        }
    }
    duplicate_ids(
        doc,
        raw.indicators.iter().map(|i| i.id.as_str()),
        "indicator",
        &mut errs,
    );
    errs
}

pub fn load_checklist(root: &Path, rel: &str, config: &SiteConfig) -> Loaded<Checklist> {
    let (file, id, raw): (_, _, RawChecklist) = match open(root, rel) {
        Ok(x) => x,
        Err(d) => return (None, vec![d]),
    };
    let doc = YamlDoc::whole(&file);
    let mut errs = Vec::new();
    require_default(&doc, config, &["title"], &raw.title, &mut errs);
    if !AUDIENCES.contains(&raw.audience.as_str()) {
        errs.push(doc.error_at(
            &["audience"],
            Some(&raw.audience),
            format!(
                "audience `{}` must be one of: {}",
                raw.audience,
                AUDIENCES.join(", ")
            ),
        ));
    }
    check_scale(&doc, config, &raw.scale, &mut errs);
    check_checklist_skills(&doc, &raw, &mut errs);
    for (field, m) in [("title", &raw.title), ("intro", &raw.intro)] {
        unknown_languages(&doc, config, &[field], m, &mut errs);
    }
    markdown_limits(&doc, "intro", &raw.intro, &mut errs);
    if errs.iter().any(Diagnostic::is_error) {
        return (None, errs);
    }
    let checklist = Checklist {
        id,
        title: raw.title,
        audience: raw.audience,
        intro: raw.intro,
        scale: Scale {
            min: raw.scale.min,
            max: raw.scale.max,
            labels: raw.scale.labels,
        },
        picked: raw
            .skills
            .iter()
            .filter_map(|e| Some((e.skill.clone(), e.indicators.clone()?)))
            .collect(),
        skills: raw.skills.into_iter().map(|e| e.skill).collect(),
        extra_items: raw
            .extra_items
            .into_iter()
            .map(|e| ChecklistItem {
                id: e.id,
                skill: e.skill,
                text: e.text,
            })
            .collect(),
        file,
    };
    (Some(checklist), errs)
}

/// A checklist's scale: at most 11 points, one label for each.
fn check_scale(doc: &YamlDoc, config: &SiteConfig, s: &RawScale, errs: &mut Vec<Diagnostic>) {
    if s.max <= s.min {
        errs.push(doc.error_at(
            &["scale", "max"],
            None,
            format!(
                "scale.max ({}) must be greater than scale.min ({})",
                s.max, s.min
            ),
        ));
    } else if s.max - s.min > 10 {
        errs.push(doc.error_at(
            &["scale", "max"],
            None,
            "a scale may have at most 11 points",
        ));
    } else {
        let want = (s.max - s.min + 1) as usize;
        for (lang, labels) in &s.labels {
            if labels.len() != want {
                errs.push(doc.error_at(
                    &["scale", "labels", lang],
                    None,
                    format!(
                        "scale.labels.{lang} has {} labels, but a scale from {} to {} needs {want}",
                        labels.len(),
                        s.min,
                        s.max
                    ),
                ));
            }
            if !config.has_language(lang) {
                errs.push(doc.warning_at(
                    &["scale", "labels", lang],
                    None,
                    format!("`{lang}` is not a language of this site"),
                ));
            }
        }
    }
}

/// A checklist's skills (at least one, none twice) and its extra items
/// (each with an id, for one of those skills).
fn check_checklist_skills(doc: &YamlDoc, raw: &RawChecklist, errs: &mut Vec<Diagnostic>) {
    if raw.skills.is_empty() {
        errs.push(doc.error_at(&["skills"], None, "a checklist needs at least one skill"));
    }
    for (i, entry) in raw.skills.iter().enumerate() {
        let sid = &entry.skill;
        if raw.skills[..i].iter().any(|e| &e.skill == sid) {
            errs.push(doc.error_at(
                &["skills"],
                Some(sid),
                format!("skill `{sid}` is listed twice"),
            ));
        }
    }
    for item in &raw.extra_items {
        if !is_id(&item.id) {
            errs.push(doc.error_at(
                &["extra_items", "id"],
                Some(&item.id),
                format!(
                    "`{}` cannot be an item id: use lower-case letters, digits and `-`",
                    item.id
                ),
            ));
        }
        if !raw.skills.iter().any(|e| e.skill == item.skill) {
            let hint = crate::diagnostics::suggest(
                &item.skill,
                raw.skills.iter().map(|e| e.skill.as_str()),
            );
            errs.push(doc.error_at(
                &["extra_items", "skill"],
                Some(&item.skill),
                format!("extra item `{}` names skill `{}`, which is not one of this checklist's skills{hint}", item.id, item.skill),
            ));
        }
    }
    duplicate_ids(
        doc,
        raw.extra_items.iter().map(|i| i.id.as_str()),
        "item",
        errs,
    );
}
