//! The checklists index and each checklist's page with its script data.

use super::*;
use std::collections::HashMap;

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
    // The built-in templates show no skill's articles: those lists (every
    // article of every skill) are made only for a theme's own templates.
    let lists = !crate::render::builtin_templates(site, &["checklist.html", "base.html"]);
    let skills: Vec<(ChecklistSkill, Vec<&Article>)> = c
        .skills
        .iter()
        .map(|sid| checklist_skill(site, g, sid, lang, &items, lists))
        .collect();
    let title = name_in(site, &c.title, lang, id);
    let data = checklist_data(site, id, lang, &points, &skills, &items, t);
    let skills = skills.into_iter().map(|(s, _)| s).collect();
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
/// language first), as the template gets them when `lists` says so.
fn checklist_skill<'s>(
    site: &'s Site,
    g: &Graph,
    sid: &str,
    lang: &str,
    items: &[crate::model::ChecklistItem],
    lists: bool,
) -> (ChecklistSkill, Vec<&'s Article>) {
    let empty = Vec::new();
    let (mut articles, fallback) = with_fallback(
        site,
        g.skill_articles.get(sid).unwrap_or(&empty).iter().copied(),
        lang,
    );
    articles.extend(fallback);
    let skill = ChecklistSkill {
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
        articles: if lists {
            article_items(site, &articles, lang)
        } else {
            Vec::new()
        },
    };
    (skill, articles)
}

