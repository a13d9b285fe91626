//! Skill and checklist texts a language lacks: the warnings of `check`
//! (the `servicekb i18n` report counts them too).

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Localized, Site};
use crate::yaml::YamlDoc;

/// One text of a skill or checklist that a language lacks.
#[derive(Debug, Clone)]
pub struct MissingField {
    /// `skill` or `checklist`.
    pub kind: &'static str,
    pub id: String,
    pub file: String,
    pub lang: String,
    /// e.g. `why`, `indicators.notes-details.text`, `scale.labels`.
    pub field: String,
    /// Key path to point at in the file.
    keys: Vec<String>,
}

/// The skill or checklist a text belongs to.
struct Owner<'a> {
    kind: &'static str,
    id: &'a str,
    file: &'a str,
}

fn check(
    out: &mut Vec<MissingField>,
    site: &Site,
    owner: &Owner,
    field: String,
    keys: &[&str],
    m: &Localized,
) {
    let def = &site.config.default_language;
    if !m.contains_key(def) {
        return;
    }
    for l in &site.config.languages {
        if !m.contains_key(&l.code) {
            out.push(MissingField {
                kind: owner.kind,
                id: owner.id.to_string(),
                file: owner.file.to_string(),
                lang: l.code.clone(),
                field: field.clone(),
                keys: keys.iter().map(|s| s.to_string()).collect(),
            });
        }
    }
}

/// Every skill and checklist text missing in a language (that the default language has).
pub fn missing_fields(site: &Site) -> Vec<MissingField> {
    let mut out = Vec::new();
    for s in site.skills.values() {
        let o = Owner {
            kind: "skill",
            id: &s.id,
            file: &s.file.rel,
        };
        for (name, m) in [
            ("name", &s.name),
            ("summary", &s.summary),
            ("why", &s.why),
            ("development", &s.development),
        ] {
            check(&mut out, site, &o, name.into(), &[name], m);
        }
        for ind in &s.indicators {
            check(
                &mut out,
                site,
                &o,
                format!("indicators.{}.text", ind.id),
                &["indicators"],
                &ind.text,
            );
        }
        for (i, q) in s.interview_questions.iter().enumerate() {
            check(
                &mut out,
                site,
                &o,
                format!("interview_questions.{}.text", i + 1),
                &["interview_questions"],
                q,
            );
        }
    }
    for c in site.checklists.values() {
        let o = Owner {
            kind: "checklist",
            id: &c.id,
            file: &c.file.rel,
        };
        check(&mut out, site, &o, "title".into(), &["title"], &c.title);
        check(&mut out, site, &o, "intro".into(), &["intro"], &c.intro);
        let labels: Localized = c
            .scale
            .labels
            .keys()
            .map(|k| (k.clone(), String::new()))
            .collect();
        check(
            &mut out,
            site,
            &o,
            "scale.labels".into(),
            &["scale", "labels"],
            &labels,
        );
        for e in &c.extra_items {
            check(
                &mut out,
                site,
                &o,
                format!("extra_items.{}.text", e.id),
                &["extra_items"],
                &e.text,
            );
        }
    }
    out
}

/// One warning per file and language, at the first missing field.
pub fn field_warnings(site: &Site, diags: &Diagnostics) {
    let mut missing = missing_fields(site);
    // stable: fields keep their order within a file and language
    missing.sort_by(|a, b| (&a.file, &a.lang).cmp(&(&b.file, &b.lang)));
    let mut i = 0;
    while i < missing.len() {
        let first = &missing[i];
        let mut j = i;
        let mut fields = Vec::new();
        while j < missing.len() && missing[j].file == first.file && missing[j].lang == first.lang {
            fields.push(missing[j].field.as_str());
            j += 1;
        }
        let file = site
            .skills
            .get(&first.id)
            .filter(|_| first.kind == "skill")
            .map(|s| &s.file)
            .or_else(|| site.checklists.get(&first.id).map(|c| &c.file));
        if let Some(file) = file {
            let doc = YamlDoc::whole(file);
            let keys: Vec<&str> = first.keys.iter().map(String::as_str).collect();
            diags.push(doc.warning_at(
                &keys,
                None,
                format!(
                    "no `{}` text for {} (the {} text is shown)",
                    first.lang,
                    fields.join(", "),
                    site.config.default_language
                ),
            ));
        } else {
            diags.push(Diagnostic::warning(
                &first.file,
                format!("no `{}` text for {}", first.lang, fields.join(", ")),
            ));
        }
        i = j;
    }
}
