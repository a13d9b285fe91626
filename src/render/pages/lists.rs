//! Pages that list: the home page, topics, the skills index and each skill.

use super::*;

pub fn home(site: &Site, g: &Graph, lang: &str, t: &Strings) -> Page {
    let topics = g
        .topics
        .iter()
        .map(|tp| TopicItem {
            count: Some(
                site.articles
                    .iter()
                    .filter(|a| a.lang == lang && a.topic.as_deref() == Some(&tp.id))
                    .count(),
            ),
            ..topic_item(site, tp, lang)
        })
        .collect();
    let mut latest: Vec<&Article> = site.articles.iter().filter(|a| a.lang == lang).collect();
    latest.sort_by(|a, b| b.fm.date.cmp(&a.fm.date).then_with(|| article_order(a, b)));
    latest.truncate(6);
    let ctx = HomePage {
        topics,
        latest: article_items(site, &latest, lang),
        checklists: site
            .checklists
            .keys()
            .map(|id| checklist_item(site, id, lang, t))
            .collect(),
        categories: categories(site, lang),
        skill_count: site.skills.len(),
    };
    let title = name_in(site, &site.config.title, lang, "");
    per_lang_page(site, lang, Route::Home, title, &ctx)
}

pub(super) fn topic_item(site: &Site, tp: &crate::resolve::Topic, lang: &str) -> TopicItem {
    TopicItem {
        id: tp.id.clone(),
        name: name_in(site, &tp.name, lang, &tp.id),
        url: href(site, &Route::Topic(&tp.id).path(lang)),
        count: None,
    }
}

fn categories(site: &Site, lang: &str) -> Vec<Category> {
    let mut order: Vec<String> = site
        .config
        .categories
        .iter()
        .map(|(k, _)| k.clone())
        .collect();
    for s in site.skills.values() {
        if !order.contains(&s.category) {
            order.push(s.category.clone());
        }
    }
    order
        .into_iter()
        .filter_map(|cat| {
            let mut skills: Vec<SkillItem> = site
                .skills
                .values()
                .filter(|s| s.category == cat)
                .map(|s| skill_item(site, &s.id, lang))
                .collect();
            if skills.is_empty() {
                return None;
            }
            skills.sort_by(|a, b| a.name.cmp(&b.name));
            let name = match site.config.categories.iter().find(|(k, _)| k == &cat) {
                Some((_, m)) => name_in(site, m, lang, &cat),
                None if cat.is_empty() => String::new(),
                None => crate::urls::humanize(&cat),
            };
            Some(Category {
                id: cat,
                name,
                skills,
            })
        })
        .collect()
}

pub fn topic(site: &Site, g: &Graph, lang: &str, id: &str) -> Option<Page> {
    let tp = g.topics.iter().find(|t| t.id == id)?;
    let mut members: Vec<usize> = (0..site.articles.len())
        .filter(|&i| site.articles[i].topic.as_deref() == Some(&tp.id))
        .collect();
    members.sort_unstable_by(|&x, &y| article_order(&site.articles[x], &site.articles[y]));
    let (own, fallback) = with_fallback(site, members.into_iter(), lang);
    let name = name_in(site, &tp.name, lang, &tp.id);
    let ctx = TopicPage {
        topic: TopicHead {
            id: tp.id.clone(),
            name: name.clone(),
        },
        articles: article_items(site, &own, lang),
        untranslated: article_items(site, &fallback, lang),
    };
    let mut page = per_lang_page(site, lang, Route::Topic(&tp.id), name, &ctx);
    page.topic = Some(tp.id.clone());
    Some(page)
}

pub fn skills_index(site: &Site, lang: &str, t: &Strings) -> Page {
    let title = t.get("skills").cloned().unwrap_or_else(|| "Skills".into());
    let ctx = SkillsPage {
        categories: categories(site, lang),
    };
    per_lang_page(site, lang, Route::Skills, title, &ctx)
}

pub fn skill(site: &Site, g: &Graph, lang: &str, id: &str, t: &Strings) -> Page {
    let s = &site.skills[id];
    let empty = Vec::new();
    let (own, fallback) = with_fallback(
        site,
        g.skill_articles.get(id).unwrap_or(&empty).iter().copied(),
        lang,
    );
    let name = name_in(site, &s.name, lang, id);
    let category = site
        .config
        .categories
        .iter()
        .find(|(k, _)| k == &s.category)
        .map(|(_, m)| name_in(site, m, lang, &s.category))
        .unwrap_or_else(|| crate::urls::humanize(&s.category));
    let ctx = SkillPage {
        skill: SkillData {
            id: id.to_string(),
            name: name.clone(),
            category,
            summary: loc(site, &s.summary, lang),
            why: loc_md(site, &s.why, lang),
            development: loc_md(site, &s.development, lang),
            indicators: s
                .indicators
                .iter()
                .map(|i| loc(site, &i.text, lang))
                .collect(),
            interview_questions: s
                .interview_questions
                .iter()
                .map(|q| loc(site, q, lang))
                .collect(),
            related: s
                .related
                .iter()
                .filter(|r| site.skills.contains_key(*r))
                .map(|r| skill_item(site, r, lang))
                .collect(),
            checklists: g
                .skill_checklists
                .get(id)
                .unwrap_or(&Vec::new())
                .iter()
                .map(|c| checklist_item(site, c, lang, t))
                .collect(),
            articles: article_items(site, &own, lang),
            untranslated: article_items(site, &fallback, lang),
        },
    };
    per_lang_page(site, lang, Route::Skill(id), name, &ctx)
        .described(site.config.pick(&s.summary, lang))
}
