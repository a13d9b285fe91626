//! "Also read": for each article, the five of its language that share the
//! most skills with it (then list order).
//!
//! Articles with the same skills (a *class*) have the same candidates, so
//! the best six are found once a class, by counting how many of its skills
//! each class of the language shares with it, over the lists of classes
//! that have each skill; every member of a class shares as many, so only a
//! class's first six count. For each class the cost is the classes that
//! share a skill with it, so it grows with the skill combinations in use
//! rather than with the articles a skill has.

use crate::model::Site;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::cmp::Reverse;

/// How many a page shows.
const SHOWN: usize = 5;
/// Kept a class: one more, as a member's own entry is dropped from it.
const KEPT: usize = SHOWN + 1;

/// (most shared skills first, then list order, then index)
type Candidate = (Reverse<u32>, usize, usize);

/// Keeps `best` the `KEPT` smallest candidates seen, sorted; false when
/// `c` is not one of them.
fn offer(best: &mut Vec<Candidate>, c: Candidate) -> bool {
    if best.len() < KEPT || c < best[KEPT - 1] {
        let at = best.partition_point(|b| *b < c);
        best.insert(at, c);
        best.truncate(KEPT);
        return true;
    }
    false
}

struct Class<'a> {
    lang: &'a str,
    /// Sorted, each once.
    skills: Vec<&'a str>,
    /// Its articles in list order.
    members: Vec<usize>,
}

/// The lists of `c`'s skills in `by_skill_lang`.
fn skill_lists<'m, 'a>(
    by_skill_lang: &'m FxHashMap<(&'a str, &'a str), Vec<usize>>,
    c: &Class<'a>,
) -> Vec<&'m [usize]> {
    c.skills
        .iter()
        .filter_map(|s| by_skill_lang.get(&(*s, c.lang)).map(Vec::as_slice))
        .collect()
}

/// Each article's "also read", by index; `rank` is each article's place in
/// list order, which breaks ties.
pub(super) fn also_read(site: &Site, rank: &[usize]) -> Vec<Vec<usize>> {
    let items: Vec<Item> = site
        .articles
        .iter()
        .map(|a| Item {
            lang: &a.lang,
            key: &a.key,
            skills: a.fm.skills.iter().map(String::as_str).collect(),
        })
        .collect();
    pick(&items, rank)
}

/// An article as "also read" sees it.
struct Item<'a> {
    lang: &'a str,
    key: &'a str,
    skills: Vec<&'a str>,
}

/// The articles grouped: by class, and by skill and language, as
/// articles and as classes.
struct Groups<'a> {
    classes: Vec<Class<'a>>,
    class_of: Vec<usize>,
    /// A skill's articles of a language, in list order.
    by_skill_lang: FxHashMap<(&'a str, &'a str), Vec<usize>>,
    /// The classes of a language that have a skill.
    classes_by_skill: FxHashMap<(&'a str, &'a str), Vec<usize>>,
}

fn group<'a>(items: &[Item<'a>], rank: &[usize]) -> Groups<'a> {
    let mut class_ids: FxHashMap<(&str, Vec<&str>), usize> = FxHashMap::default();
    let mut g = Groups {
        classes: Vec::new(),
        class_of: Vec::with_capacity(items.len()),
        by_skill_lang: FxHashMap::default(),
        classes_by_skill: FxHashMap::default(),
    };
    for (i, a) in items.iter().enumerate() {
        let mut skills = a.skills.clone();
        skills.sort_unstable();
        skills.dedup();
        for s in &skills {
            g.by_skill_lang.entry((s, a.lang)).or_default().push(i);
        }
        let next = g.classes.len();
        let c = *class_ids.entry((a.lang, skills.clone())).or_insert(next);
        if c == next {
            for s in &skills {
                g.classes_by_skill.entry((s, a.lang)).or_default().push(c);
            }
            g.classes.push(Class {
                lang: a.lang,
                skills,
                members: Vec::new(),
            });
        }
        g.classes[c].members.push(i);
        g.class_of.push(c);
    }
    for list in g.by_skill_lang.values_mut() {
        list.sort_unstable_by_key(|&j| rank[j]);
    }
    for c in &mut g.classes {
        c.members.sort_unstable_by_key(|&j| rank[j]);
    }
    g
}

/// Calls `found(shared skills, item)` once for each item (an article or a
/// class) on `lists`.
fn count(lists: &[&[usize]], counts: &mut [u32], mut found: impl FnMut(u32, usize)) {
    for &j in lists.iter().flat_map(|l| l.iter()) {
        counts[j] += 1;
    }
    // Each article is weighed once, where its counter is read and reset.
    for &j in lists.iter().flat_map(|l| l.iter()) {
        let s = std::mem::take(&mut counts[j]);
        if s > 0 {
            found(s, j);
        }
    }
}