// The checklist script's data (see docs/checklists.md).
#[derive(serde::Serialize)]
struct ScriptArticle<'a> {
    title: &'a str,
    url: &'a str,
    hreflang: Option<&'a str>,
    /// The checklist's other skills that list it, by their place in `skills`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    also: Vec<usize>,
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
    skills: &[(ChecklistSkill, Vec<&Article>)],
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
    let urls: Vec<Vec<&str>> = skills
        .iter()
        .map(|(_, list)| list.iter().map(|a| a.href.as_str()).collect())
        .collect();
    let skills = skills
        .iter()
        .zip(suggestible(&urls))
        .map(|((s, list), sent)| ScriptSkill {
            id: &s.skill.id,
            name: &s.skill.name,
            url: &s.skill.url,
            articles: list
                .iter()
                .zip(sent)
                .map(|(a, also)| ScriptArticle {
                    title: &a.fm.title,
                    url: &a.href,
                    hreflang: (a.lang != lang).then_some(a.lang.as_str()),
                    also,
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

/// Of each list of article URLs (a skill's), how many the checklist script
/// may suggest, as the other lists that hold each of them.
///
/// The script suggests at most two articles a skill, none twice: first,
/// for each skill it is given, the first two that no other skill it is
/// given lists; then, to skills with fewer, any not taken. A skill whose
/// list has two articles no other skill of the checklist lists gets its
/// two in the first pass, from the list up to the second of them: what
/// other skills took in that pass is their own, so none of its articles
/// was taken. So each list is sent up to there, whole when it has no two
/// such articles, and `also` lets the script count an article's skills as
/// it would in the whole lists. On a large site, where a skill has
/// hundreds of articles, this keeps a checklist's page small. A list holds
/// an article once (the graph's lists are deduplicated), which the counts
/// rely on.
fn suggestible(lists: &[Vec<&str>]) -> Vec<Vec<Vec<usize>>> {
    let mut listed: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, urls) in lists.iter().enumerate() {
        for u in urls {
            listed.entry(u).or_default().push(i);
        }
    }
    lists
        .iter()
        .enumerate()
        .map(|(i, urls)| {
            let mut out: Vec<Vec<usize>> = Vec::new();
            let mut only_here = 0;
            for u in urls {
                if only_here == 2 {
                    break;
                }
                let also: Vec<usize> = listed[u].iter().copied().filter(|&k| k != i).collect();
                only_here += usize::from(also.is_empty());
                out.push(also);
            }
            out
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::suggestible;
    use std::collections::{HashMap, HashSet};

    /// The checklist script's `readingLists`, on lists of (article, the
    /// other lists that hold it) for the skills `given` (in its order):
    /// counting an article's skills over the lists as given, or (`by_also`)
    /// from what each entry says, as the script does with the lists sent.
    fn reading(lists: &[Vec<(u32, Vec<usize>)>], given: &[usize], by_also: bool) -> Vec<Vec<u32>> {
        let mut owners: HashMap<u32, usize> = HashMap::new();
        for &s in given {
            for (u, also) in &lists[s] {
                if by_also {
                    owners.insert(*u, 1 + also.iter().filter(|k| given.contains(k)).count());
                } else {
                    *owners.entry(*u).or_default() += 1;
                }
            }
        }
        let mut picked = vec![Vec::new(); lists.len()];
        let mut used = HashSet::new();
        let mut take = |s: usize, only_own: bool, picked: &mut Vec<Vec<u32>>| {
            for (u, _) in &lists[s] {
                if picked[s].len() >= 2 || used.contains(u) || (only_own && owners[u] > 1) {
                    continue;
                }
                used.insert(*u);
                picked[s].push(*u);
            }
        };
        for &s in given {
            take(s, true, &mut picked);
        }
        for round in 0..2 {
            let these: Vec<usize> = given
                .iter()
                .copied()
                .filter(|&s| picked[s].len() == round)
                .collect();
            for s in these {
                take(s, false, &mut picked);
            }
        }
        picked
    }

    fn sent(lists: &[Vec<u32>]) -> Vec<Vec<(u32, Vec<usize>)>> {
        let text: Vec<Vec<String>> = lists
            .iter()
            .map(|l| l.iter().map(|u| u.to_string()).collect())
            .collect();
        let urls: Vec<Vec<&str>> = text
            .iter()
            .map(|l| l.iter().map(String::as_str).collect())
            .collect();
        lists
            .iter()
            .zip(suggestible(&urls))
            .map(|(l, also)| l.iter().copied().zip(also).collect())
            .collect()
    }

    #[test]
    fn a_long_list_is_cut_after_its_second_own_article() {
        // Two skills: the first lists 100 articles, the second 3 of them;
        // the first's own articles begin at its fourth.
        let first: Vec<u32> = (0..100).collect();
        let lists = vec![first, vec![1, 0, 2]];
        let s = sent(&lists);
        // Up to its second own article.
        assert_eq!(s[0].len(), 5);
        assert_eq!(s[0][0], (0, vec![1]));
        assert_eq!(s[0][3], (3, vec![]));
        assert_eq!(s[1].len(), 3, "a short list is sent whole");
    }

    proptest::proptest! {
        /// Whatever skills the script is given, in whatever order, it picks
        /// from the lists sent what it would from the whole lists.
        #[test]
        fn the_script_picks_from_what_is_sent_as_from_the_whole_lists(
            raw in proptest::collection::vec(proptest::collection::vec(0..40u32, 0..30), 1..7),
            order in proptest::collection::vec(0..7usize, 1..7),
        ) {
            let lists: Vec<Vec<u32>> = raw
                .into_iter()
                .map(|l| {
                    let mut seen = HashSet::new();
                    l.into_iter().filter(|u| seen.insert(*u)).collect()
                })
                .collect();
            let mut given: Vec<usize> = Vec::new();
            for s in order.into_iter().filter(|&s| s < lists.len()) {
                if !given.contains(&s) {
                    given.push(s);
                }
            }
            let whole: Vec<Vec<(u32, Vec<usize>)>> = lists
                .iter()
                .map(|l| l.iter().map(|&u| (u, Vec::new())).collect())
                .collect();
            proptest::prop_assert_eq!(
                reading(&sent(&lists), &given, true),
                reading(&whole, &given, false)
            );
        }
    }
}
