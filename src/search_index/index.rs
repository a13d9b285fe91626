//! Writing a language's search index file from its pages' word sets.

use serde::Serialize;

use super::hebrew::{bare_forms, HEBREW_PREFIXES};
use super::{Entry, Table};

/// The words of a language's pages in the order the file lists them
/// (sorted as JavaScript compares strings, so the script can bisect), and
/// for each, where the words that start with it end in that order: they
/// come right after it.
struct Ranks<'t> {
    words: Vec<&'t str>,
    /// Each word's place, by its [`Table`] number (`u32::MAX`: none).
    rank: Vec<u32>,
    /// By place: the first place after it of a word that does not start with it.
    end: Vec<u32>,
}

impl<'t> Ranks<'t> {
    fn new(table: &'t Table, pages: &[&Entry]) -> Ranks<'t> {
        let mut rank = vec![u32::MAX; table.count()];
        let mut ids: Vec<u32> = Vec::new();
        for e in pages {
            for id in e.w.ids() {
                if rank[id as usize] == u32::MAX {
                    rank[id as usize] = 0;
                    ids.push(id);
                }
            }
        }
        let mut words: Vec<(&str, u32)> = ids.iter().map(|&i| (table.word(i), i)).collect();
        // UTF-8 bytes sort as UTF-16 code units do unless a word has a
        // character from U+E000 up (its first byte is 0xEE or more).
        if words.iter().any(|(w, _)| w.bytes().any(|b| b >= 0xEE)) {
            words.sort_unstable_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
        } else {
            words.sort_unstable();
        }
        let n = words.len() as u32;
        let mut end = vec![n; words.len()];
        // Words that are prefixes of the current one, shortest first.
        let mut open: Vec<usize> = Vec::new();
        for (r, &(w, id)) in words.iter().enumerate() {
            rank[id as usize] = r as u32;
            while let Some(&top) = open.last() {
                if w.starts_with(words[top].0) {
                    break;
                }
                end[top] = r as u32;
                open.pop();
            }
            open.push(r);
        }
        Ranks {
            words: words.into_iter().map(|(w, _)| w).collect(),
            rank,
            end,
        }
    }

    /// A page's words by place, ascending, into `out`.
    fn of(&self, e: &Entry, out: &mut Vec<u32>) {
        out.clear();
        out.extend(e.w.ids().map(|i| self.rank[i as usize]));
        out.sort_unstable();
    }

    /// The places of `places` (ascending, distinct) whose word no later
    /// one starts with: a page's words but for prefixes of its longer ones.
    fn longest<'p>(&'p self, places: &'p [u32]) -> impl Iterator<Item = u32> + 'p {
        places.iter().enumerate().filter_map(move |(j, &r)| {
            places
                .get(j + 1)
                .is_none_or(|&next| next >= self.end[r as usize])
                .then_some(r)
        })
    }

    /// Whether a word of `places` (ascending) starts with the word at `r`.
    fn has_prefixed(&self, places: &[u32], r: u32) -> bool {
        let i = places.partition_point(|&x| x < r);
        places.get(i).is_some_and(|&x| x < self.end[r as usize])
    }

    /// The words with their pages, as the index writes them: each word
    /// followed by its pages' digits (no separators: those digits cannot
    /// occur in a word). Words without pages are left out.
    fn encode(&self, postings: &Postings) -> String {
        let len: usize = (0..self.words.len())
            .map(|r| (postings.of(r), self.words[r]))
            .filter(|(p, _)| !p.is_empty())
            .map(|(p, w)| w.len() + p.len() * 2)
            .sum();
        let mut out = String::with_capacity(len);
        for (r, w) in self.words.iter().enumerate() {
            let pages = postings.of(r);
            if pages.is_empty() {
                continue;
            }
            out.push_str(w);
            let mut last: Option<u32> = None;
            for &p in pages {
                page_gap(&mut out, last.map_or(p, |l| p - l - 1));
                last = Some(p);
            }
        }
        out
    }
}

/// The JSON of `/<lang>/search-index.json` for `pages`, in this order.
pub fn index_json(lang: &str, pages: &[&Entry]) -> Vec<u8> {
    let table = Table::read();
    let ranks = Ranks::new(&table, pages);
    // Every word of every page, with the pages it is in, leaving out a
    // page's words that are prefixes of its longer ones (those come right
    // after it).
    let mut postings = PostingsBuilder::default();
    let mut places: Vec<u32> = Vec::new();
    for e in pages {
        ranks.of(e, &mut places);
        postings.page(ranks.longest(&places));
    }
    let postings = postings.finish(ranks.words.len());
    let hebrew = ranks.words.iter().any(|w| w.starts_with(HEBREW_PREFIXES));
    let bare = if hebrew {
        bare_postings(&table, &ranks, pages)
    } else {
        Postings::default()
    };
    let words = ranks.encode(&postings);
    let bare = ranks.encode(&bare);
    drop(table);
    #[derive(Serialize)]
    struct Index<'a> {
        lang: &'a str,
        version: u32,
        pages: &'a [&'a Entry],
        words: String,
        #[serde(skip_serializing_if = "String::is_empty")]
        bare: String,
    }
    // Sized for the whole file at once (a megabyte per language at 10,000
    // pages), instead of grown by doubling.
    let mut json = Vec::with_capacity(words.len() + bare.len() + pages.len() * 512);
    // Writing to a Vec cannot fail.
    let _ = serde_json::to_writer(
        &mut json,
        &Index {
            lang,
            version: 3,
            pages,
            words,
            bare,
        },
    );
    json
}

