//! `/<lang>/search-index.json`: one language's pages, their words folded
//! (case, diacritics, Hebrew niqqud and final letters) for prefix search.
//!
//! The file (version 2) is `{lang, version, pages, words, postings}`:
//! `pages` lists each page's title, URL, description, kind, skill names and
//! headings; `words` is the language's folded words, sorted by UTF-16 code
//! units and front-coded (each word is one base-36 digit, the length in
//! UTF-16 units it shares with the word before, then the rest), separated
//! by spaces; `postings` holds, space-separated and in the same order, the
//! pages each word is in: ascending page numbers as gaps (first the number,
//! then each difference minus one), each a base64url VLQ (5 bits a digit,
//! least significant first, digits 32–63 meaning "more follow"). A word
//! that is a prefix of another word of the same page is left out of that
//! page: the longer word matches every prefix it would.

use crate::model::Site;
use rustc_hash::FxHashSet;
use serde::Serialize;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// title
    pub t: String,
    /// URL (site path with base path)
    pub u: String,
    /// description or summary
    #[serde(skip_serializing_if = "String::is_empty")]
    pub d: String,
    /// kind: article, skill, checklist
    pub k: &'static str,
    /// skill names
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub s: Vec<String>,
    /// headings
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub h: Vec<String>,
    /// the page's distinct folded words, space-separated (written to the
    /// file as `words` and `postings`)
    #[serde(skip)]
    pub w: String,
}

/// Fold a text for search: lower case, no diacritics, Hebrew finals as
/// their base letters, `ł` → `l`, `ß` → `ss`.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        for c in c.to_lowercase() {
            match c {
                'ł' => out.push('l'),
                'ß' => out.push_str("ss"),
                'ø' => out.push('o'),
                'đ' => out.push('d'),
                'ı' => out.push('i'),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'ך' => out.push('כ'),
                'ם' => out.push('מ'),
                'ן' => out.push('נ'),
                'ף' => out.push('פ'),
                'ץ' => out.push('צ'),
                c => out.push(c),
            }
        }
    }
    out
}

/// Letters, digits and combining marks (niqqud stays inside its word).
fn in_word(c: char) -> bool {
    match c as u32 {
        // Hebrew letters, and Latin letters with diacritics: the common cases, decided at once.
        // (Niqqud are combining marks; maqaf and sof pasuq are punctuation.)
        0x05D0..=0x05EA | 0x00C0..=0x00D6 | 0x00D8..=0x00F6 | 0x00F8..=0x024F => true,
        _ => c.is_alphanumeric() || is_combining_mark(c),
    }
}

/// The words of a text, split on anything but letters, digits and marks.
/// ASCII is scanned byte by byte; other characters are decoded.
fn split_words<'t>(t: &'t str, mut f: impl FnMut(&'t str)) {
    let b = t.as_bytes();
    let mut start: Option<usize> = None;
    let mut i = 0;
    while i < b.len() {
        let (is_word, len) = if b[i] < 0x80 {
            (b[i].is_ascii_alphanumeric(), 1)
        } else {
            let c = t[i..].chars().next().unwrap_or(' ');
            (in_word(c), c.len_utf8())
        };
        match (is_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                f(&t[s..i]);
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(s) = start {
        f(&t[s..]);
    }
}

/// Distinct folded words of `texts`, in order of first use.
pub fn words<'a>(texts: impl IntoIterator<Item = &'a str>) -> String {
    let mut raw_seen: FxHashSet<&str> = FxHashSet::default();
    let mut seen: FxHashSet<String> = FxHashSet::default();
    let mut out = String::new();
    for t in texts {
        split_words(t, |w| {
            if (w.len() < 2 && w.is_ascii()) || !raw_seen.insert(w) {
                return;
            }
            let f = fold(w);
            if !seen.contains(&f) {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&f);
                seen.insert(f);
            }
        });
    }
    out
}

/// The JSON of `/<lang>/search-index.json` for `pages`, in this order.
pub fn index_json(lang: &str, pages: &[&Entry]) -> Vec<u8> {
    // word → the pages it is in, ascending
    let mut postings: rustc_hash::FxHashMap<&str, Vec<u32>> = Default::default();
    for (i, e) in pages.iter().enumerate() {
        let mut ws: Vec<&str> = e.w.split(' ').filter(|w| !w.is_empty()).collect();
        ws.sort_unstable();
        ws.dedup();
        for (j, w) in ws.iter().enumerate() {
            // Sorted, so a word's longer forms come right after it.
            if ws.get(j + 1).is_some_and(|next| next.starts_with(w)) {
                continue;
            }
            postings.entry(w).or_default().push(i as u32);
        }
    }
    let mut vocab: Vec<(Vec<u16>, &str)> = postings
        .keys()
        .map(|w| (w.encode_utf16().collect(), *w))
        .collect();
    // The order of JavaScript's string comparison, so the script can bisect.
    vocab.sort_unstable();
    let mut words = String::new();
    let mut post = String::new();
    let mut prev: &[u16] = &[];
    for (k, (units, w)) in vocab.iter().enumerate() {
        if k > 0 {
            words.push(' ');
            post.push(' ');
        }
        let mut shared = units
            .iter()
            .zip(prev)
            .take_while(|(a, b)| a == b)
            .count()
            .min(35);
        // Never split a surrogate pair.
        if shared > 0 && (0xD800..0xDC00).contains(&units[shared - 1]) {
            shared -= 1;
        }
        words.push(char::from_digit(shared as u32, 36).unwrap_or('0'));
        words.push_str(&String::from_utf16_lossy(&units[shared..]));
        prev = units;
        let mut last: Option<u32> = None;
        for &p in &postings[w] {
            vlq(&mut post, last.map_or(p, |l| p - l - 1));
            last = Some(p);
        }
    }
    #[derive(Serialize)]
    struct Index<'a> {
        lang: &'a str,
        version: u32,
        pages: &'a [&'a Entry],
        words: String,
        postings: String,
    }
    serde_json::to_vec(&Index {
        lang,
        version: 2,
        pages,
        words,
        postings: post,
    })
    .unwrap_or_default()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn vlq(out: &mut String, mut n: u32) {
    loop {
        let d = (n & 31) as usize;
        n >>= 5;
        if n == 0 {
            out.push(B64[d] as char);
            return;
        }
        out.push(B64[32 + d] as char);
    }
}

