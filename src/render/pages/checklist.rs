//! The checklists index and each checklist's page with its script data.

use super::*;

pub fn checklists_index(site: &Site, lang: &str, t: &Strings) -> Page {
    let title = t
        .get("checklists")
        .cloned()
        .unwrap_or_else(|| "Checklists".into());
    let ctx = ChecklistsPage {
        checklists: site
            .checklists
            .keys()
            .map(|id| checklist_item(site, id, lang, t))
            .collect(),
    };
    per_lang_page(site, lang, Route::Checklists, title, &ctx)
}

pub fn checklist(site: &Site, g: &Graph, lang: &str, id: &str, t: &Strings) -> Page {
    let c = &site.checklists[id];
    let items = site.checklist_items(c);
    let labels = c.scale.labels.get(lang).map(|l| (l, None)).or_else(|| {
        c.scale
            .labels
            .get(&site.config.default_language)
            .map(|l| (l, Some(site.config.default_language.clone())))
    });
    let points: Vec<ScalePoint> = (c.scale.min..=c.scale.max)
        .enumerate()
        .map(|(n, v)| ScalePoint {
            value: v,
            label: labels
                .as_ref()
                .and_then(|(l, _)| l.get(n))
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    let skills: Vec<ChecklistSkill> = c
        .skills
        .iter()
        .map(|sid| checklist_skill(site, g, sid, lang, &items))
        .collect();
    let title = name_in(site, &c.title, lang, id);
    let data = checklist_data(site, id, lang, &points, &skills, &items, t);
    let ctx = ChecklistPage {
        checklist: ChecklistData {
            id: id.to_string(),
            title: title.clone(),
            audience: audience(c, t),
            intro: loc_md(site, &c.intro, lang),
            item_count: items.len(),
            data,
            scale: Scale {
                min: c.scale.min,
                max: c.scale.max,
                labels_lang: labels.and_then(|(_, l)| l),
                points,
            },
            skills,
        },
    };
    per_lang_page(site, lang, Route::Checklist(id), title, &ctx)
}

/// A skill of a checklist: its items, and all its articles (the page's
/// language first).
fn checklist_skill(
    site: &Site,
    g: &Graph,
    sid: &str,
    lang: &str,
    items: &[crate::model::ChecklistItem],
) -> ChecklistSkill {
    let empty = Vec::new();
    let (own, fallback) = with_fallback(
        site,
        g.skill_articles.get(sid).unwrap_or(&empty).iter().copied(),
        lang,
    );
    ChecklistSkill {
        skill: skill_item(site, sid, lang),
        items: items
            .iter()
            .filter(|it| it.skill == sid)
            .map(|it| ChecklistEntry {
                text: loc(site, &it.text, lang),
                id: it.id.clone(),
                name: format!("{sid}/{}", it.id),
            })
            .collect(),
        articles: own
            .iter()
            .chain(fallback.iter())
            .map(|a| article_item(site, a, lang))
            .collect(),
    }
}

// The checklist script's data (see docs/checklists.md).
#[derive(serde::Serialize)]
struct ScriptArticle<'a> {
    title: &'a str,
    url: &'a str,
    hreflang: Option<&'a str>,
}
#[derive(serde::Serialize)]
struct ScriptSkill<'a> {
    id: &'a str,
    name: &'a str,
    url: &'a str,
    articles: Vec<ScriptArticle<'a>>,
}
#[derive(serde::Serialize)]
struct ScriptScale<'a> {
    min: Option<i64>,
    max: Option<i64>,
    labels: Vec<&'a str>,
}
#[derive(serde::Serialize)]
struct Data<'a> {
    checklist: &'a str,
    title: &'a str,
    titles: &'a BTreeMap<&'a str, String>,
    language: &'a str,
    scale: ScriptScale<'a>,
    skills: Vec<ScriptSkill<'a>>,
    items: Vec<Value>,
    related: Vec<Value>,
    t: Value,
}

/// What the checklist script needs, as JSON safe inside `<script>`: the
/// scale, the items, each skill's articles (the team view links them) and
/// the script's UI strings (`cl_*`).
fn checklist_data(
    site: &Site,
    id: &str,
    lang: &str,
    points: &[ScalePoint],
    skills: &[ChecklistSkill],
    items: &[crate::model::ChecklistItem],
    t: &Strings,
) -> String {
    // Every checklist's title, so that the script names an imported file's
    // checklist by its title rather than its id.
    let titles: BTreeMap<&str, String> = site
        .checklists
        .iter()
        .map(|(cid, c)| (cid.as_str(), name_in(site, &c.title, lang, cid)))
        .collect();
    // Serialized from the skills' values as they are: a checklist lists
    // every article of its skills, thousands on a large site.
    let skills = skills
        .iter()
        .map(|s| ScriptSkill {
            id: &s.skill.id,
            name: &s.skill.name,
            url: &s.skill.url,
            articles: s
                .articles
                .iter()
                .map(|a| ScriptArticle {
                    title: &a.title,
                    url: &a.url,
                    hreflang: a.hreflang.as_deref(),
                })
                .collect(),
        })
        .collect();
    script_json(&Data {
        checklist: id,
        title: titles.get(id).map(String::as_str).unwrap_or(id),
        titles: &titles,
        language: lang,
        scale: ScriptScale {
            min: points.first().map(|p| p.value),
            max: points.last().map(|p| p.value),
            labels: points.iter().map(|p| p.label.as_str()).collect(),
        },
        skills,
        items: items
            .iter()
            .map(|it| object!({ "key": format!("{}/{}", it.skill, it.id), "skill": it.skill, "id": it.id }))
            .collect(),
        related: related_checklists(site, id, &titles),
        t: script_strings(t, "cl_"),
    })
}

/// Checklists that share a skill with `id`: the script takes their
/// assessments in and compares them with this one's.
fn related_checklists(site: &Site, id: &str, titles: &BTreeMap<&str, String>) -> Vec<Value> {
    let own = &site.checklists[id].skills;
    site.checklists
        .iter()
        .filter(|(cid, o)| *cid != id && o.skills.iter().any(|s| own.contains(s)))
        .map(|(cid, o)| {
            let keys: Vec<String> = site
                .checklist_items(o)
                .iter()
                .map(|it| format!("{}/{}", it.skill, it.id))
                .collect();
            object!({ "id": cid, "title": titles.get(cid.as_str()), "min": o.scale.min, "max": o.scale.max, "skills": o.skills, "items": keys })
        })
        .collect()
}
