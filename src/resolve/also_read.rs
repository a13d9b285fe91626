//! "Also read": for each article, the five of its language that share the
//! most skills with it.

use crate::model::Site;
use rayon::prelude::*;

/// Each article's "also read", by index; `rank` is each article's place in
/// list order, which breaks ties.
pub(super) fn also_read(site: &Site, rank: &[usize]) -> Vec<Vec<usize>> {
    let n = site.articles.len();
    // "Also read": same language, most shared skills first. Candidates come
    // from a skill → articles index, so this stays linear in practice.
    let mut by_skill_lang: rustc_hash::FxHashMap<(&str, &str), Vec<usize>> =
        rustc_hash::FxHashMap::default();
    for (i, a) in site.articles.iter().enumerate() {
        for s in &a.fm.skills {
            let list = by_skill_lang
                .entry((s.as_str(), a.lang.as_str()))
                .or_default();
            // A skill listed twice by one article counts once.
            if list.last() != Some(&i) {
                list.push(i);
            }
        }
    }
    // Articles numbered by key, so "another version of the same article"
    // is an integer comparison in the loop below.
    let mut key_ids: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    let key_of: Vec<usize> = site
        .articles
        .iter()
        .map(|a| {
            let next = key_ids.len();
            *key_ids.entry(a.key.as_str()).or_insert(next)
        })
        .collect();
    site.articles
        .par_iter()
        .enumerate()
        // Each job gets its own counters; jobs are kept large, or rayon would
        // allocate them thousands of times.
        .with_min_len(256)
        .map_init(
            || vec![0u32; n],
            |counts, (i, a)| {
                let mut skills: Vec<&String> = a.fm.skills.iter().collect();
                skills.sort();
                skills.dedup();
                let lists: Vec<&[usize]> = skills
                    .iter()
                    .map(|s| {
                        by_skill_lang
                            .get(&(s.as_str(), a.lang.as_str()))
                            .map_or(&[][..], Vec::as_slice)
                    })
                    .collect();
                // Shared skills per candidate, counted in one pass over the lists.
                for &j in lists.iter().flat_map(|l| l.iter()) {
                    counts[j] += 1;
                }
                // Then the five best (most shared skills, then list order), kept
                // sorted: each candidate is weighed once, where its counter is
                // read and reset, and most fall short of the fifth at once.
                let mut best: Vec<(std::cmp::Reverse<u32>, usize, usize)> = Vec::with_capacity(6);
                for &j in lists.iter().flat_map(|l| l.iter()) {
                    let c = std::mem::take(&mut counts[j]);
                    if c == 0 || j == i || key_of[j] == key_of[i] {
                        continue;
                    }
                    let candidate = (std::cmp::Reverse(c), rank[j], j);
                    if best.len() < 5 || candidate < best[4] {
                        let at = best.partition_point(|b| *b < candidate);
                        best.insert(at, candidate);
                        best.truncate(5);
                    }
                }
                best.iter().map(|&(_, _, j)| j).collect()
            },
        )
        .collect()
}