/// Bytes of a language's own text: its articles' Markdown bodies, titles
/// and descriptions, its skill texts, its checklist titles and intros. What
/// the size of its search index is measured against.
pub fn text_bytes(site: &Site, lang: &str) -> usize {
    let articles: usize = site
        .articles
        .iter()
        .filter(|a| a.lang == lang)
        .map(|a| {
            a.body().len() + a.fm.title.len() + a.fm.description.as_ref().map_or(0, String::len)
        })
        .sum();
    let get = |m: &crate::model::Localized| m.get(lang).map_or(0, String::len);
    let skills: usize = site
        .skills
        .values()
        .map(|s| {
            get(&s.name)
                + get(&s.summary)
                + get(&s.why)
                + get(&s.development)
                + s.indicators.iter().map(|i| get(&i.text)).sum::<usize>()
                + s.interview_questions.iter().map(get).sum::<usize>()
        })
        .sum();
    let checklists: usize = site
        .checklists
        .values()
        .map(|c| get(&c.title) + get(&c.intro))
        .sum();
    articles + skills + checklists
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_niqqud_and_finals() {
        assert_eq!(fold("Źródła"), "zrodla");
        assert_eq!(fold("šviesa"), "sviesa");
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("שָׁלוֹם"), "שלומ");
        assert_eq!(words(["A cat, a CAT; the dog"]), "cat the dog");
        assert_eq!(words(["בית־ספר"]), "בית ספר", "maqaf separates words");
    }

    fn entry(w: &str) -> Entry {
        Entry {
            t: "T".into(),
            u: "/x/".into(),
            d: String::new(),
            k: "article",
            s: Vec::new(),
            h: Vec::new(),
            w: w.into(),
        }
    }

    /// What search.js does with `words` and `postings`.
    fn decode(json: &[u8]) -> Vec<(String, Vec<u32>)> {
        let v: serde_json::Value = serde_json::from_slice(json).unwrap();
        assert_eq!(v["version"], 2);
        let mut prev: Vec<u16> = Vec::new();
        let words: Vec<String> = v["words"]
            .as_str()
            .unwrap()
            .split(' ')
            .map(|e| {
                let mut cs = e.chars();
                let n = cs.next().unwrap().to_digit(36).unwrap() as usize;
                let mut u: Vec<u16> = prev[..n].to_vec();
                u.extend(cs.as_str().encode_utf16());
                prev = u.clone();
                String::from_utf16(&u).unwrap()
            })
            .collect();
        let posts = v["postings"].as_str().unwrap().split(' ').map(|p| {
            let (mut out, mut n, mut shift, mut last) = (Vec::new(), 0u32, 0, -1i64);
            for b in p.bytes() {
                let d = B64.iter().position(|&x| x == b).unwrap() as u32;
                n |= (d & 31) << shift;
                if d < 32 {
                    last += n as i64 + 1;
                    out.push(last as u32);
                    (n, shift) = (0, 0);
                } else {
                    shift += 5;
                }
            }
            out
        });
        words.into_iter().zip(posts).collect()
    }

    #[test]
    fn index_round_trips_and_leaves_out_prefixes_of_longer_words() {
        let mut pages: Vec<Entry> = (0..40).map(|i| entry(&format!("w{i} common"))).collect();
        pages[0].w = "call calls caller zrodla".into();
        pages[39].w = "call common 😀a 😁b".into();
        let refs: Vec<&Entry> = pages.iter().collect();
        let got = decode(&index_json("en", &refs));
        let get = |w: &str| got.iter().find(|(x, _)| x == w).map(|(_, p)| p.clone());
        assert_eq!(
            get("call"),
            Some(vec![39]),
            "page 0 keeps only its longest forms"
        );
        assert_eq!(get("calls"), Some(vec![0]));
        assert_eq!(get("caller"), Some(vec![0]));
        assert_eq!(get("common"), Some((1..40).collect::<Vec<_>>()));
        assert_eq!(get("w35"), Some(vec![35]));
        assert_eq!(get("😁b"), Some(vec![39]));
        let sorted: Vec<Vec<u16>> = got
            .iter()
            .map(|(w, _)| w.encode_utf16().collect())
            .collect();
        assert!(
            sorted.windows(2).all(|p| p[0] < p[1]),
            "sorted as JavaScript compares"
        );
    }
}
