//! References in skill and checklist files: related skills, a checklist's
//! skills, indicators and extra items, links in their Markdown fields.

use super::check_field_links;
use crate::diagnostics::{suggest, Diagnostics};
use crate::model::{Failed, Site};
use crate::yaml::YamlDoc;
use std::collections::BTreeMap;

/// A skill the site has, or one whose file failed to load (already reported).
fn skill_known(site: &Site, id: &str) -> bool {
    site.skills.contains_key(id) || site.failed.contains(&Failed::Skill(id.to_string()))
}

pub(super) fn check_skills(site: &Site, diags: &Diagnostics) {
    for s in site.skills.values() {
        let doc = YamlDoc::whole(&s.file);
        for r in &s.related {
            if !skill_known(site, r) {
                diags.push(doc.error_at(
                    &["related"],
                    Some(r),
                    format!(
                        "unknown related skill `{r}`{}",
                        suggest(r, site.skills.keys().map(String::as_str))
                    ),
                ));
            } else if r == &s.id {
                diags.push(doc.warning_at(
                    &["related"],
                    Some(r),
                    "a skill is not related to itself",
                ));
            }
        }
        check_field_links(site, &doc, &["why"], &s.why, diags);
        check_field_links(site, &doc, &["development"], &s.development, diags);
    }
}

/// Checks every checklist's references; the checklists of each skill.
pub(super) fn check_checklists(site: &Site, diags: &Diagnostics) -> BTreeMap<String, Vec<String>> {
    let mut skill_checklists: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in site.checklists.values() {
        let doc = YamlDoc::whole(&c.file);
        for sid in &c.skills {
            if skill_known(site, sid) {
                skill_checklists
                    .entry(sid.clone())
                    .or_default()
                    .push(c.id.clone());
            } else {
                diags.push(doc.error_at(
                    &["skills"],
                    Some(sid),
                    format!(
                        "unknown skill `{sid}`{}",
                        suggest(sid, site.skills.keys().map(String::as_str))
                    ),
                ));
            }
            if let Some(skill) = site.skills.get(sid) {
                for (i, id) in c.picked.get(sid).into_iter().flatten().enumerate() {
                    if !skill.indicators.iter().any(|ind| &ind.id == id) {
                        diags.push(doc.error_at(
                            &["skills", "indicators"],
                            Some(id),
                            format!(
                                "skill `{sid}` has no indicator `{id}`{}",
                                suggest(id, skill.indicators.iter().map(|i| i.id.as_str()))
                            ),
                        ));
                    } else if c.picked[sid][..i].contains(id) {
                        diags.push(doc.error_at(
                            &["skills", "indicators"],
                            Some(id),
                            format!("indicator `{id}` of skill `{sid}` is listed twice"),
                        ));
                    }
                }
                for e in c.extra_items.iter().filter(|e| &e.skill == sid) {
                    if skill.indicators.iter().any(|i| i.id == e.id) {
                        diags.push(doc.error_at(
                            &["extra_items", "id"],
                            Some(&e.id),
                            format!("item id `{}` is already an indicator of skill `{sid}`; give the extra item its own id", e.id),
                        ));
                    }
                }
            }
        }
        check_field_links(site, &doc, &["intro"], &c.intro, diags);
    }
    skill_checklists
}