/// Hebrew words without their prefixes, for the pages that do not have
/// that form whole (those are found by `words` already), by place. Only a
/// form some page has whole, the shortest: most others are no word (שירות
/// gives ירות), and they would make the file half as large again.
fn bare_postings(table: &Table, ranks: &Ranks, pages: &[&Entry]) -> Postings {
    let mut bare = PostingsBuilder::default();
    let mut places: Vec<u32> = Vec::new();
    let mut forms: Vec<u32> = Vec::new();
    let place = |b: &str| {
        let r = *ranks.rank.get(table.id(b)? as usize)?;
        (r != u32::MAX).then_some(r)
    };
    for e in pages {
        ranks.of(e, &mut places);
        forms.clear();
        for &r in &places {
            // All forms are suffixes of the word: the shortest is the shortest.
            let mut best: Option<(&str, u32)> = None;
            bare_forms(ranks.words[r as usize], |b| {
                if best.is_none_or(|x| b.len() < x.0.len()) {
                    if let Some(p) = place(b) {
                        best = Some((b, p));
                    }
                }
            });
            if let Some((_, p)) = best.filter(|&(_, p)| !ranks.has_prefixed(&places, p)) {
                forms.push(p);
            }
        }
        forms.sort_unstable();
        forms.dedup();
        bare.page(ranks.longest(&forms));
    }
    bare.finish(ranks.words.len())
}

/// Each word's pages, ascending, by place: one array, the words' runs of
/// it found by `start` (a vector each would be a million small ones).
#[derive(Default)]
struct Postings {
    start: Vec<u32>,
    pages: Vec<u32>,
}

impl Postings {
    fn of(&self, place: usize) -> &[u32] {
        match (self.start.get(place), self.start.get(place + 1)) {
            (Some(&a), Some(&b)) => &self.pages[a as usize..b as usize],
            _ => &[],
        }
    }
}

/// Pages' places, page after page, for [`Postings`].
#[derive(Default)]
struct PostingsBuilder {
    places: Vec<u32>,
    /// Where each page's places end.
    ends: Vec<u32>,
}

impl PostingsBuilder {
    fn page(&mut self, places: impl Iterator<Item = u32>) {
        self.places.extend(places);
        self.ends.push(self.places.len() as u32);
    }

    /// The pages by place (`words` places): counted, then put in place.
    fn finish(self, words: usize) -> Postings {
        let mut start = vec![0u32; words + 1];
        for &r in &self.places {
            start[r as usize + 1] += 1;
        }
        for r in 0..words {
            start[r + 1] += start[r];
        }
        let mut next = start.clone();
        let mut pages = vec![0u32; self.places.len()];
        let mut from = 0;
        for (page, &end) in self.ends.iter().enumerate() {
            for &r in &self.places[from..end as usize] {
                pages[next[r as usize] as usize] = page as u32;
                next[r as usize] += 1;
            }
            from = end as usize;
        }
        Postings { start, pages }
    }
}

/// Base-14 digits of a page gap: the last one from `LAST`, the others from `MORE`.
pub(super) const LAST: &[u8; 14] = b"!#$%&'()*+,-./";
pub(super) const MORE: &[u8; 14] = b":;<=>?@[]^`{|}";

fn page_gap(out: &mut String, mut n: u32) {
    loop {
        let d = (n % 14) as usize;
        n /= 14;
        if n == 0 {
            out.push(LAST[d] as char);
            return;
        }
        out.push(MORE[d] as char);
    }
}