impl<'a> Groups<'a> {
    fn lists(&self, c: &Class<'a>) -> Vec<&[usize]> {
        skill_lists(&self.by_skill_lang, c)
    }

    /// The best `KEPT` candidates for class `c`; `counts` has a place for
    /// each class.
    fn best_of(&self, c: &Class<'a>, counts: &mut [u32], rank: &[usize]) -> Vec<Candidate> {
        let mut best = Vec::with_capacity(KEPT + 1);
        let lists = skill_lists(&self.classes_by_skill, c);
        count(&lists, counts, |s, k| {
            // Members come in list order: once one is not kept, neither
            // is any after it.
            for &j in self.classes[k].members.iter().take(KEPT) {
                if !offer(&mut best, (Reverse(s), rank[j], j)) {
                    break;
                }
            }
        });
        best
    }
}

fn pick(items: &[Item<'_>], rank: &[usize]) -> Vec<Vec<usize>> {
    let n = items.len();
    let g = group(items, rank);
    let classes = g.classes.len();
    let best: Vec<Vec<Candidate>> = g
        .classes
        .par_iter()
        .map_init(
            || vec![0u32; classes],
            |counts, c| g.best_of(c, counts, rank),
        )
        .collect();
    // Articles numbered by key: another version of the same article is
    // never suggested.
    let mut key_ids: FxHashMap<&str, usize> = FxHashMap::default();
    let key_of: Vec<usize> = items
        .iter()
        .map(|a| {
            let next = key_ids.len();
            *key_ids.entry(a.key).or_insert(next)
        })
        .collect();
    let other = |i: usize, j: usize| j != i && key_of[j] != key_of[i];
    (0..n)
        .into_par_iter()
        .map(|i| {
            let best = &best[g.class_of[i]];
            let shown: Vec<usize> = best
                .iter()
                .map(|&(_, _, j)| j)
                .filter(|&j| other(i, j))
                .take(SHOWN)
                .collect();
            if shown.len() == SHOWN || best.len() < KEPT {
                return shown;
            }
            // More than one of the kept was this article's own (two files of
            // one key and language): count this article alone.
            let mut all: Vec<Candidate> = Vec::new();
            let lists = g.lists(&g.classes[g.class_of[i]]);
            count(&lists, &mut vec![0u32; n], |s, j| {
                if other(i, j) {
                    all.push((Reverse(s), rank[j], j));
                }
            });
            all.sort_unstable();
            all.into_iter().take(SHOWN).map(|(_, _, j)| j).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Skills two sorted lists share.
    fn shared(a: &[&str], b: &[&str]) -> u32 {
        let (mut i, mut j, mut n) = (0, 0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    n += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        n
    }

    /// The definition: same language, not the same key, most shared
    /// skills, then list order; five.
    fn reference(items: &[Item<'_>], rank: &[usize]) -> Vec<Vec<usize>> {
        fn set<'a>(a: &Item<'a>) -> Vec<&'a str> {
            let mut s = a.skills.clone();
            s.sort_unstable();
            s.dedup();
            s
        }
        (0..items.len())
            .map(|i| {
                let mine = set(&items[i]);
                let mut all: Vec<Candidate> = (0..items.len())
                    .filter(|&j| items[j].lang == items[i].lang && items[j].key != items[i].key)
                    .map(|j| (Reverse(shared(&mine, &set(&items[j]))), rank[j], j))
                    .filter(|c| c.0 .0 > 0)
                    .collect();
                all.sort_unstable();
                all.into_iter().take(SHOWN).map(|(_, _, j)| j).collect()
            })
            .collect()
    }

    proptest::proptest! {
        /// The lists are the definition's: with skills listed twice, no
        /// skills, and two files of one key and language.
        #[test]
        fn the_lists_are_the_definitions(
            specs in proptest::collection::vec(
                (0..2usize, 0..12usize, proptest::collection::vec(0..6usize, 0..5)),
                0..60,
            ),
            seed in 0..1000usize,
        ) {
            const LANGS: [&str; 2] = ["en", "he"];
            const KEYS: [&str; 12] = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"];
            const SKILLS: [&str; 6] = ["s0", "s1", "s2", "s3", "s4", "s5"];
            let items: Vec<Item> = specs
                .iter()
                .map(|(l, k, s)| Item {
                    lang: LANGS[*l],
                    key: KEYS[*k],
                    skills: s.iter().map(|&x| SKILLS[x]).collect(),
                })
                .collect();
            // A permutation of list places.
            let n = items.len();
            let mut rank: Vec<usize> = (0..n).collect();
            rank.sort_by_key(|&i| (i * 7919 + seed) % n.max(1) * n + i);
            let want = reference(&items, &rank);
            proptest::prop_assert_eq!(&pick(&items, &rank), &want);
        }
    }
}
